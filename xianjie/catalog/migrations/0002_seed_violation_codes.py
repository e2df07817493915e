"""Seed the catalogue with the items of 第十三条, 第十四条 and 第六条 of 文司发〔2025〕5号.

The texts are the document's, with the OCR slips corrected (第十三条（二）reads
未实行行政裁量权基准制度) and without the closing ；/。 of each item. They are written out here
rather than imported so that this migration keeps meaning what it meant when it ran.
"""

from django.db import migrations

ARTICLE_13 = [
    "不履行或者拖延履行法定职责",
    "未实行行政裁量权基准制度",
    "违法委托行政执法",
    "采取利诱、欺诈等不正当方式，致使公民、法人或者其他组织违法并对其实施行政处罚",
    "对违法行为实施行政处罚后，不采取措施纠正而放任违法行为持续存在",
    "被请求协助的行政执法机关无正当理由不履行协助义务",
    "未执行行政执法人员资格管理和持证上岗制度",
    "对应当依法移送侦查机关处理的案件不予移送",
    "拒绝或者阻碍行政执法监督人员依法履行监督职责",
    "不执行或者不报告《行政执法监督通知书》和《行政执法监督决定书》",
    "法律、法规规定的其他情形",
]

ARTICLE_14 = [
    "不履行或者拖延履行法定职责",
    "超越、滥用职权",
    "利用职权谋取私利",
    "隐瞒事实、伪造证据、徇私枉法",
    "截留、私分、挪用罚没财物",
    "擅自使用扣留物品或者疏于管理致使扣留的财物严重受损或者灭失",
    "拒绝或者阻碍行政执法监督人员依法履行监督职责",
    "未按要求对行政执法行为进行全过程记录",
    "未妥善保管行政执法材料、音像资料",
    "其他违反法定程序执法和违法失职的情形",
]

# 第六条 names three faults without numbering them; E99 catches the rest of its 等.
ARTICLE_6 = [
    ("E01", "执法程序违法"),
    ("E02", "证据收集不规范"),
    ("E03", "自由裁量权滥用"),
    ("E99", "其他执法过错"),
]


def seed(apps, schema_editor):
    ViolationCode = apps.get_model("catalog", "ViolationCode")
    rows = []
    for n, text in enumerate(ARTICLE_13, start=1):
        rows.append(
            ViolationCode(
                code=f"A{n:02d}",
                category="agency",
                article=13,
                item=n,
                text=text,
                seeded=True,
                sort_order=100 + n,
            )
        )
    for n, text in enumerate(ARTICLE_14, start=1):
        rows.append(
            ViolationCode(
                code=f"P{n:02d}",
                category="personnel",
                article=14,
                item=n,
                text=text,
                seeded=True,
                sort_order=200 + n,
            )
        )
    for code, text in ARTICLE_6:
        rows.append(
            ViolationCode(
                code=code,
                category="fault",
                article=6,
                item=None,
                text=text,
                seeded=True,
                sort_order=300 + int(code[1:]),
            )
        )
    ViolationCode.objects.bulk_create(rows)


def unseed(apps, schema_editor):
    apps.get_model("catalog", "ViolationCode").objects.filter(seeded=True).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_violation_code")]

    operations = [migrations.RunPython(seed, unseed)]
