"""The seeded catalogue is the policy's text: 第十三条 A01–A11, 第十四条 P01–P10, 第六条 E01–E99."""

import pytest

from xianjie.catalog.models import ViolationCategory, ViolationCode

from .seed_text import article_items, article_text

pytestmark = pytest.mark.django_db


def _seeded(prefix: str) -> dict[int, ViolationCode]:
    return {int(vc.code[1:]): vc for vc in ViolationCode.objects.filter(code__startswith=prefix)}


@pytest.mark.article(13)
def test_agency_codes_are_the_eleven_items_of_article_13():
    items = article_items("第十三条")
    codes = _seeded("A")
    assert len(items) == 11
    assert {n: vc.text for n, vc in codes.items()} == items
    for n, vc in codes.items():
        assert (vc.code, vc.item, vc.article) == (f"A{n:02d}", n, 13)
        assert vc.category == ViolationCategory.AGENCY


@pytest.mark.article(14)
def test_personnel_codes_are_the_ten_items_of_article_14():
    items = article_items("第十四条")
    codes = _seeded("P")
    assert len(items) == 10
    assert {n: vc.text for n, vc in codes.items()} == items
    for n, vc in codes.items():
        assert (vc.code, vc.item, vc.article) == (f"P{n:02d}", n, 14)
        assert vc.category == ViolationCategory.PERSONNEL


@pytest.mark.article(6)
def test_fault_codes_name_the_faults_of_article_6():
    codes = {vc.code: vc for vc in ViolationCode.objects.filter(category="fault")}
    assert {c: vc.text for c, vc in codes.items()} == {
        "E01": "执法程序违法",
        "E02": "证据收集不规范",
        "E03": "自由裁量权滥用",
        "E99": "其他执法过错",
    }
    article_6 = article_text("第六条")
    for code in ("E01", "E02", "E03"):
        assert codes[code].text in article_6
        assert (codes[code].article, codes[code].item) == (6, None)


@pytest.mark.article(13)
def test_seeded_texts_carry_the_ocr_corrections():
    a02 = ViolationCode.objects.get(code="A02")
    assert a02.text == "未实行行政裁量权基准制度"
    a10 = ViolationCode.objects.get(code="A10")
    assert a10.text == "不执行或者不报告《行政执法监督通知书》和《行政执法监督决定书》"
    for vc in ViolationCode.objects.all():
        assert vc.seeded and vc.is_active
        assert not vc.text.endswith(("；", ";", "。")), vc.code
        assert "(" not in vc.text and ")" not in vc.text, vc.code


def test_seed_has_exactly_the_twenty_five_codes_in_reading_order():
    codes = list(ViolationCode.objects.values_list("code", flat=True))
    expected = (
        [f"A{n:02d}" for n in range(1, 12)]
        + [f"P{n:02d}" for n in range(1, 11)]
        + ["E01", "E02", "E03", "E99"]
    )
    assert codes == expected


@pytest.mark.article(13)
def test_basis_cites_article_and_item_in_chinese():
    assert ViolationCode.objects.get(code="A02").basis == "第十三条（二）"
    assert ViolationCode.objects.get(code="A11").basis == "第十三条（十一）"
    assert ViolationCode.objects.get(code="P10").basis == "第十四条（十）"
    assert ViolationCode.objects.get(code="E01").basis == "第六条"
