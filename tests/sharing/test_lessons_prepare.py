"""Preparing a typical case from a closed referral (第十二条): only by a leader of either party,
only from a closed case; the proposal masks every name, certificate, ID and phone number the
referral and the registry know, and nothing of the originals is stored or audited."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from xianjie.audit.models import AuditEntry
from xianjie.core.errors import Conflict, NotFound, NotPermitted
from xianjie.sharing.models import Lesson, LessonEvent
from xianjie.sharing.services.lessons import lesson_prepare

from .lesson_fixtures import *  # noqa: F403
from .lesson_fixtures import CERT, HANDLER, ID_CARD, MOBILE, OFFICER

pytestmark = [pytest.mark.django_db, pytest.mark.article(12), pytest.mark.usefixtures("data_dir")]

ORIGINALS = (OFFICER, CERT, ID_CARD, MOBILE, HANDLER)


def prepare_url(referral) -> str:
    return reverse("sharing:lesson_prepare") + f"?referral={referral.pk}"


def test_prepare_proposes_a_deidentified_draft(closed_referral, sf_leader, county):
    lesson = lesson_prepare(referral_id=closed_referral.pk, actor=sf_leader)
    lesson.refresh_from_db()
    assert (lesson.status, lesson.org, lesson.created_by) == ("draft", county["sf"], sf_leader)
    assert lesson.title == "某执法人员未按要求对行政执法行为进行全过程记录案"
    for original in ORIGINALS:
        assert original not in lesson.text and original not in lesson.title
    assert "张某某（执法证号***********）" in lesson.text
    assert "手机1**********" in lesson.text and "经办人赵某某" in lesson.text
    assert "处置方式：谈话函询。" in lesson.text and "罚款20000元" in lesson.text
    assert "《中华人民共和国行政处罚法》第四十七条" in lesson.text
    assert lesson.masked_counts == {"name": 3, "cert_no": 1, "mobile": 1, "id_card": 1}
    assert list(lesson.violation_codes.values_list("code", flat=True)) == ["P08"]
    assert " 全过程 " in lesson.search_text


def test_prepare_stores_and_audits_no_original(closed_referral, sf_leader):
    lesson = lesson_prepare(referral_id=closed_referral.pk, actor=sf_leader)
    event = LessonEvent.objects.get(lesson=lesson)
    assert (event.transition, event.to_status) == ("prepare", "draft")
    entry = AuditEntry.objects.get(action="lesson.prepare")
    stored = json.dumps(
        [entry.payload, list(Lesson.objects.values())], default=str, ensure_ascii=False
    )
    for original in ORIGINALS:
        assert original not in stored


def test_the_receiving_partys_leader_may_prepare_too(closed_referral, jw_leader, county):
    lesson = lesson_prepare(referral_id=closed_referral.pk, actor=jw_leader)
    assert lesson.org == county["jw"]


@pytest.mark.parametrize("persona", ["sf_clerk", "jw_clerk"])
def test_a_clerk_of_a_party_is_refused_403(request, closed_referral, persona):
    with pytest.raises(NotPermitted):
        lesson_prepare(referral_id=closed_referral.pk, actor=request.getfixturevalue(persona))
    assert not Lesson.objects.exists()


@pytest.mark.parametrize("persona", ["sj_leader", "outsider", "jy_leader", "sysadmin", "auditor"])
def test_anyone_outside_the_case_gets_404(request, closed_referral, persona):
    with pytest.raises(NotFound):
        lesson_prepare(referral_id=closed_referral.pk, actor=request.getfixturevalue(persona))


def test_an_open_referral_is_refused_409(make_referral, sf_leader):
    handling = make_referral(sender="sf", receiver="jw", status="handling", facts="某事实")
    with pytest.raises(Conflict):
        lesson_prepare(referral_id=handling.pk, actor=sf_leader)
    assert not Lesson.objects.exists()


def test_a_second_draft_of_the_same_org_is_refused_409(closed_referral, sf_leader, jw_leader):
    lesson_prepare(referral_id=closed_referral.pk, actor=sf_leader)
    with pytest.raises(Conflict):
        lesson_prepare(referral_id=closed_referral.pk, actor=sf_leader)
    lesson_prepare(referral_id=closed_referral.pk, actor=jw_leader)
    assert Lesson.objects.count() == 2


# --- The preparation page.


def test_page_shows_the_proposal_with_masks_highlighted(client, closed_referral, sf_leader):
    client.force_login(sf_leader)
    html = client.get(prepare_url(closed_referral)).content.decode()
    assert '<mark class="mask" title="已脱敏">张某某</mark>' in html
    assert '<mark class="mask" title="已脱敏">***********</mark>' in html
    assert "姓名 <strong>3</strong> 处" in html and "身份证号码 <strong>1</strong> 处" in html
    assert "某执法人员未按要求对行政执法行为进行全过程记录案" in html
    for original in ORIGINALS:
        assert original not in html


def test_page_post_creates_the_draft_and_opens_it(client, closed_referral, sf_leader):
    client.force_login(sf_leader)
    response = client.post(prepare_url(closed_referral))
    lesson = Lesson.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:lesson_detail", args=[lesson.pk])


@pytest.mark.parametrize(("persona", "status"), [("sf_clerk", 403), ("outsider", 404)])
def test_page_refuses_others(request, client, closed_referral, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(prepare_url(closed_referral)).status_code == status
    assert client.post(prepare_url(closed_referral)).status_code == status
    assert not Lesson.objects.exists()


def test_page_of_an_open_referral_says_why(client, make_referral, sf_leader):
    handling = make_referral(sender="sf", receiver="jw", status="handling")
    client.force_login(sf_leader)
    response = client.get(prepare_url(handling))
    assert response.status_code == 409
    assert "只能从已办结的案件编写典型案例" in response.content.decode()


def test_the_referral_page_offers_the_link_to_a_leader(closed_referral, sf_leader, sf_clerk):
    from xianjie.sharing.selectors.lessons import lesson_followups

    assert lesson_followups(closed_referral, sf_leader) == [
        ("编写典型案例", prepare_url(closed_referral))
    ]
    assert lesson_followups(closed_referral, sf_clerk) == []
    lesson = lesson_prepare(referral_id=closed_referral.pk, actor=sf_leader)
    url = reverse("sharing:lesson_detail", args=[lesson.pk])
    assert lesson_followups(closed_referral, sf_leader) == [
        (f"典型案例：{lesson.title}（草稿（待审核））", url)
    ]
