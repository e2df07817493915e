"""Schemas of /lessons (典型案例, 第十二条)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from xianjie.accounts.api import OrgRef
from xianjie.inspections.transitions import RectificationStatus

from ..models import LessonStatus, StudyForm


class StrictIn(Schema):
    # A misspelt field is named back instead of being dropped without a word.
    model_config = ConfigDict(extra="forbid")


class LessonIn(StrictIn):
    referral_id: int = Field(description="已办结的线索移送的 id；由案件双方单位的审批领导编写")


class LessonPatch(StrictIn):
    """Only the fields sent are changed; changing the wording of a reviewed case returns it to
    draft."""

    title: str | None = None
    text: str | None = None
    lessons_learned: str | None = None
    violation_codes: list[str] | None = Field(None, description='违规类型代码，如 ["P08"]')


class MoveIn(StrictIn):
    comment: str = Field("", description="review：审核意见（可不填）")
    tier: int | None = Field(None, description="publish：1 一般基础性信息、2 重要信息")
    target_orgs: list[int] = Field(
        default_factory=list, description="publish：发布单位的 id（至少一个，本行政区划内）"
    )
    reason: str = Field("", description="withdraw：撤回理由（必填）")


class StudyIn(StrictIn):
    studied_on: date = Field(description="学习日期，不晚于今天、不早于发布日期")
    form: StudyForm = Field(
        description="meeting 专题会议、group_study 集中学习、self_study 自学、other 其他"
    )
    attendees: int = Field(description="参加人数，至少 1")
    notes: str = Field("", description="学习情况")


class ReformIn(StrictIn):
    unit: int = Field(description="案发单位（本行政区划内的行政执法机关）的 id")
    requirement: str = Field(description="以案促改要求")
    period_days: int | None = Field(None, description="整改期限 1—365 日；不填按 30 日")


class LessonListOut(Schema):
    id: int
    title: str
    tier: int = Field(description="1 一般基础性信息；2 重要信息")
    tier_label: str
    status: LessonStatus = Field(description="draft、reviewed、published、withdrawn")
    status_label: str
    org: OrgRef = Field(description="编写单位")
    violation_codes: list[str]
    created_at: datetime
    published_at: datetime | None


class NamedMove(Schema):
    name: str
    label: str


class ReaderOut(Schema):
    name: str
    read_at: datetime


class StudyOut(Schema):
    id: int
    org: OrgRef = Field(description="学习单位")
    studied_on: date
    form: StudyForm
    form_label: str
    attendees: int
    notes: str
    recorded_by: str
    recorded_at: datetime


class UnitOut(Schema):
    org: OrgRef
    readers: list[ReaderOut] = Field(description="已阅人员及首次阅读时间")
    study: StudyOut | None = Field(description="学习记录；未登记为空")


class TaskRef(Schema):
    id: int
    title: str
    unit: OrgRef
    status: RectificationStatus
    status_label: str
    period_days: int


class LessonOut(LessonListOut):
    text: str = Field(description="案例正文（已脱敏）")
    lessons_learned: str
    masked_counts: dict[str, int] = Field(
        description="起草时脱敏的数量：name 姓名、cert_no 执法证号、id_card 身份证号码、"
        "mobile 手机号码、landline 固定电话、plate 车牌号码"
    )
    target_orgs: list[OrgRef] = Field(description="发布单位（须登记学习记录）")
    reviewed_at: datetime | None
    withdrawn_at: datetime | None
    withdraw_reason: str
    units: list[UnitOut] = Field(description="编写单位可见：各发布单位的阅读和学习情况")
    my_study: StudyOut | None = Field(description="本单位的学习记录（发布单位可见）")
    reforms: list[TaskRef] = Field(description="以案促改整改任务")
    allowed_transitions: list[NamedMove]
    may_study: bool = Field(description="本单位可登记学习记录")
    may_reform: bool = Field(description="可提出以案促改建议")
