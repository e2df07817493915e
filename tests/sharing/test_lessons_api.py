"""/lessons (第十二条): preparing from a closed referral, editing, the transitions, and the error
shape — 400 naming every field, 403 not yours, 404 not visible, 409 wrong status."""

from __future__ import annotations

import pytest

from xianjie.sharing.models import Lesson, ReadReceipt

from .lesson_fixtures import *  # noqa: F403
from .lesson_fixtures import CERT, ID_CARD, MOBILE, OFFICER

pytestmark = [pytest.mark.django_db, pytest.mark.article(12), pytest.mark.usefixtures("data_dir")]


def test_post_prepares_a_deidentified_draft(lesson_api, closed_referral, sf_leader):
    body = {"referral_id": closed_referral.pk}
    answer = lesson_api.ok(lesson_api.post(sf_leader, "/lessons", body), 201)
    assert (answer["status"], answer["org"]["code"], answer["violation_codes"]) == (
        "draft",
        "文司",
        ["P08"],
    )
    for original in (OFFICER, CERT, ID_CARD, MOBILE):
        assert original not in answer["text"]
    assert answer["masked_counts"]["cert_no"] == 1
    assert answer["allowed_transitions"] == [
        {"name": "review", "label": "审核通过"},
        {"name": "withdraw", "label": "撤回"},
    ]


@pytest.mark.parametrize(("persona", "status"), [("sf_clerk", 403), ("outsider", 404)])
def test_post_refused(request, lesson_api, closed_referral, persona, status):
    user = request.getfixturevalue(persona)
    response = lesson_api.post(user, "/lessons", {"referral_id": closed_referral.pk})
    assert response.status_code == status
    assert not Lesson.objects.exists()


def test_post_with_an_unknown_field_is_422(lesson_api, closed_referral, sf_leader):
    body = {"referral_id": closed_referral.pk, "text": "自写"}
    assert lesson_api.post(sf_leader, "/lessons", body).status_code == 422


def test_the_whole_flow_through_the_api(lesson_api, closed_referral, county, sf_leader, sf_clerk):
    lesson_id = lesson_api.ok(
        lesson_api.post(sf_leader, "/lessons", {"referral_id": closed_referral.pk}), 201
    )["id"]
    patched = lesson_api.patch(
        sf_clerk, f"/lessons/{lesson_id}", {"lessons_learned": f"{OFFICER}的教训"}
    )
    assert lesson_api.ok(patched)["lessons_learned"] == f"{OFFICER}的教训"
    refused = lesson_api.post(sf_clerk, f"/lessons/{lesson_id}/transitions/review", {})
    assert set(lesson_api.ok(refused, 400)["errors"]) == {"lessons_learned"}
    lesson_api.patch(sf_clerk, f"/lessons/{lesson_id}", {"lessons_learned": "须全程记录"})
    reviewed = lesson_api.post(sf_clerk, f"/lessons/{lesson_id}/transitions/review", {})
    assert lesson_api.ok(reviewed)["status"] == "reviewed"
    body = {"tier": 2, "target_orgs": [county["sj"].pk, county["jt"].pk]}
    assert (
        lesson_api.post(sf_clerk, f"/lessons/{lesson_id}/transitions/publish", body).status_code
        == 403
    )
    shown = lesson_api.ok(
        lesson_api.post(sf_leader, f"/lessons/{lesson_id}/transitions/publish", body)
    )
    assert (shown["status"], shown["tier"]) == ("published", 2)
    assert [o["code"] for o in shown["target_orgs"]] == ["文市监法", "文交法"]
    assert [u["org"]["code"] for u in shown["units"]] == ["文市监法", "文交法"]
    again = lesson_api.post(sf_leader, f"/lessons/{lesson_id}/transitions/publish", body)
    assert again.status_code == 409
    gone = lesson_api.post(sf_leader, f"/lessons/{lesson_id}/transitions/withdraw", {})
    assert set(lesson_api.ok(gone, 400)["errors"]) == {"reason"}
    assert (
        lesson_api.post(sf_leader, f"/lessons/{lesson_id}/transitions/nonsense", {}).status_code
        == 404
    )


def test_publish_errors_name_every_field(lesson_api, published, closed_referral, sf_leader):
    lesson_id = lesson_api.ok(
        lesson_api.post(sf_leader, "/lessons", {"referral_id": closed_referral.pk}), 201
    )["id"]
    lesson_api.post(sf_leader, f"/lessons/{lesson_id}/transitions/review", {})
    answer = lesson_api.ok(
        lesson_api.post(
            sf_leader, f"/lessons/{lesson_id}/transitions/publish", {"tier": 5, "target_orgs": []}
        ),
        400,
    )
    assert set(answer["errors"]) == {"tier", "target_orgs"}


def test_reading_a_published_case_leaves_a_receipt(lesson_api, published, sj_clerk, sf_leader):
    lesson = published()
    body = lesson_api.ok(lesson_api.get(sj_clerk, f"/lessons/{lesson.pk}"))
    assert body["may_study"] and body["units"] == [] and body["allowed_transitions"] == []
    lesson_api.get(sf_leader, f"/lessons/{lesson.pk}")
    assert list(ReadReceipt.objects.values_list("user__username", flat=True)) == ["sj.clerk"]
    shown = lesson_api.ok(lesson_api.get(sf_leader, f"/lessons/{lesson.pk}"))
    assert [r["name"] for r in shown["units"][0]["readers"]] == ["sj.clerk"]


def test_patch_of_a_published_case_is_409(lesson_api, published, sf_clerk, sj_clerk):
    lesson = published()
    assert lesson_api.patch(sf_clerk, f"/lessons/{lesson.pk}", {"title": "改"}).status_code == 409
    assert lesson_api.patch(sj_clerk, f"/lessons/{lesson.pk}", {"title": "改"}).status_code == 403
