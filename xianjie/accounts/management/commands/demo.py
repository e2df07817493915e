"""`xianjie demo`: the demo county of CONTRACT.md — 文水县's orgs, users and officers (第二条),
then the samples the other apps register (xianjie.core.demo).

Idempotent: what exists already (matched by org code, username, role, certificate number) is left
as it is, so a second run writes nothing. Everything goes through the services, as the
installation itself (actor=None), and in one transaction: a failure loads nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from xianjie.accounts import services
from xianjie.accounts.models import (
    CertStatus,
    Membership,
    Officer,
    Org,
    OrgKind,
    Region,
    RegionLevel,
    Role,
    User,
)
from xianjie.core.demo import demo_loaders
from xianjie.core.errors import ServiceError

REGION_CODE, REGION_NAME = "141128", "文水县"
DEMO_PASSWORD = "Demo-2026-xj"

#: key, name, short name, 文号代字, kind, parent key
ORGS = (
    ("jw", "中共文水县纪委 文水县监委", "县纪委监委", "文纪", OrgKind.DISCIPLINE, None),
    ("sf", "文水县司法局", "县司法局（县政府行政执法协调监督局）", "文司", OrgKind.JUSTICE, None),
    ("sj_dept", "文水县市场监督管理局", "县市场监管局", "文市监", OrgKind.ENFORCEMENT, None),
    (
        "sj",
        "文水县市场监督管理局法制股",
        "市场监管局法制股",
        "文市监法",
        OrgKind.DEPT_SUPERVISION,
        "sj_dept",
    ),
    ("jt_dept", "文水县交通运输局", "县交通运输局", "文交", OrgKind.ENFORCEMENT, None),
    (
        "jt",
        "文水县交通运输局法制股",
        "交通运输局法制股",
        "文交法",
        OrgKind.DEPT_SUPERVISION,
        "jt_dept",
    ),
    ("jy_dept", "文水县教育局", "县教育局", "文教", OrgKind.ENFORCEMENT, None),
    ("jy", "文水县教育局法制股", "教育局法制股", "文教法", OrgKind.DEPT_SUPERVISION, "jy_dept"),
)

#: username, full name, org key (None for the 三员), role
USERS = (
    ("jw.clerk", "张雯", "jw", Role.CLERK),
    ("jw.leader", "王建国", "jw", Role.LEADER),
    ("sf.clerk", "李娜", "sf", Role.CLERK),
    ("sf.leader", "刘志强", "sf", Role.LEADER),
    ("sj.clerk", "陈晓燕", "sj", Role.CLERK),
    ("sj.leader", "杨伟", "sj", Role.LEADER),
    ("jt.clerk", "赵磊", "jt", Role.CLERK),
    ("jt.leader", "孙涛", "jt", Role.LEADER),
    ("jy.clerk", "周敏", "jy", Role.CLERK),
    ("jy.leader", "吴刚", "jy", Role.LEADER),
    ("sysadmin", "系统管理员", None, Role.SYSADMIN),
    ("secadmin", "安全管理员", None, Role.SECADMIN),
    ("auditor", "审计管理员", None, Role.AUDITOR),
)

_FROM, _UNTIL = date(2024, 1, 1), date(2028, 12, 31)
#: name, org key, post, 执法证号, status; 王某某 / 14110012345 is in SCENARIOS.md story 1.
OFFICERS = (
    ("王某某", "sj_dept", "执法队员", "14110012345", CertStatus.VALID),
    ("李某某", "sj_dept", "市场监管所所长", "14110012346", CertStatus.VALID),
    ("赵某", "sj_dept", "执法队员", "14110012347", CertStatus.SUSPENDED),
    ("刘某某", "jt_dept", "执法大队队员", "14110022001", CertStatus.VALID),
    ("陈某", "jt_dept", "执法大队副大队长", "14110022002", CertStatus.VALID),
    ("周某某", "jy_dept", "教育督导执法人员", "14110032001", CertStatus.VALID),
    ("孙某", "jy_dept", "政策法规股股长", "14110032002", CertStatus.VALID),
)


class Command(BaseCommand):
    help = "加载演示数据：文水县的机构、用户和执法人员（可重复运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="仅当数据库中还没有任何用户时加载。"
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("演示模式已关闭（XIANJIE_DEMO=0），不加载演示数据。")
        if if_empty and User.objects.exists():
            self.stdout.write("数据库中已有用户，未加载演示数据。")
            return
        try:
            with transaction.atomic():
                counts = self._load()
        except ServiceError as error:
            details = "；".join(m for messages in error.errors.values() for m in messages)
            raise CommandError(f"演示数据加载失败：{error.detail}{details}") from error
        if any(counts.values()):
            summary = "、".join(f"{n}{label}" for label, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"已加载演示数据：新增{summary}。"))
            self.stdout.write(f"演示用户的密码均为 {DEMO_PASSWORD}")
        else:
            self.stdout.write("演示数据已齐全，未作改动。")

    def _load(self) -> dict[str, int]:
        counts = {"个机构": 0, "个用户": 0, "项角色": 0, "名执法人员": 0}
        region = Region.objects.filter(code=REGION_CODE).first()
        if region is None:
            region = services.region_create(
                code=REGION_CODE, name=REGION_NAME, level=RegionLevel.COUNTY, actor=None
            )
        orgs: dict[str, Org] = {}
        for position, (key, name, short_name, code, kind, parent) in enumerate(ORGS):
            found = Org.objects.filter(region=region, code=code).first()
            if found is None:
                found = services.org_create(
                    name=name,
                    short_name=short_name,
                    code=code,
                    kind=kind,
                    parent=orgs[parent] if parent else None,
                    region=region,
                    sort_order=(position + 1) * 10,
                    actor=None,
                )
                counts["个机构"] += 1
            orgs[key] = found
        for username, full_name, org_key, role in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                # Demo accounts share a published password, so they skip the first-login change.
                user = services.user_create(
                    username=username,
                    full_name=full_name,
                    org=orgs[org_key] if org_key else None,
                    password=DEMO_PASSWORD,
                    must_change_password=False,
                    actor=None,
                )
                counts["个用户"] += 1
            if not Membership.objects.filter(user=user, role=role).exists():
                services.membership_grant(user=user, role=role, actor=None)
                counts["项角色"] += 1
        for name, org_key, post, cert_no, status in OFFICERS:
            if not Officer.objects.filter(cert_no=cert_no).exists():
                services.officer_create(
                    name=name,
                    org=orgs[org_key],
                    post=post,
                    cert_no=cert_no,
                    cert_status=status,
                    valid_from=_FROM,
                    valid_until=_UNTIL,
                    actor=None,
                )
                counts["名执法人员"] += 1
        for label, loader in demo_loaders():
            counts[label] = loader()
        return counts
