"""Acting on a referral from its page: transitions through the forms, the 第四条 check on
submission, refusals shown on the page (400, 403, 409), and files uploaded and downloaded."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xianjie.audit.models import AuditEntry
from xianjie.referrals.models import Evidence, Referral, ReferralEvent

pytestmark = pytest.mark.django_db


def move(client, user, referral, name, **fields):
    client.force_login(user)
    data = {f"{name}-{key}": value for key, value in fields.items()}
    return client.post(reverse("referrals:transition", args=[referral.pk, name]), data)


def status_of(referral):
    return Referral.objects.get(pk=referral.pk).status


@pytest.mark.article(4)
def test_clerk_submits_a_complete_draft_from_the_page(client, flow, sf_clerk):
    referral = flow.draft()
    response = move(client, sf_clerk, referral, "submit", comment="请审批")
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert status_of(referral) == "pending_approval"
    follow = client.get(response["Location"]).content.decode()
    assert "已办理：提交审批。" in follow


@pytest.mark.article(4)
def test_submit_without_evidence_lists_every_missing_item_and_keeps_the_draft(
    client, flow, sf_clerk
):
    referral = flow.draft(evidence=False, facts="", norms=[])
    response = move(client, sf_clerk, referral, "submit")
    html = response.content.decode()
    assert response.status_code == 400
    assert "移送材料不完整，请补齐以下内容后再提交（第四条）" in html
    assert "<strong>证据材料</strong>：请上传证据材料。" in html
    assert "<strong>违法事实</strong>：请填写违法事实。" in html
    assert "<strong>违反的执法规范</strong>" in html
    assert "草稿已保留" in html
    assert status_of(referral) == "draft"
    assert "王某某" in html  # the draft is still shown in full


@pytest.mark.article(4)
def test_submit_names_the_subject_item_missing(client, flow, sf_clerk):
    subject = {"kind": "person", "name": "李某", "post": "", "org": "", "cert_no": ""}
    referral = flow.draft(subjects=[subject])
    html = move(client, sf_clerk, referral, "submit").content.decode()
    assert "<strong>第1个涉案对象的职务</strong>：请填写职务。" in html
    assert "<strong>第1个涉案对象的执法证编号</strong>：请填写执法证编号。" in html


@pytest.mark.article(4)
def test_leader_approves_and_the_referral_gets_its_number(client, flow, sf_leader):
    referral = flow.to_status("pending_approval")
    response = move(client, sf_leader, referral, "approve", comment="同意")
    assert response.status_code == 302
    sent = Referral.objects.get(pk=referral.pk)
    assert sent.status == "sent"
    assert sent.number.startswith("文司移〔")
    assert AuditEntry.objects.filter(action="referral.approve", actor_id=sf_leader.pk).exists()


@pytest.mark.article(5)
def test_return_without_reason_is_refused_on_the_page(client, flow, jw_leader):
    referral = flow.to_status("received")
    response = move(client, jw_leader, referral, "return", reason="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写退回理由。" in html
    assert '<details class="move" open>' in html
    assert status_of(referral) == "received"


@pytest.mark.article(5)
def test_dispose_keeps_the_typed_comment_when_no_method_is_chosen(client, flow, jw_leader):
    referral = flow.to_status("received")
    response = move(client, jw_leader, referral, "dispose", method="", comment="拟初核")
    html = response.content.decode()
    assert response.status_code == 400
    assert "请选择处置方式。" in html
    assert "拟初核</textarea>" in html


@pytest.mark.article(5)
def test_leader_disposes_by_preliminary_check(client, flow, jw_leader):
    referral = flow.to_status("received")
    move(client, jw_leader, referral, "dispose", method="preliminary_check")
    disposed = Referral.objects.get(pk=referral.pk)
    assert (disposed.status, disposed.disposal_method) == ("handling", "preliminary_check")


@pytest.mark.article(7)
def test_feedback_through_the_page_needs_the_uploaded_letter(client, flow, jw_leader):
    referral = flow.to_status("handling")
    refused = move(client, jw_leader, referral, "feedback", result="属实", document="")
    assert refused.status_code == 400
    assert "请上传并选择书面反馈函。" in refused.content.decode()
    letter = flow.upload(referral, jw_leader, "feedback_letter")
    html = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert f'<option value="{letter.pk}">feedback_letter.pdf</option>' in html
    move(client, jw_leader, referral, "feedback", result="属实，已整改。", document=letter.pk)
    answered = Referral.objects.get(pk=referral.pk)
    assert (answered.status, answered.feedback_document_id) == ("fed_back", letter.pk)


@pytest.mark.article(7)
def test_fault_forwarded_to_the_competent_body_from_the_page(client, flow, jt_leader, county):
    referral = flow.to_status("handling", direction="to_supervision")
    client.force_login(jt_leader)
    html = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert f'<option value="{county["sj"].pk}">文水县市场监督管理局法制股</option>' in html
    move(
        client, jt_leader, referral, "forward", target_org=county["sj"].pk, reason="属市场监管领域"
    )
    assert status_of(referral) == "forwarded"
    forwarded = Referral.objects.get(forwarded_from=referral)
    assert forwarded.receiver_org_id == county["sj"].pk
    html = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert f'href="/referrals/{forwarded.pk}/"' in html


def test_act_already_taken_by_someone_else_answers_409_on_the_page(client, flow, jw_clerk):
    referral = flow.to_status("sent")
    flow.do(referral, "receive")
    response = move(client, jw_clerk, referral, "receive")
    assert response.status_code == 409
    assert "当前状态已变化" in response.content.decode()
    assert ReferralEvent.objects.filter(referral=referral, transition="receive").count() == 1


def test_act_of_the_other_role_is_refused_with_403(client, flow, sf_clerk):
    referral = flow.to_status("pending_approval")
    response = move(client, sf_clerk, referral, "approve")
    assert response.status_code == 403
    assert "不由您办理" in response.content.decode()
    assert status_of(referral) == "pending_approval"


@pytest.mark.article(11)
@pytest.mark.parametrize("persona", ["sj_clerk", "outsider", "sysadmin", "auditor"])
def test_act_on_an_invisible_referral_is_404(client, request, flow, persona):
    referral = flow.to_status("sent")
    response = move(client, request.getfixturevalue(persona), referral, "receive")
    assert response.status_code == 404
    assert status_of(referral) == "sent"


@pytest.mark.article(11)
def test_hand_over_reaches_the_receivers_inbox_by_number_only(
    client, flow, jw_clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = flow.to_status("sent")
    referral.refresh_from_db()
    client.force_login(jw_clerk)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert f"待签收：{referral.number}" in html
    assert "王某某" not in html


def test_unknown_act_is_404(client, flow, jw_clerk):
    referral = flow.to_status("sent")
    assert move(client, jw_clerk, referral, "vanish").status_code == 404


def test_act_by_get_is_not_allowed(client, flow, jw_clerk):
    referral = flow.to_status("sent")
    client.force_login(jw_clerk)
    response = client.get(reverse("referrals:transition", args=[referral.pk, "receive"]))
    assert response.status_code == 405


# --- Files


def upload(client, user, referral, data, name="记录.pdf", role="evidence"):
    client.force_login(user)
    file = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(
        reverse("referrals:evidence_upload", args=[referral.pk]),
        {"role": role, "file": file, "description": "现场检查笔录"},
    )


@pytest.mark.article(4)
def test_evidence_uploaded_through_the_page_is_listed_and_downloads(
    client, flow, sf_clerk, sample_file
):
    referral = flow.draft(evidence=False)
    data = sample_file("pdf", "检查记录")
    response = upload(client, sf_clerk, referral, data)
    assert response.status_code == 302
    evidence = Evidence.objects.get(referral=referral)
    html = client.get(response["Location"]).content.decode()
    assert "记录.pdf" in html and "现场检查笔录" in html
    download = client.get(reverse("referrals:evidence_download", args=[referral.pk, evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert "attachment" in download["Content-Disposition"]
    assert AuditEntry.objects.filter(action="referral.evidence_download").exists()


def test_upload_of_a_refused_type_shows_415_on_the_page(client, flow, sf_clerk):
    referral = flow.draft(evidence=False)
    response = upload(client, sf_clerk, referral, b"MZ\x90\x00 not a pdf", name="病毒.pdf")
    assert response.status_code == 415
    assert "仅接受" in response.content.decode()
    assert not Evidence.objects.filter(referral=referral).exists()


def test_upload_beyond_the_size_limit_is_413_and_leaves_nothing(
    client, flow, sf_clerk, sample_file, settings
):
    settings.EVIDENCE_MAX_BYTES = 100
    referral = flow.draft(evidence=False)
    response = upload(client, sf_clerk, referral, sample_file("pdf", "长" * 200))
    assert response.status_code == 413
    assert "文件过大" in response.content.decode()
    assert not Evidence.objects.filter(referral=referral).exists()


def test_upload_form_only_where_the_user_may_upload(client, flow, sf_clerk, jw_clerk):
    sent = flow.to_status("sent")
    client.force_login(sf_clerk)
    html = client.get(reverse("referrals:detail", args=[sent.pk])).content.decode()
    assert "上传材料" not in html
    handling = flow.to_status("handling")
    client.force_login(jw_clerk)
    html = client.get(reverse("referrals:detail", args=[handling.pk])).content.decode()
    assert "上传材料" in html
    assert '<option value="feedback_letter">反馈文书</option>' in html


def test_upload_when_the_status_forbids_it_is_409(client, flow, sf_clerk, sample_file):
    referral = flow.to_status("sent")
    response = upload(client, sf_clerk, referral, sample_file("pdf"))
    assert response.status_code == 409
    assert Evidence.objects.filter(referral=referral).count() == 1


@pytest.mark.article(11)
def test_download_by_a_third_party_is_404(client, flow, sj_clerk):
    referral = flow.to_status("sent")
    evidence = referral.evidence.get()
    client.force_login(sj_clerk)
    response = client.get(reverse("referrals:evidence_download", args=[referral.pk, evidence.pk]))
    assert response.status_code == 404
