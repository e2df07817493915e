"""Referrals between the commission and the supervision bodies (第三条 to 第七条).

Case content is tier 3 (第十一条 涉案类保密信息): facts, names, certificate numbers, reasons,
results, comments and evidence are stored encrypted under the referral's own data key
(xianjie.core.crypto). Certificate numbers also get a keyed blind index so an open referral
naming the same officer can be found without storing the number in clear.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from xianjie.access.restrict import RestrictedQuerySet

from .transitions import Direction, Status, Transition


class Source(models.TextChoices):
    """Where a lead or fault was found (第四条, 第六条)."""

    SUPERVISION_CHECK = "supervision_check", "行政执法监督检查"
    RECONSIDERATION = "reconsideration", "行政复议"
    JOINT_INSPECTION = "joint_inspection", "联合法治督查"
    COMPLAINT = "complaint", "投诉举报"
    SCREENING = "screening", "数据筛查"
    SUPERVISION = "supervision", "监督检查"
    INVESTIGATION = "investigation", "审查调查"
    CAMPAIGN = "campaign", "专项整治"
    OTHER = "other", "其他"


SOURCES_BY_DIRECTION = {
    Direction.TO_DISCIPLINE: [
        Source.SUPERVISION_CHECK,
        Source.RECONSIDERATION,
        Source.JOINT_INSPECTION,
        Source.COMPLAINT,
        Source.SCREENING,
        Source.OTHER,
    ],
    Direction.TO_SUPERVISION: [
        Source.SUPERVISION,
        Source.INVESTIGATION,
        Source.CAMPAIGN,
        Source.OTHER,
    ],
}


class DisposalMethod(models.TextChoices):
    """监察法实施条例: the four disposal methods of a lead, and 立案."""

    TALK_OR_LETTER = "talk_or_letter", "谈话函询"
    PRELIMINARY_CHECK = "preliminary_check", "初步核实"
    HOLD = "hold", "暂存待查"
    CLOSE_OUT = "close_out", "予以了结"
    CASE_FILED = "case_filed", "立案审查调查"


class Referral(models.Model):
    direction = models.CharField("移送方向", max_length=20, choices=Direction.choices)
    status = models.CharField(
        "状态", max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    number = models.CharField("移送文号", max_length=40, blank=True)
    sender_org = models.ForeignKey(
        "accounts.Org", verbose_name="移送单位", related_name="+", on_delete=models.PROTECT
    )
    receiver_org = models.ForeignKey(
        "accounts.Org", verbose_name="接收单位", related_name="+", on_delete=models.PROTECT
    )
    forwarded_from = models.ForeignKey(
        "self",
        verbose_name="转办自",
        null=True,
        blank=True,
        related_name="forwards",
        on_delete=models.PROTECT,
    )
    source = models.CharField("线索来源", max_length=24, choices=Source.choices)
    violation_codes = models.ManyToManyField(
        "catalog.ViolationCode", verbose_name="违法违纪行为", related_name="+", blank=True
    )
    wrapped_key = models.TextField("数据密钥（已封装）")
    facts_enc = models.TextField("违法事实（密文）", blank=True)
    summary_enc = models.TextField("摘要（密文）", blank=True)
    return_reason_enc = models.TextField("退回理由（密文）", blank=True)
    result_enc = models.TextField("处理结果（密文）", blank=True)
    disposal_method = models.CharField(
        "处置方式", max_length=24, choices=DisposalMethod.choices, blank=True
    )
    resume_status = models.CharField("补充后恢复状态", max_length=24, blank=True)
    feedback_document = models.ForeignKey(
        "Evidence",
        verbose_name="反馈文书",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    sent_at = models.DateTimeField("移送时间", null=True, blank=True)
    received_at = models.DateTimeField("签收时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "线索移送"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="referral_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["sender_org", "status"], name="referral_sender_idx"),
            models.Index(fields=["receiver_org", "status"], name="referral_receiver_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"草稿 #{self.pk}"


class SubjectKind(models.TextChoices):
    PERSON = "person", "个人"
    AGENCY = "agency", "单位"


class ReferralSubject(models.Model):
    """涉案人员或单位 (第四条: 姓名、职务、执法证编号)."""

    referral = models.ForeignKey(Referral, related_name="subjects", on_delete=models.CASCADE)
    kind = models.CharField("类别", max_length=10, choices=SubjectKind.choices)
    officer = models.ForeignKey(
        "accounts.Officer",
        verbose_name="执法人员",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    name_enc = models.TextField("姓名或名称（密文）")
    post_enc = models.TextField("职务（密文）", blank=True)
    org_name_enc = models.TextField("所在单位（密文）", blank=True)
    cert_no_enc = models.TextField("执法证号（密文）", blank=True)
    cert_index = models.CharField("执法证号索引", max_length=64, blank=True, db_index=True)
    name_index = models.CharField("名称索引", max_length=64, blank=True, db_index=True)
    position = models.PositiveSmallIntegerField("序号", default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "涉案对象"
        verbose_name_plural = verbose_name
        ordering = ["referral_id", "position"]

    def __str__(self) -> str:
        return f"{self.referral_id}#{self.position}"


class ReferralNorm(models.Model):
    """违反的执法规范 (第四条: 具体违反的执法规范条款): law or rule name and clause."""

    referral = models.ForeignKey(Referral, related_name="norms", on_delete=models.CASCADE)
    name = models.CharField("法规名称", max_length=200)
    clause = models.CharField("条款", max_length=100)
    position = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = "违反的执法规范"
        verbose_name_plural = verbose_name
        ordering = ["referral_id", "position"]

    def __str__(self) -> str:
        return f"{self.name}{self.clause}"


class EvidenceRole(models.TextChoices):
    EVIDENCE = "evidence", "证据材料"
    FEEDBACK_LETTER = "feedback_letter", "反馈文书"
    SUPPLEMENT = "supplement", "补充材料"
    OTHER = "other", "其他材料"


class Evidence(models.Model):
    """A file kept encrypted on disk under the referral's data key; hashes of the plaintext."""

    referral = models.ForeignKey(Referral, related_name="evidence", on_delete=models.PROTECT)
    role = models.CharField(
        "用途", max_length=20, choices=EvidenceRole.choices, default=EvidenceRole.EVIDENCE
    )
    filename_enc = models.TextField("文件名（密文）")
    description_enc = models.TextField("说明（密文）", blank=True)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    blob_name = models.CharField("存储名", max_length=80, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", related_name="+", on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "证据材料"
        verbose_name_plural = verbose_name
        ordering = ["referral_id", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}/{self.pk}"


class ReferralEvent(models.Model):
    """The status history: one row per transition, shown as the timeline."""

    referral = models.ForeignKey(Referral, related_name="events", on_delete=models.PROTECT)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", related_name="+", on_delete=models.PROTECT
    )
    actor_org = models.ForeignKey(
        "accounts.Org", verbose_name="操作单位", related_name="+", on_delete=models.PROTECT
    )
    transition = models.CharField("操作", max_length=24, choices=Transition.choices)
    from_status = models.CharField("原状态", max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=24, choices=Status.choices)
    comment_enc = models.TextField("意见（密文）", blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = verbose_name
        ordering = ["referral_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.transition}"
