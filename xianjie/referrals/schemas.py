"""Schemas of the referral API (CONTRACT.md "Referrals"): what a client sends and gets back.

Inputs check shapes and enums only; the services check everything the policy requires (第四条
completeness, who may act, which codes fit the direction) and name each bad field in Chinese.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from xianjie.accounts.api import OrgRef
from xianjie.calendar.models import ClockState
from xianjie.calendar.selectors import Light

from .evidence import MAX_DESCRIPTION_CHARS
from .models import DisposalMethod, EvidenceRole, Source, SubjectKind
from .transitions import Direction, Status, Transition, status_label


class StrictIn(Schema):
    # A misspelt field is named back (不接受此字段) instead of being dropped without a word.
    model_config = ConfigDict(extra="forbid")


class SubjectIn(StrictIn):
    kind: SubjectKind = Field(SubjectKind.PERSON, description="person 个人；agency 单位")
    name: str = Field("", description="姓名或单位名称；选了执法人员时可省略")
    post: str = Field("", description="职务")
    org: str = Field("", description="所在单位")
    cert_no: str = Field("", description="执法证编号")
    officer: int | None = Field(None, description="执法人员登记库中的 id（选填）")


class NormIn(StrictIn):
    name: str = Field(description="法规名称，例如 中华人民共和国行政处罚法")
    clause: str = Field(description="条款，例如 第五十五条")


class ReferralIn(StrictIn):
    direction: Direction = Field(
        description="to_discipline 向纪检监察机关移送问题线索；to_supervision 向行政执法监督机构"
        "移送执法过错问题"
    )
    receiver_org: int = Field(description="接收单位的 id")
    source: Source = Field(
        description="线索来源。to_discipline：supervision_check、reconsideration、"
        "joint_inspection、complaint、screening、other；to_supervision：supervision、"
        "investigation、campaign、other"
    )
    subjects: list[SubjectIn] = Field(default_factory=list, description="涉案人员或单位")
    facts: str = Field("", description="违法事实")
    norms: list[NormIn] = Field(default_factory=list, description="违反的执法规范及条款")
    violation_codes: list[str] = Field(
        default_factory=list,
        description="违法违纪行为代码：to_discipline 用 A、P 类，to_supervision 用 E 类",
    )
    summary: str = Field("", description="摘要（选填）")


class ReferralPatch(StrictIn):
    """Only the fields sent are changed; direction and sender never change."""

    receiver_org: int | None = Field(None, description="接收单位的 id")
    source: Source | None = Field(None, description="线索来源")
    subjects: list[SubjectIn] | None = Field(None, description="涉案人员或单位（整体替换）")
    facts: str | None = Field(None, description="违法事实")
    norms: list[NormIn] | None = Field(None, description="违反的执法规范（整体替换）")
    violation_codes: list[str] | None = Field(None, description="违法违纪行为代码（整体替换）")
    summary: str | None = Field(None, description="摘要")


class TransitionIn(StrictIn):
    comment: str | None = Field(None, description="意见或说明；撤回、退回修改时必填")
    reason: str | None = Field(None, description="理由：退回（return）、转办（forward）时必填")
    method: DisposalMethod | None = Field(None, description="处置方式：处置（dispose）时必填")
    result: str | None = Field(None, description="处理结果：书面反馈（feedback）时必填")
    target_org: int | None = Field(None, description="转办对象单位的 id：转办（forward）时必填")
    what: str | None = Field(None, description="需补充的材料：要求补充材料时必填")
    document: int | None = Field(
        None, description="反馈函：本件已上传的用途为 feedback_letter 的文件 id（feedback 时必填）"
    )


class DeadlineSummaryOut(Schema):
    kind: str = Field(description="时限类别，例如 referral.receive")
    label: str = Field(description="时限名称")
    due_date: date = Field(description="到期日期")
    state: ClockState = Field(description="running、paused、met、overdue、missed、cancelled")


class DeadlineOut(DeadlineSummaryOut):
    start_date: date = Field(description="起算日期（当日不计入）")
    state_label: str = Field(description="状态的中文名称")
    unconfirmed: bool = Field(description="到期日计算经过尚未录入官方节假日安排的年份")
    light: Light = Field(description="红黄绿灯：green、yellow、red、grey、done")


class ReferralListOut(Schema):
    """A list row: parties, status and clocks only — never the case content (第十一条)."""

    id: int
    number: str = Field(description="移送文号，批准移送后才有，例如 文司移〔2026〕1号")
    direction: Direction
    status: Status
    status_label: str = Field(description="状态的中文名称（执法过错的办理中显示为 核查中）")
    sender_org: OrgRef = Field(description="移送单位")
    receiver_org: OrgRef = Field(description="接收单位")
    source: Source | None = Field(description="线索来源；只能查看状态的记录为空")
    created_at: datetime = Field(description="登记时间")
    sent_at: datetime | None = Field(description="移送时间")
    content_visible: bool = Field(
        description="能否查看详情；司法局对部门法制机构相关的移送只能看到状态"
    )
    deadlines: list[DeadlineSummaryOut] = Field(description="时限")

    # The list handler annotates `content_visible` and attaches `page_clocks` to each row.
    @staticmethod
    def resolve_status_label(referral: Any) -> str:
        return status_label(referral.direction, referral.status)

    @staticmethod
    def resolve_source(referral: Any) -> str | None:
        return referral.source if referral.content_visible else None

    @staticmethod
    def resolve_deadlines(referral: Any) -> list[dict[str, Any]]:
        return [
            {"kind": c.kind, "label": c.parameter.label, "due_date": c.due_date, "state": c.state}
            for c in referral.page_clocks
        ]


class SubjectOut(Schema):
    kind: SubjectKind
    name: str = Field(description="姓名或单位名称")
    post: str = Field(description="职务")
    org: str = Field(description="所在单位")
    cert_no: str = Field(description="执法证编号")
    officer: int | None = Field(description="执法人员登记库中的 id")


class NormOut(Schema):
    name: str = Field(description="法规名称")
    clause: str = Field(description="条款")


class EventOut(Schema):
    at: datetime = Field(description="时间")
    actor: str = Field(description="操作人")
    actor_org: str = Field(description="操作单位")
    transition: Transition = Field(description="操作")
    transition_label: str = Field(description="操作的中文名称")
    from_status: Status | None = Field(description="原状态")
    to_status: Status = Field(description="新状态")
    comment: str = Field(description="意见、理由或说明")
    data: dict[str, Any] = Field(description="附加信息（处置方式、转办对象、反馈函 id 等）")


class EvidenceOut(Schema):
    id: int
    filename: str = Field(description="文件名")
    size: int = Field(description="大小（字节）")
    sha256: str = Field(description="上传时计算的 SHA-256")
    role: EvidenceRole = Field(description="evidence、feedback_letter、supplement、other")


class EvidenceListedOut(EvidenceOut):
    description: str = Field(description="说明")
    uploaded_at: datetime = Field(description="上传时间")


class AllowedTransitionOut(Schema):
    name: Transition = Field(description="操作名，用于 POST /referrals/{id}/transitions/{name}")
    label: str = Field(description="按钮上的中文名称")


class ReferralOut(Schema):
    id: int
    number: str = Field(description="移送文号，批准移送后才有")
    direction: Direction
    direction_label: str
    status: Status
    status_label: str = Field(description="状态的中文名称（执法过错的办理中显示为 核查中）")
    sender_org: OrgRef = Field(description="移送单位")
    receiver_org: OrgRef = Field(description="接收单位")
    forwarded_from: int | None = Field(description="转办自哪一件移送（id）")
    source: Source
    source_label: str
    subjects: list[SubjectOut] = Field(description="涉案人员或单位")
    facts: str = Field(description="违法事实")
    norms: list[NormOut] = Field(description="违反的执法规范")
    violation_codes: list[str] = Field(description="违法违纪行为代码")
    summary: str = Field(description="摘要")
    return_reason: str = Field(description="退回理由（第五条）")
    result: str = Field(description="处理结果（书面反馈）")
    disposal_method: DisposalMethod | None = Field(description="处置方式")
    feedback_document: int | None = Field(description="反馈函的文件 id")
    created_at: datetime = Field(description="登记时间")
    sent_at: datetime | None = Field(description="移送时间")
    received_at: datetime | None = Field(description="签收时间")
    closed_at: datetime | None = Field(description="办结时间")
    deadlines: list[DeadlineOut] = Field(description="时限")
    events: list[EventOut] = Field(description="办理记录")
    evidence: list[EvidenceListedOut] = Field(description="证据材料及文书")
    allowed_transitions: list[AllowedTransitionOut] = Field(description="当前用户可执行的操作")
    warnings: list[str] = Field(
        description="提示（不阻止办理）：另有未办结的移送涉及相同的人员或单位"
    )


#: The multipart body of an upload, described by hand: the handler reads the body itself so that
#: an oversized upload is refused from its declared length before any of it is spooled to disk.
UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "文件"},
                    "description": {
                        "type": "string",
                        "maxLength": MAX_DESCRIPTION_CHARS,
                        "description": "说明（选填）",
                    },
                    "role": {
                        "type": "string",
                        "enum": EvidenceRole.values,
                        "default": EvidenceRole.EVIDENCE.value,
                        "description": "用途：evidence 证据材料（默认）、feedback_letter 反馈文书、"
                        "supplement 补充材料、other 其他材料",
                    },
                },
            }
        }
    },
}

#: A download answers the file itself.
DOWNLOAD_RESPONSE = {
    200: {
        "description": "文件内容（附件）",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}
