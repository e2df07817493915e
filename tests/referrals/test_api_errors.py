"""Every error of the referral API in CONTRACT.md's one shape: {"detail", "errors"}."""

import json
import re

import pytest

from xianjie.referrals.models import Evidence

from .test_api_support import api_fixture, create, fault_body, lead_body, send  # noqa: F401

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def error(response, status):
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"detail", "errors"}
    assert CHINESE.search(body["detail"]), body
    return body


def test_400_bad_transition_fields_are_named_in_chinese(api, county, jw_clerk, jw_leader):
    referral_id = create(api, jw_clerk, fault_body(county))
    body = error(api.move(jw_clerk, referral_id, "submit", method="hold", target_org=1), 400)
    assert body["errors"] == {
        "method": ["“提交审批”不使用此项。"],
        "target_org": ["“提交审批”不使用此项。"],
    }


def test_400_dispose_without_a_method(
    api, county, sf_clerk, sf_leader, jw_clerk, jw_leader, data_dir, sample_file
):
    referral_id = send(api, sf_clerk, sf_leader, lead_body(county), sample_file("pdf"))
    api.ok(api.move(jw_clerk, referral_id, "receive"))
    body = error(api.move(jw_leader, referral_id, "dispose"), 400)
    assert list(body["errors"]) == ["method"]


def test_401_without_credentials(api, county, sf_clerk):
    referral_id = create(api, sf_clerk, lead_body(county))
    for response in (
        api.get(None, "/referrals"),
        api.get(None, f"/referrals/{referral_id}"),
        api.post(None, "/referrals", lead_body(county)),
        api.move(None, referral_id, "submit"),
        api.get(None, f"/referrals/{referral_id}/evidence/1"),
    ):
        assert error(response, 401)["detail"] == "请先登录。"


def test_403_when_the_act_belongs_to_someone_else(api, county, sf_clerk, sf_leader, jw_leader):
    referral_id = create(api, sf_clerk, lead_body(county))
    body = error(api.move(sf_leader, referral_id, "submit"), 403)
    assert body["detail"] == "“提交审批”不由您办理。"
    # Not the leader's act even with fields it could not fill: 403 comes before 400.
    error(api.move(sf_leader, referral_id, "withdraw"), 403)
    # A commission leader does not draft leads to the commission.
    error(api.post(jw_leader, "/referrals", lead_body(county)), 403)


def test_404_for_a_missing_or_invisible_referral_and_an_unknown_transition(
    api, county, sf_clerk, jw_clerk, outsider
):
    referral_id = create(api, sf_clerk, lead_body(county))
    assert error(api.get(sf_clerk, "/referrals/999999"), 404)["detail"] == (
        "未找到该记录，或您无权查看。"
    )
    # The receiver does not see a draft; an outsider never sees it.
    for user in (jw_clerk, outsider):
        error(api.get(user, f"/referrals/{referral_id}"), 404)
        error(api.patch(user, f"/referrals/{referral_id}", {"facts": "x"}), 404)
        error(api.move(user, referral_id, "submit"), 404)
    body = error(api.move(sf_clerk, referral_id, "teleport"), 404)
    assert body["detail"] == "没有名为“teleport”的操作。"
    error(api.move(sf_clerk, referral_id, "create"), 404)


@pytest.mark.article(11)
def test_404_for_evidence_of_an_invisible_referral(
    api, county, sf_clerk, outsider, sj_clerk, data_dir, sample_file
):
    referral_id = create(api, sf_clerk, lead_body(county))
    evidence_id = api.ok(api.upload(sf_clerk, referral_id, sample_file("pdf")), 201)["id"]
    for user in (outsider, sj_clerk):
        error(
            api.client.get(
                f"/api/v1/referrals/{referral_id}/evidence/{evidence_id}", **api.headers(user)
            ),
            404,
        )
        error(api.upload(user, referral_id, sample_file("pdf")), 404)
    # An evidence id under another referral's path is not found either.
    other = create(api, sf_clerk, lead_body(county))
    error(
        api.client.get(
            f"/api/v1/referrals/{other}/evidence/{evidence_id}", **api.headers(sf_clerk)
        ),
        404,
    )


def test_409_when_the_status_does_not_allow_the_transition(api, county, sf_clerk, sf_leader):
    referral_id = create(api, sf_clerk, lead_body(county))
    body = error(api.move(sf_leader, referral_id, "approve"), 409)
    assert "草稿" in body["detail"]
    error(api.move(sf_clerk, referral_id, "close"), 409)
    assert api.ok(api.get(sf_clerk, f"/referrals/{referral_id}"))["status"] == "draft"


def test_409_uploading_evidence_once_sent(api, county, sf_clerk, sf_leader, data_dir, sample_file):
    referral_id = send(api, sf_clerk, sf_leader, lead_body(county), sample_file("pdf"))
    error(api.upload(sf_clerk, referral_id, sample_file("pdf")), 409)


def test_413_for_a_file_over_the_limit(api, county, sf_clerk, settings, data_dir, sample_file):
    settings.EVIDENCE_MAX_BYTES = 1024
    referral_id = create(api, sf_clerk, lead_body(county))
    body = error(api.upload(sf_clerk, referral_id, sample_file("pdf", "长" * 2000)), 413)
    assert "file" in body["errors"]
    assert not Evidence.objects.exists()


def test_413_before_reading_a_request_declared_too_large(api, county, sf_clerk, settings, data_dir):
    settings.EVIDENCE_MAX_BYTES = 1024
    referral_id = create(api, sf_clerk, lead_body(county))
    response = api.client.post(
        f"/api/v1/referrals/{referral_id}/evidence",
        b"x" * 10,
        content_type="multipart/form-data; boundary=zz",
        CONTENT_LENGTH=str(5 * 1024 * 1024),
        **api.headers(sf_clerk),
    )
    error(response, 413)


def test_415_for_a_file_type_refused_by_content(api, county, sf_clerk, data_dir):
    referral_id = create(api, sf_clerk, lead_body(county))
    fake = b"#!/bin/sh\necho not a pdf\n"
    error(api.upload(sf_clerk, referral_id, fake, name="证据.pdf"), 415)
    assert not Evidence.objects.exists()


def test_400_upload_without_a_file_and_with_a_bad_role(api, county, sf_clerk, data_dir):
    referral_id = create(api, sf_clerk, lead_body(county))
    response = api.client.post(
        f"/api/v1/referrals/{referral_id}/evidence",
        {"role": "photo"},
        **api.headers(sf_clerk),
    )
    assert set(error(response, 400)["errors"]) == {"file", "role"}


def test_422_for_bad_parameters_and_bodies(api, county, sf_clerk):
    referral_id = create(api, sf_clerk, lead_body(county))
    errors = error(api.get(sf_clerk, "/referrals", status="lost", page_size=500), 422)["errors"]
    assert set(errors) == {"status", "page_size"}
    errors = error(api.move(sf_clerk, referral_id, "submit", comment=["a"]), 422)["errors"]
    assert errors == {"comment": ["应为文本。"]}
    error(api.get(sf_clerk, "/referrals/abc"), 422)
