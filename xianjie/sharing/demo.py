"""Sample shared items for `xianjie demo` (SCENARIOS.md story 6), made through the services by
the demo users: the justice bureau's work requirement to everyone (tier 1, with an attachment)
and its accountability notice to the enforcement departments and their legal units (tier 2),
and the commission's policy item (tier 1); the market regulator's legal unit has read the work
requirement, so its page shows one unit read and the others not yet."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import Q

from xianjie.accounts.models import Org, OrgKind, User

from .models import Category, SharedItem
from .services.items import shared_item_create, shared_item_publish
from .services.receipts import receipt_record

#: A one-page PDF standing for the scanned notice.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

REQUIREMENT_TITLE = "关于做好2026年度行政执法案卷评查工作的通知"
REQUIREMENT_BODY = (
    "各行政执法部门：\n"
    "为提升行政执法规范化水平，县司法局（县政府行政执法协调监督局）定于2026年第二季度组织开展"
    "行政执法案卷评查。请各部门法制机构对本部门2025年度办结的行政处罚、行政许可、行政强制案卷"
    "开展自查，重点检查证据收集、法律适用、程序履行、文书制作和案卷归档情况，于5月31日前报送"
    "自查报告和案卷目录。评查结果将纳入法治政府建设考核。"
)
ACCOUNTABILITY_TITLE = "关于2025年度行政执法责任追究情况的通报"
ACCOUNTABILITY_BODY = (
    "2025年度，经行政执法监督检查发现并移送纪检监察机关处理的行政执法问题共3件，涉及执法人员"
    "4人，其中给予诫勉谈话2人、党内警告处分1人、调离执法岗位1人。主要问题为滥用自由裁量权、"
    "未按规定全程记录执法过程。请各执法部门及法制机构引以为戒，对照问题开展自查自纠。"
)
POLICY_TITLE = "关于加强纪检监察监督与行政执法监督贯通协调的工作意见"
POLICY_BODY = (
    "为贯彻落实《关于加强行政执法监督与纪检监察监督衔接的工作机制》，进一步健全问题线索双向"
    "移送、联合法治督查、信息共享和成果运用机制，现就有关工作提出如下意见：一、畅通问题线索"
    "移送渠道；二、规范联合督查程序；三、分级分类共享监督信息；四、用好典型案例开展警示教育。"
)


def load_demo_shared_items() -> int:
    if SharedItem.objects.exists():
        return 0
    user = {u.username: u for u in User.objects.filter(username__contains=".")}
    # The enforcement departments and their legal units (法制股).
    units = Org.objects.filter(
        Q(kind=OrgKind.ENFORCEMENT) | Q(parent__kind=OrgKind.ENFORCEMENT), is_active=True
    )
    requirement = shared_item_create(
        actor=user["sf.clerk"],
        tier=1,
        category=Category.REQUIREMENT,
        title=REQUIREMENT_TITLE,
        body=REQUIREMENT_BODY,
        files=[ContentFile(_PDF, name="案卷评查通知.pdf")],
    )
    shared_item_publish(item_id=requirement.pk, actor=user["sf.leader"])
    notice = shared_item_create(
        actor=user["sf.clerk"],
        tier=2,
        category=Category.ACCOUNTABILITY,
        title=ACCOUNTABILITY_TITLE,
        body=ACCOUNTABILITY_BODY,
        scope_orgs=[org.pk for org in units],
    )
    shared_item_publish(item_id=notice.pk, actor=user["sf.leader"])
    policy = shared_item_create(
        actor=user["jw.clerk"],
        tier=1,
        category=Category.POLICY,
        title=POLICY_TITLE,
        body=POLICY_BODY,
    )
    shared_item_publish(item_id=policy.pk, actor=user["jw.leader"])
    if "sj.clerk" in user:
        receipt_record(user=user["sj.clerk"], item=requirement)
    return 3
