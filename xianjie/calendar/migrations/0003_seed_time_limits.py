"""Seed the time limits of DOMAIN.md "Time limits" as version 1, each with its basis.

The seed policy says 及时 (promptly) and 立即 (immediately) without numbers; these defaults come
from local practice and outside rules, and the system administrator may change them (new version).
"""

from django.db import migrations

DEFAULTS = [
    (
        "referral.receive",
        "接收移送线索",
        3,
        "workdays",
        "本地工作惯例：移送线索发出后3个工作日内接收并出具回执。",
    ),
    (
        "referral.verify_start",
        "启动核查（移送执法监督机构）",
        1,
        "workdays",
        "第七条：执法监督机构应当立即启动核查程序；按接收后1个工作日内启动掌握。",
    ),
    (
        "referral.return_or_forward",
        "退回或转送不属管辖的线索",
        5,
        "workdays",
        "第五条“及时退回并说明理由”；参照《中华人民共和国监察法实施条例》，"
        "不属于本机关管辖的，自收到之日起5个工作日内转送有管辖权的机关。",
    ),
    (
        "referral.disposal",
        "作出处置决定（移送纪检监察机关）",
        30,
        "days",
        "第五条“及时进行审查”；参照《中国共产党纪律检查机关监督执纪工作规则》实践，"
        "自收到之日起1个月（30日）内提出处置意见。",
    ),
    (
        "referral.feedback",
        "反馈处理结果",
        30,
        "days",
        "第五条、第七条“及时反馈”；参照省级规定按30日掌握（移送执法监督机构的自收到之日起，"
        "移送纪检监察机关的自作出处置决定之日起）。",
    ),
    (
        "rectification",
        "整改",
        30,
        "days",
        "省级行政执法监督规定：行政执法监督意见书要求30日内整改并报告整改情况。",
    ),
]


def seed(apps, schema_editor):
    TimeLimitParameter = apps.get_model("calendar", "TimeLimitParameter")
    TimeLimitParameter.objects.bulk_create(
        TimeLimitParameter(
            key=key,
            version=1,
            label=label,
            amount=amount,
            unit=unit,
            basis=basis,
            reason="初始设置",
        )
        for key, label, amount, unit, basis in DEFAULTS
    )


def unseed(apps, schema_editor):
    keys = [key for key, *_ in DEFAULTS]
    apps.get_model("calendar", "TimeLimitParameter").objects.filter(
        key__in=keys, version=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("calendar", "0002_seed_calendar_2004_2026")]

    operations = [migrations.RunPython(seed, unseed)]
