"""/compliance-flags (第十三条（十）): A10 flags are raised by the sweep when a unit did not report
on a notice or decision in time, and turned into a referral (`refer`, the issuing org's clerk)
or dismissed (`dismiss`, its leader). What the caller may not see is 404, a flag that is not
theirs 403, a flag already handled 409.
"""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from xianjie.accounts.api import OrgRef
from xianjie.core.api import DETAIL_ERRORS, READ_ERRORS, PagePagination, api_user, paginate
from xianjie.core.errors import NotFound

from ..models import ComplianceFlag, FlagStatus
from ..selectors.supervision import flag_list, get_flag_for_user
from ..services.flags import flag_dismiss, flag_refer, may_dismiss, may_refer
from ..transitions import FlagTransition
from .supervision import WRITE_ERRORS, ActRef, NamedMove, StrictIn

router = Router(tags=["联合法治督查与整改"])

FLAG_STATUS = Query(None, description="open 待处理、referred 已移送、dismissed 已撤销")


class FlagOut(Schema):
    id: int
    code: str
    status: FlagStatus
    status_label: str
    org: OrgRef = Field(description="被标记单位")
    act: ActRef
    issuer_org: OrgRef = Field(description="制发机关")
    due_date: date = Field(description="错过的报告期限")
    flagged_at: datetime
    referral: int | None = Field(description="移送线索的 id（已移送时）")
    reason: str = Field(description="撤销理由（已撤销时）")
    handled_at: datetime | None
    allowed_transitions: list[NamedMove]


class FlagMoveIn(StrictIn):
    reason: str | None = Field(None, description="撤销理由：dismiss 时必填")


def _flag(user: Any, flag: ComplianceFlag) -> dict[str, Any]:
    moves = []
    if flag.status == FlagStatus.OPEN:
        if may_refer(user, flag):
            moves.append({"name": FlagTransition.REFER.value, "label": FlagTransition.REFER.label})
        if may_dismiss(user, flag):
            moves.append(
                {"name": FlagTransition.DISMISS.value, "label": FlagTransition.DISMISS.label}
            )
    return {
        "id": flag.pk,
        "code": flag.code,
        "status": flag.status,
        "status_label": flag.get_status_display(),
        "org": flag.org,
        "act": flag.act,
        "issuer_org": flag.act.issuer_org,
        "due_date": flag.due_date,
        "flagged_at": flag.flagged_at,
        "referral": flag.referral_id,
        "reason": flag.reason,
        "handled_at": flag.handled_at,
        "allowed_transitions": moves,
    }


class FlagPagination(PagePagination):
    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        user = api_user(request)
        page["items"] = [_flag(user, flag) for flag in page["items"]]
        return page


@router.get(
    "/compliance-flags",
    response={200: list[FlagOut], **READ_ERRORS},
    summary="A10 标记列表",
    description="第十三条第（十）项：被监督单位逾期未书面报告监督文书的整改（履行）情况。制发机关"
    "看到本机关文书的标记；司法局另可看到本行政区划内的全部标记。",
)
@paginate(FlagPagination)
def compliance_flag_index(
    request: HttpRequest,
    status: FlagStatus | None = FLAG_STATUS,
) -> QuerySet[ComplianceFlag]:
    return flag_list(api_user(request), {"status": status})


@router.get(
    "/compliance-flags/{flag_id}",
    response={200: FlagOut, **DETAIL_ERRORS},
    summary="A10 标记详情",
)
def compliance_flag_show(request: HttpRequest, flag_id: int) -> dict[str, Any]:
    user = api_user(request)
    return _flag(user, get_flag_for_user(user, flag_id))


@router.post(
    "/compliance-flags/{flag_id}/transitions/{name}",
    response={200: FlagOut, **WRITE_ERRORS},
    summary="处理 A10 标记",
    description="name：refer 移送纪检监察机关——制发机关的登记员一步生成问题线索移送草稿（代码 A10，"
    "附监督文书及履行情况），标记转为 referred，referral 为草稿的 id；dismiss 撤销标记——制发机关的"
    "审批领导撤销，须填 reason。不由您处理 403；已处理 409。",
)
def compliance_flag_move(
    request: HttpRequest,
    flag_id: int,
    name: str = Path(..., description="操作名：refer 或 dismiss"),
    payload: FlagMoveIn | None = None,
) -> dict[str, Any]:
    user = api_user(request)
    reason = payload.reason if payload is not None else None
    if name == FlagTransition.REFER:
        flag_refer(flag_id=flag_id, actor=user)
    elif name == FlagTransition.DISMISS:
        flag_dismiss(flag_id=flag_id, actor=user, reason=reason or "")
    else:
        raise NotFound(f"没有名为“{name}”的操作。")
    return _flag(user, get_flag_for_user(user, flag_id))
