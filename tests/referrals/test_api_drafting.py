"""POST/PATCH/GET /referrals: drafting through the API (第四条, 第六条) and the audited detail."""

import json

import pytest

from xianjie.audit.models import AuditEntry

from .test_api_support import API, CERT_NO, api_fixture, create, fault_body, lead_body  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.article(4)
def test_create_lead_answers_201_with_a_draft(api, county, sf_clerk):
    body = api.ok(api.post(sf_clerk, "/referrals", lead_body(county)), 201)
    assert body["status"] == "draft"
    assert body["status_label"] == "草稿"
    assert body["number"] == ""
    assert body["direction"] == "to_discipline"
    assert body["sender_org"]["id"] == county["sf"].pk
    assert body["receiver_org"]["id"] == county["jw"].pk
    assert body["subjects"] == [
        {
            "kind": "person",
            "name": "王某某",
            "post": "执法队员",
            "org": "文水县市场监督管理局",
            "cert_no": CERT_NO,
            "officer": None,
        }
    ]
    assert body["norms"] == [{"name": "中华人民共和国行政处罚法", "clause": "第五十五条"}]
    assert body["violation_codes"] == ["P08"]
    assert body["deadlines"] == [] and body["evidence"] == [] and body["warnings"] == []
    assert [e["transition"] for e in body["events"]] == ["create"]
    assert body["allowed_transitions"] == [{"name": "submit", "label": "提交审批"}]


@pytest.mark.article(6)
def test_create_fault_answers_201_with_a_draft_to_the_supervision_body(api, county, jw_clerk):
    body = api.ok(api.post(jw_clerk, "/referrals", fault_body(county)), 201)
    assert (body["status"], body["direction"]) == ("draft", "to_supervision")
    assert body["receiver_org"]["id"] == county["sj"].pk
    assert body["violation_codes"] == ["E01"]


def test_create_without_required_fields_answers_422_naming_each(api, sf_clerk):
    response = api.post(sf_clerk, "/referrals", {"subjects": [{"kind": "robot"}]})
    assert response.status_code == 422
    errors = json.loads(response.content)["errors"]
    assert errors["direction"] == ["此项为必填项。"]
    assert errors["receiver_org"] == ["此项为必填项。"]
    assert errors["source"] == ["此项为必填项。"]
    assert errors["subjects.0.kind"][0].startswith("取值无效")


def test_create_with_an_unknown_field_answers_422_naming_it(api, county, sf_clerk):
    response = api.post(sf_clerk, "/referrals", lead_body(county, fact="拼错的字段"))
    assert response.status_code == 422
    assert json.loads(response.content)["errors"] == {"fact": ["不接受此字段。"]}


@pytest.mark.article(4)
def test_create_with_bad_values_answers_400_naming_each_field(api, county, sf_clerk):
    body = lead_body(
        county,
        receiver_org=county["sj"].pk,
        source="campaign",
        violation_codes=["E01", "Z99"],
        subjects=[{"kind": "person", "post": "科员"}],
    )
    response = api.post(sf_clerk, "/referrals", body)
    assert response.status_code == 400
    errors = json.loads(response.content)["errors"]
    assert set(errors) == {"receiver_org", "source", "violation_codes", "subjects.0.name"}
    assert errors["subjects.0.name"] == ["请填写姓名或名称。"]
    assert len(errors["violation_codes"]) == 2


@pytest.mark.article(4)
def test_submit_with_missing_items_answers_400_listing_every_one(api, county, sf_clerk):
    body = lead_body(
        county,
        subjects=[{"kind": "person", "name": "李某"}],
        facts="",
        norms=[],
        violation_codes=[],
    )
    referral_id = create(api, sf_clerk, body)
    response = api.move(sf_clerk, referral_id, "submit")
    assert response.status_code == 400
    answer = json.loads(response.content)
    assert "第四条" in answer["detail"]
    assert set(answer["errors"]) == {
        "subjects.0.post",
        "subjects.0.cert_no",
        "facts",
        "norms",
        "violation_codes",
        "evidence",
    }
    assert answer["errors"]["subjects.0.cert_no"] == ["请填写执法证编号。"]
    assert api.ok(api.get(sf_clerk, f"/referrals/{referral_id}"))["status"] == "draft"


@pytest.mark.article(4)
def test_same_certificate_in_an_open_referral_warns_but_does_not_block(api, county, sf_clerk):
    first = create(api, sf_clerk, lead_body(county))
    second = api.ok(api.post(sf_clerk, "/referrals", lead_body(county)), 201)
    assert second["status"] == "draft"
    assert second["warnings"] == [f"另有未办结的线索移送（草稿#{first}）涉及相同的人员或单位。"]
    other = api.ok(api.post(sf_clerk, "/referrals", lead_body(county, subjects=[])), 201)
    assert other["warnings"] == []


def test_patch_changes_only_the_fields_sent(api, county, sf_clerk):
    referral_id = create(api, sf_clerk, lead_body(county))
    changes = {
        "facts": "改写后的违法事实。",
        "norms": [{"name": "行政许可法", "clause": "第三十条"}],
    }
    body = api.ok(api.patch(sf_clerk, f"/referrals/{referral_id}", changes))
    assert body["facts"] == "改写后的违法事实。"
    assert body["norms"] == [{"name": "行政许可法", "clause": "第三十条"}]
    assert body["subjects"][0]["cert_no"] == CERT_NO
    assert body["violation_codes"] == ["P08"]
    assert body["summary"] == "执法人员收受财物"


def test_patch_with_bad_values_answers_400_and_changes_nothing(api, county, sf_clerk):
    referral_id = create(api, sf_clerk, lead_body(county))
    response = api.patch(
        sf_clerk, f"/referrals/{referral_id}", {"facts": "新事实", "violation_codes": ["Q00"]}
    )
    assert response.status_code == 400
    assert set(json.loads(response.content)["errors"]) == {"violation_codes"}
    assert api.ok(api.get(sf_clerk, f"/referrals/{referral_id}"))["facts"].startswith("2026年3月")


def test_patch_by_the_leader_answers_403(api, county, sf_clerk, sf_leader):
    referral_id = create(api, sf_clerk, lead_body(county))
    response = api.patch(sf_leader, f"/referrals/{referral_id}", {"facts": "领导改写"})
    assert response.status_code == 403


def test_patch_once_submitted_answers_409(api, county, sf_clerk, data_dir, sample_file):
    referral_id = create(api, sf_clerk, lead_body(county))
    api.ok(api.upload(sf_clerk, referral_id, sample_file("pdf")), 201)
    api.ok(api.move(sf_clerk, referral_id, "submit"))
    response = api.patch(sf_clerk, f"/referrals/{referral_id}", {"facts": "提交后再改"})
    assert response.status_code == 409
    assert json.loads(response.content)["detail"] == "只有草稿可以修改。"


@pytest.mark.article(11)
def test_each_detail_view_is_an_audit_entry_without_content(api, county, sf_clerk):
    referral_id = create(api, sf_clerk, lead_body(county))
    api.ok(api.get(sf_clerk, f"/referrals/{referral_id}"))
    api.ok(api.get(sf_clerk, f"/referrals/{referral_id}"))
    views = AuditEntry.objects.filter(action="referral.view", object_id=str(referral_id))
    assert views.count() == 2
    entry = views.first()
    assert (entry.tier, entry.actor_id) == (3, sf_clerk.pk)
    assert "王某某" not in json.dumps(entry.payload, ensure_ascii=False)
    assert CERT_NO not in json.dumps(entry.payload)


def test_openapi_describes_the_referral_operations_with_enums(api):
    doc = json.loads(api.client.get(f"{API}/openapi.json").content)
    paths = doc["paths"]
    assert set(paths["/api/v1/referrals"]) == {"get", "post"}
    assert set(paths["/api/v1/referrals/{referral_id}"]) == {"get", "patch"}
    assert "post" in paths["/api/v1/referrals/{referral_id}/transitions/{name}"]
    download = paths["/api/v1/referrals/{referral_id}/evidence/{evidence_id}"]["get"]
    assert "application/octet-stream" in download["responses"]["200"]["content"]
    upload = paths["/api/v1/referrals/{referral_id}/evidence"]["post"]["requestBody"]
    form = upload["content"]["multipart/form-data"]["schema"]["properties"]
    assert form["role"]["enum"] == ["evidence", "feedback_letter", "supplement", "other"]
    schemas = doc["components"]["schemas"]
    assert "to_supervision" in schemas["Direction"]["enum"]
    assert "awaiting_supplement" in schemas["Status"]["enum"]
    assert "joint_inspection" in schemas["Source"]["enum"]
    assert "case_filed" in schemas["DisposalMethod"]["enum"]
    assert schemas["ReferralIn"]["properties"]["receiver_org"]["description"] == "接收单位的 id"
    assert "facts" not in schemas["ReferralListOut"]["properties"]
