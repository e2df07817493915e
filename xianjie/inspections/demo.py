"""Sample inspection records for `xianjie demo` (SCENARIOS.md story 4), made through the services
by the demo users: this year's random spot check of the three enforcement departments — drawn,
under way, with findings, rectification tasks in several states and a serious finding referred
to the commission — and a supervision notice from the justice bureau to the transport bureau."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from xianjie.accounts.models import Org, OrgKind, Role, User

from .models import Inspection, InspectionMethod, Severity
from .services.draws import draw_prepare, draw_run
from .services.findings import finding_create, finding_rectification_create, finding_referral_create
from .services.plans import inspection_create, inspection_transition
from .services.rectifications import (
    rectification_report,
    rectification_submit,
    rectification_verify,
)
from .services.supervision import act_create, act_issue

#: A one-page PDF standing for a scanned inspection record.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

#: (unit code, severity, title, description, basis, codes) of the problems found.
FINDINGS = [
    (
        "文市监",
        Severity.GENERAL,
        "行政处罚案卷归档不规范",
        "抽查的20卷行政处罚案卷中，6卷缺少送达回证，3卷未按规定装订归档。",
        "《山西省行政执法条例》第三十二条",
        ["E01"],
    ),
    (
        "文交",
        Severity.GENERAL,
        "自由裁量基准未公开",
        "县交通运输局未在门户网站公开行政处罚裁量基准，执法人员适用标准不一。",
        "《中华人民共和国行政处罚法》第三十四条",
        ["E03"],
    ),
    (
        "文教",
        Severity.GENERAL,
        "执法人员持证情况底数不清",
        "教育督导执法人员名单与执法证件信息不一致，2名人员证件已过期仍参与执法。",
        "《山西省行政执法证件管理办法》第十五条",
        ["A05"],
    ),
    (
        "文市监",
        Severity.GENERAL,
        "执法全过程记录不完整",
        "现场检查未全程音像记录，部分记录未与案卷关联保存。",
        "《中华人民共和国行政处罚法》第四十七条",
        ["E02"],
    ),
    (
        "文交",
        Severity.SERIOUS,
        "同类违法行为罚款畸轻畸重",
        "对同类超限运输行为，罚款金额从200元至20000元不等，且无合理说明，涉嫌滥用职权。",
        "《中华人民共和国行政处罚法》第五条",
        ["E03", "A03"],
    ),
]


def load_demo_inspections() -> int:
    if Inspection.objects.exists():
        return 0
    user = {u.username: u for u in User.objects.filter(username__contains=".")}
    org = {o.code: o for o in Org.objects.all()}
    year = timezone.localdate().year
    inspection = inspection_create(
        actor=user["jw.clerk"],
        year=year,
        title=f"{year}年度行政执法联合法治督查（随机抽查）",
        method=InspectionMethod.RANDOM,
        topic="行政处罚案卷评查、执法全过程记录、自由裁量基准执行情况",
        organisers=[org["文纪"].pk, org["文司"].pk],
        planned_start=datetime.date(year, 3, 2),
        planned_end=datetime.date(year, 3, 31),
    )
    units = [o for o in org.values() if o.kind == OrgKind.ENFORCEMENT and o.is_active]
    inspectors = User.objects.filter(
        is_active=True,
        memberships__role__in=[Role.CLERK, Role.LEADER],
        memberships__org__kind__in=[
            OrgKind.DISCIPLINE,
            OrgKind.JUSTICE,
            OrgKind.DEPT_SUPERVISION,
        ],
    ).distinct()
    draw = draw_prepare(
        inspection_id=inspection.pk,
        actor=user["jw.clerk"],
        units=[{"org": unit.pk, "weight": 1} for unit in units],
        inspectors=[person.pk for person in inspectors],
        unit_count=min(3, len(units)),
        team_size=2,
    )
    draw_run(draw_id=draw.pk, actor=user["jw.clerk"])
    inspection_transition(inspection_id=inspection.pk, actor=user["jw.clerk"], name="start")
    drawn = set(inspection.units.values_list("org__code", flat=True))
    created = 1
    findings = []
    for code, severity, title, description, basis, codes in FINDINGS:
        if code not in drawn:
            continue
        findings.append(
            finding_create(
                inspection_id=inspection.pk,
                actor=user["sf.clerk"],
                unit=org[code].pk,
                severity=severity,
                title=title,
                description=description,
                basis=basis,
                violation_codes=codes,
            )
        )
    created += len(findings)
    tasks = [
        finding_rectification_create(
            finding_id=finding.pk,
            actor=user["sf.clerk"],
            requirement="立即整改，逐卷补正，建立台账，并于期限内书面报告整改情况。",
        )
        for finding in findings
        if finding.severity == Severity.GENERAL
    ]
    created += len(tasks)
    serious = [f for f in findings if f.severity == Severity.SERIOUS]
    for finding in serious:
        finding_referral_create(finding_id=finding.pk, actor=user["sf.clerk"])
    market = [t for t in tasks if t.unit.code == "文市监"]
    if market:
        rectification_report(
            task_id=market[0].pk,
            actor=user["sj.clerk"],
            text="已组织案卷整理，补齐送达回证4份，其余2份正在补正。",
            files=[ContentFile(_PDF, name="整改进展.pdf")],
        )
        rectification_submit(
            task_id=market[0].pk,
            actor=user["sj.clerk"],
            text="6卷案卷已全部补正并重新装订归档，建立案卷归档检查台账。",
            files=[ContentFile(_PDF, name="整改报告.pdf")],
        )
        rectification_verify(
            task_id=market[0].pk, actor=user["sf.clerk"], comment="经复查，已整改到位。"
        )
    if len(market) > 1:
        rectification_submit(
            task_id=market[1].pk,
            actor=user["sj.clerk"],
            text="已配备执法记录仪，制定全过程记录管理规定。",
        )
    inspection_transition(
        inspection_id=inspection.pk,
        actor=user["jw.clerk"],
        name="report",
        report_summary="共抽查3个执法部门，发现问题5个，其中严重问题1个已移送纪委监委。",
    )
    notice = act_create(
        actor=user["sf.clerk"],
        kind="notice",
        target_org=org["文交"].pk,
        problem="你局2026年办理的部分超限运输行政处罚案件，未按规定适用裁量基准。",
        basis="《山西省行政执法条例》第四十条",
        requirement="对相关案件逐案复查，纠正不当的处罚决定",
    )
    act_issue(act_id=notice.pk, actor=user["sf.leader"])
    return created + 1
