"""Sample referrals for `xianjie demo`: a handful in different statuses, so every page shows
something (CONTRACT.md "Demo data"). Made through the services by the demo users themselves."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from xianjie.access.services.requests import access_request_approve, access_request_file
from xianjie.accounts.models import Org, User

from . import services
from .evidence import evidence_upload
from .models import EvidenceRole, Referral

#: A one-page PDF, enough to stand for a scanned record.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _file(name: str) -> ContentFile:
    return ContentFile(_PDF, name=name)


def load_demo_referrals() -> int:
    if Referral.objects.exists():
        return 0
    user = {u.username: u for u in User.objects.filter(username__contains=".")}
    org = {o.code: o for o in Org.objects.all()}

    def lead(clerk: str, receiver: str, **content: Any) -> Referral:
        return services.referral_create(actor=user[clerk], receiver_org=org[receiver].pk, **content)

    def attach(referral: Referral, who: str, name: str, role: str = EvidenceRole.EVIDENCE) -> int:
        return evidence_upload(referral=referral, actor=user[who], file=_file(name), role=role).pk

    def send(referral: Referral, clerk: str, leader: str) -> None:
        services.referral_submit(referral_id=referral.pk, actor=user[clerk])
        services.referral_approve(referral_id=referral.pk, actor=user[leader])

    # 1. SCENARIOS.md story 1: a lead found in a supervision check, now under 初步核实.
    first = lead(
        "sf.clerk",
        "文纪",
        direction="to_discipline",
        source="supervision_check",
        subjects=[
            {
                "kind": "person",
                "name": "王某某",
                "post": "执法队员",
                "org": "文水县市场监督管理局",
                "cert_no": "14110012345",
            }
        ],
        facts="2026年检查案卷发现，该执法人员对某商店作出罚款决定，执法全过程未进行记录。",
        norms=[{"name": "《中华人民共和国行政处罚法》", "clause": "第四十七条"}],
        violation_codes=["P08"],
        summary="执法全过程未记录",
    )
    attach(first, "sf.clerk", "执法检查记录.pdf")
    send(first, "sf.clerk", "sf.leader")
    services.referral_receive(referral_id=first.pk, actor=user["jw.clerk"])
    services.referral_dispose(
        referral_id=first.pk, actor=user["jw.leader"], method="preliminary_check"
    )

    # 2. A lead from a department's legal unit, sent and waiting to be received.
    second = lead(
        "sj.clerk",
        "文纪",
        direction="to_discipline",
        source="complaint",
        subjects=[
            {
                "kind": "person",
                "name": "李某某",
                "post": "市场监管所所长",
                "org": "文水县市场监督管理局",
                "cert_no": "14110012346",
            }
        ],
        facts="群众投诉反映，该所长对辖区企业违法行为长期不予查处。",
        norms=[{"name": "《山西省行政执法条例》", "clause": "第三十六条"}],
        violation_codes=["P01"],
    )
    attach(second, "sj.clerk", "投诉材料.pdf")
    send(second, "sj.clerk", "sj.leader")

    # 3. SCENARIOS.md story 3: an enforcement fault sent to the transport bureau's legal unit.
    third = lead(
        "jw.clerk",
        "文交法",
        direction="to_supervision",
        source="campaign",
        subjects=[{"kind": "agency", "name": "文水县交通运输局执法大队"}],
        facts="专项整治中发现，对同一违法行为的罚款金额从200元到20000元不等，自由裁量明显失当。",
        violation_codes=["E03"],
    )
    attach(third, "jw.clerk", "专项整治情况.pdf")
    send(third, "jw.clerk", "jw.leader")
    services.referral_receive(referral_id=third.pk, actor=user["jt.clerk"])

    # 4. SCENARIOS.md story 2: a lead returned as outside the county commission's jurisdiction.
    fourth = lead(
        "sf.clerk",
        "文纪",
        direction="to_discipline",
        source="reconsideration",
        subjects=[
            {
                "kind": "person",
                "name": "刘某某",
                "post": "站长",
                "org": "文水县交通运输局",
                "cert_no": "14110022001",
            }
        ],
        facts="行政复议中发现该站长违法委托无执法资格人员实施行政处罚。",
        norms=[{"name": "《中华人民共和国行政处罚法》", "clause": "第二十条"}],
        violation_codes=["A03"],
    )
    attach(fourth, "sf.clerk", "复议案卷摘录.pdf")
    send(fourth, "sf.clerk", "sf.leader")
    services.referral_receive(referral_id=fourth.pk, actor=user["jw.clerk"])
    services.referral_return(
        referral_id=fourth.pk,
        actor=user["jw.leader"],
        reason="涉及人员系市管干部，不属于县纪委监委管辖，请移送市纪委监委。",
    )

    # 5. A closed case (SCENARIOS.md story 6): handled by 谈话函询, answered in writing, closed —
    # the source of the demo's typical case for warning education (第十二条).
    closed = lead(
        "sf.clerk",
        "文纪",
        direction="to_discipline",
        source="supervision_check",
        subjects=[
            {
                "kind": "person",
                "name": "李某某",
                "post": "市场监管所所长",
                "org": "文水县市场监督管理局",
                "cert_no": "14110012346",
            }
        ],
        facts=(
            "2026年案卷评查发现，李某某（执法证号14110012346）在查处某超市销售过期食品一案中，"
            "当场收缴罚款2000元未出具财政部门统一制发的罚款收据，款项未按规定上缴国库，"
            "并多次以个人手机13935861234与当事人私下联系。"
        ),
        norms=[{"name": "《中华人民共和国行政处罚法》", "clause": "第七十条、第七十四条"}],
        violation_codes=["P05"],
        summary="当场收缴罚款未上缴",
    )
    attach(closed, "sf.clerk", "案卷评查记录.pdf")
    send(closed, "sf.clerk", "sf.leader")
    services.referral_receive(referral_id=closed.pk, actor=user["jw.clerk"])
    services.referral_dispose(
        referral_id=closed.pk, actor=user["jw.leader"], method="talk_or_letter"
    )
    letter = attach(closed, "jw.clerk", "处理情况反馈函.pdf", role=EvidenceRole.FEEDBACK_LETTER)
    services.referral_feedback(
        referral_id=closed.pk,
        actor=user["jw.leader"],
        result="经谈话函询，李某某如实说明问题，对其进行批评教育并责令作出书面检查。",
        document=letter,
    )
    services.referral_close(referral_id=closed.pk, actor=user["sf.clerk"])

    # SCENARIOS.md story 6: the education bureau's legal unit asks to read the closed case; its
    # own leader has approved, the commission's leader is to decide (第十一条 严格审批共享).
    request = access_request_file(
        kind="referral",
        reference=Referral.objects.get(pk=closed.pk).number,
        purpose="核实本单位借调执法人员是否存在类似问题，需参阅该案办理情况。",
        period_days=7,
        actor=user["jy.clerk"],
    )
    access_request_approve(request_id=request.pk, actor=user["jy.leader"])

    # 6. A draft still being written.
    lead(
        "sf.clerk",
        "文纪",
        direction="to_discipline",
        source="screening",
        facts="数据筛查发现部分行政处罚案件未按规定公示。",
        violation_codes=["A01"],
    )
    return 6
