"""The drafting form (第四条, 第六条): the direction by the user's org, what is offered, every
refusal beside its field with everything typed kept, the registry picker, editing a draft."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xianjie.referrals.models import Referral
from xianjie.referrals.selectors import referral_content

from ..factories import OfficerFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("referrals:create")


def form_data(**overrides):
    """A complete lead as the browser posts it: one subject row and two norm rows."""
    data = {
        "subjects-TOTAL_FORMS": "1",
        "subjects-INITIAL_FORMS": "1",
        "subjects-0-kind": "person",
        "subjects-0-officer": "",
        "subjects-0-name": "王某某",
        "subjects-0-post": "执法队员",
        "subjects-0-org": "文水县市场监督管理局",
        "subjects-0-cert_no": "14110012345",
        "norms-TOTAL_FORMS": "2",
        "norms-INITIAL_FORMS": "2",
        "norms-0-name": "《中华人民共和国行政处罚法》",
        "norms-0-clause": "第四十七条",
        "norms-1-name": "",
        "norms-1-clause": "",
        "source": "supervision_check",
        "facts": "对某商户作出罚款决定，未进行全过程记录。",
        "violation_codes": ["P08"],
        "summary": "未全过程记录",
        "action": "save",
    }
    data.update(overrides)
    return data


def post(client, user, data, url=CREATE):
    client.force_login(user)
    return client.post(url, data)


@pytest.mark.article(4)
def test_supervision_clerk_gets_the_lead_form_with_a_and_p_codes(client, sf_clerk, county):
    client.force_login(sf_clerk)
    html = client.get(CREATE).content.decode()
    assert "新建移送（移送纪检监察机关）" in html
    assert 'value="P08"' in html and 'value="A01"' in html
    assert 'value="E03"' not in html
    assert "行政执法监督检查" in html and "专项整治" not in html
    # The only commission of the county is chosen already.
    assert f'<option value="{county["jw"].pk}" selected>' in html


@pytest.mark.article(6)
def test_commission_clerk_gets_the_fault_form_with_e_codes(client, jw_clerk, county):
    client.force_login(jw_clerk)
    html = client.get(CREATE).content.decode()
    assert "新建移送（移送行政执法监督机构）" in html
    assert 'value="E03"' in html and 'value="P08"' not in html
    assert county["jt"].name in html and county["sf"].name in html
    assert "专项整治" in html


@pytest.mark.parametrize("persona", ["sf_leader", "jw_leader", "sysadmin", "auditor"])
def test_form_refused_to_anyone_but_a_sending_clerk(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(CREATE).status_code == 403


def test_form_refuses_the_other_direction(client, sf_clerk):
    client.force_login(sf_clerk)
    assert client.get(CREATE + "?direction=to_supervision").status_code == 403
    assert client.get(CREATE + "?direction=to_discipline").status_code == 200


@pytest.mark.article(4)
def test_saving_a_lead_creates_a_draft_and_opens_it(client, sf_clerk, county):
    response = post(client, sf_clerk, form_data(receiver_org=county["jw"].pk))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    content = referral_content(referral)
    assert content.subjects[0].cert_no == "14110012345"
    assert content.norms == [{"name": "《中华人民共和国行政处罚法》", "clause": "第四十七条"}]
    assert content.codes == ["P08"]
    assert (referral.status, referral.direction) == ("draft", "to_discipline")


@pytest.mark.article(4)
def test_refusal_keeps_everything_typed_and_puts_each_error_on_its_field(client, sf_clerk):
    data = form_data(
        receiver_org="",
        **{
            "subjects-0-cert_no": "1" * 40,
            "norms-1-name": "《行政执法条例》",
            "violation_codes": ["P08", "E03"],
        },
    )
    response = post(client, sf_clerk, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert not Referral.objects.exists()
    assert "以下内容有误，未保存" in html
    # Each message sits in the block of its own field.
    assert _field_block(html, "id_receiver_org").count("请选择接收单位。") == 1
    assert "执法证编号不应超过32个字" in _field_block(html, "id_subjects-0-cert_no")
    assert "请填写条款。" in _field_block(html, "id_norms-1-clause")
    assert "E03" in html[html.index('id="codes"') :].split("</fieldset>")[0]
    # What was typed is still there.
    assert 'value="王某某"' in html
    assert 'value="《行政执法条例》"' in html
    assert "对某商户作出罚款决定，未进行全过程记录。</textarea>" in html
    assert 'value="P08" checked' in html


def _field_block(html, field_id):
    start = html.index(f'id="{field_id}"')
    return html[start : html.index("</div>", start)]


def test_add_row_keeps_the_input_and_saves_nothing(client, sf_clerk):
    response = post(client, sf_clerk, form_data(action="add_subject"))
    html = response.content.decode()
    assert response.status_code == 200
    assert not Referral.objects.exists()
    assert 'name="subjects-1-name"' in html
    assert 'value="王某某"' in html


def test_remove_row_drops_that_row_only(client, sf_clerk):
    response = post(client, sf_clerk, form_data(action="remove_norm-0"))
    html = response.content.decode()
    assert 'value="第四十七条"' not in html
    assert 'name="norms-0-name"' in html and 'name="norms-1-name"' not in html


def test_blank_rows_are_not_sent(client, sf_clerk, county):
    post(client, sf_clerk, form_data(receiver_org=county["jw"].pk))
    assert len(referral_content(Referral.objects.get()).norms) == 1


def test_registry_search_finds_officers_by_name_or_certificate(client, sf_clerk, county):
    OfficerFactory(name="王某某", org=county["sj_dept"], cert_no="14110012345", post="科员")
    client.force_login(sf_clerk)
    search = reverse("referrals:officer_search")
    by_name = client.get(search, {"officer_q": "王某", "row": "0"}).content.decode()
    by_cert = client.get(search, {"officer_q": "14110012345", "row": "0"}).content.decode()
    nothing = client.get(search, {"officer_q": "赵", "row": "0"}).content.decode()
    assert "14110012345" in by_name and "王某某" in by_cert
    assert "执法人员库中没有找到“赵”" in nothing


def test_picking_an_officer_fills_the_subject_row(client, sf_clerk, county):
    officer = OfficerFactory(name="王某某", org=county["sj_dept"], cert_no="14110012345")
    client.force_login(sf_clerk)
    html = client.get(
        reverse("referrals:officer_pick"), {"officer": officer.pk, "row": "2"}
    ).content.decode()
    assert 'id="subject-row-2"' in html
    assert f'name="subjects-2-officer" value="{officer.pk}"' in html
    assert 'value="14110012345"' in html and "文水县市场监督管理局" in html


def test_registry_picker_refused_to_those_who_do_not_draft(client, sf_leader):
    client.force_login(sf_leader)
    search = client.get(reverse("referrals:officer_search"), {"officer_q": "王", "row": "0"})
    assert search.status_code == 403


def test_picked_officer_is_linked_on_save(client, sf_clerk, county):
    officer = OfficerFactory(name="王某某", org=county["sj_dept"], cert_no="14110012345")
    data = form_data(receiver_org=county["jw"].pk, **{"subjects-0-officer": officer.pk})
    post(client, sf_clerk, data)
    assert referral_content(Referral.objects.get()).subjects[0].officer_id == officer.pk


def test_edit_form_shows_the_draft_and_saves_changes(client, flow, sf_clerk, county):
    referral = flow.draft()
    edit = reverse("referrals:edit", args=[referral.pk])
    client.force_login(sf_clerk)
    html = client.get(edit).content.decode()
    assert 'value="王某某"' in html and 'value="P08" checked' in html
    data = form_data(receiver_org=county["jw"].pk, facts="补充后的事实。")
    assert post(client, sf_clerk, data, edit).status_code == 302
    assert referral_content(Referral.objects.get(pk=referral.pk)).facts == "补充后的事实。"


def test_edit_refused_to_the_leader_and_invisible_to_outsiders(client, flow, sf_leader, outsider):
    referral = flow.draft()
    edit = reverse("referrals:edit", args=[referral.pk])
    client.force_login(sf_leader)
    assert client.get(edit).status_code == 403
    client.force_login(outsider)
    assert client.get(edit).status_code == 404


def test_edit_of_a_sent_referral_goes_back_to_its_page(client, flow, sf_clerk):
    referral = flow.to_status("sent")
    client.force_login(sf_clerk)
    response = client.get(reverse("referrals:edit", args=[referral.pk]), follow=True)
    assert "只有草稿可以修改。" in response.content.decode()
