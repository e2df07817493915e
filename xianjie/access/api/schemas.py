"""The shapes of /access-requests and /access-uses (第十一条 严格审批共享, CONTRACT.md)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from xianjie.accounts.api import OrgRef

from ..models import RequestStatus, RequestTransition, UseKind


class PersonOut(Schema):
    id: int
    name: str = Field(description="姓名")


class RequestIn(Schema):
    kind: str = Field("", description="调阅对象类别，如 referral（移送线索）")
    reference: str = Field("", description="调阅对象编号，如移送文号")
    purpose: str = Field("", description="调阅事由，不少于10个字、不超过1000个字")
    period_days: int | str | None = Field(
        None, description="调阅期限（自然日），1至30，默认7；自数据所属单位领导批准之时起算"
    )


class RequestListOut(Schema):
    id: int
    kind: str = Field(description="调阅对象类别")
    kind_label: str
    reference: str = Field(description="调阅对象编号")
    owner_org: OrgRef = Field(description="数据所属单位")
    requester: PersonOut = Field(description="申请人")
    requester_org: OrgRef = Field(description="申请单位")
    period_days: int = Field(description="调阅期限（日）")
    status: RequestStatus = Field(
        description="pending_own、pending_owner、granted、rejected、withdrawn、revoked、expired"
    )
    status_label: str
    created_at: datetime = Field(description="申请时间")
    granted_at: datetime | None = Field(description="授权时间")
    expires_at: datetime | None = Field(description="授权截止时间")
    live: bool = Field(description="授权是否正在有效期内")


class EventOut(Schema):
    at: datetime
    actor: str = Field(description="操作人；到期关闭由系统定时巡检记录")
    actor_org: str
    transition: RequestTransition
    transition_label: str
    from_status: RequestStatus | None
    to_status: RequestStatus
    comment: str = Field(description="审批意见或理由")


class AllowedOut(Schema):
    name: RequestTransition = Field(description="用于 POST .../transitions/{name}")
    label: str


class RequestOut(RequestListOut):
    purpose: str = Field(description="调阅事由")
    own_approver: PersonOut | None = Field(description="本单位审批人")
    own_approved_at: datetime | None
    owner_approver: PersonOut | None = Field(description="数据所属单位审批人")
    closed_at: datetime | None = Field(description="不予批准、撤回、收回或到期关闭的时间")
    closed_by: PersonOut | None
    reason: str = Field(description="不予批准或收回授权的理由")
    events: list[EventOut]
    allowed_transitions: list[AllowedOut] = Field(description="当前用户可执行的操作")
    granted_url: str | None = Field(
        description="申请人本人的授权有效时：只读查阅页面的地址；否则为空"
    )


class UseOut(Schema):
    id: int
    at: datetime = Field(description="查阅时间")
    user: PersonOut = Field(description="查阅人")
    org: OrgRef | None = Field(description="查阅人所在单位")
    use: UseKind = Field(description="view 查阅；download 下载（加水印）")
    use_label: str
    what: str = Field(description="查阅内容：调阅对象本身或“附件：文件名”")
    request: int = Field(description="依据的调阅申请编号")
    reference: str = Field(description="调阅对象编号")
    kind: str
