"""The state machines of the inspection app, as data (ARCHITECTURE.md house rule 4).

- An inspection (联合法治督查, 第八条): planned → under way → findings reported → closed; a plan
  may be cancelled before it starts.
- A rectification task (整改, 第九条; also meeting decisions and 以案促改 later): open → submitted
  → closed (verified by the 跟踪检查) or reopened with reasons; progress reports keep it open.
- A supervision notice or decision (第十三条（十）): draft → issued; its follow-up is the
  rectification task it creates.
- An A10 flag (not carrying out a notice or decision): open → referred or dismissed.
"""

from __future__ import annotations

from django.db import models


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    UNDER_WAY = "under_way", "检查中"
    REPORTED = "reported", "已报告问题"
    CLOSED = "closed", "已结束"
    CANCELLED = "cancelled", "已取消"


class InspectionTransition(models.TextChoices):
    CREATE = "create", "制定计划"
    START = "start", "开始检查"
    REPORT = "report", "报告检查发现"
    CLOSE = "close", "结束督查"
    CANCEL = "cancel", "取消计划"


_IS, _IT = InspectionStatus, InspectionTransition

INSPECTION_TABLE: dict[str, dict[str, str]] = {
    _IS.PLANNED: {_IT.START: _IS.UNDER_WAY, _IT.CANCEL: _IS.CANCELLED},
    _IS.UNDER_WAY: {_IT.REPORT: _IS.REPORTED},
    _IS.REPORTED: {_IT.CLOSE: _IS.CLOSED},
    _IS.CLOSED: {},
    _IS.CANCELLED: {},
}

#: Statuses in which an inspection counts as held for 第八条's "at least once a year".
HELD_STATUSES = (_IS.UNDER_WAY, _IS.REPORTED, _IS.CLOSED)


class RectificationStatus(models.TextChoices):
    OPEN = "open", "整改中"
    SUBMITTED = "submitted", "待跟踪检查"
    CLOSED = "closed", "已销号"
    CANCELLED = "cancelled", "已撤销"


class RectificationTransition(models.TextChoices):
    CREATE = "create", "下达整改任务"
    REPORT = "report", "报告整改进展"
    SUBMIT = "submit", "提交整改报告"
    VERIFY = "verify", "跟踪检查通过"
    REOPEN = "reopen", "退回重新整改"
    CANCEL = "cancel", "撤销任务"
    ESCALATE = "escalate", "逾期督办"


_RS, _RT = RectificationStatus, RectificationTransition

RECTIFICATION_TABLE: dict[str, dict[str, str]] = {
    _RS.OPEN: {_RT.REPORT: _RS.OPEN, _RT.SUBMIT: _RS.SUBMITTED, _RT.CANCEL: _RS.CANCELLED},
    _RS.SUBMITTED: {_RT.VERIFY: _RS.CLOSED, _RT.REOPEN: _RS.OPEN},
    _RS.CLOSED: {},
    _RS.CANCELLED: {},
}

OPEN_RECTIFICATION_STATUSES = (_RS.OPEN, _RS.SUBMITTED)


class ActStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已签发"


class ActTransition(models.TextChoices):
    CREATE = "create", "起草"
    ISSUE = "issue", "签发"


ACT_TABLE: dict[str, dict[str, str]] = {
    ActStatus.DRAFT: {ActTransition.ISSUE: ActStatus.ISSUED},
    ActStatus.ISSUED: {},
}


class FlagTransition(models.TextChoices):
    REFER = "refer", "移送纪检监察机关"
    DISMISS = "dismiss", "撤销标记"
