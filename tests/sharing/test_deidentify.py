"""Rule-based de-identification of typical cases (第十二条): names, 执法证号, ID-card, mobile and
landline numbers are masked; dates, sums of money, 文号 and article numbers are not."""

from __future__ import annotations

import pytest

from xianjie.sharing.deidentify import (
    deidentify,
    looks_masked,
    mask_name,
    mask_spans,
    residual_findings,
)

pytestmark = pytest.mark.article(12)

NAMES = ["王小明", "王明", "欧阳修文", "李某某", "sf.clerk"]
CERTS = ["14110012345"]
SAMPLE = (
    "2026年11月27日，执法人员王小明（执法证号14110012345）与王明、欧阳修文、李某某一同检查。"
    "当事人身份证号码142301199003072410，另一当事人身份证号码14112819850610182X，"
    "旧身份证号142301900307241。王明手机13935861234，另留+86 13800001111；"
    "办公电话0358-1234567，值班电话03586543210。"
)
ORIGINALS = [
    "王小明",
    "王明",
    "欧阳修文",
    "14110012345",
    "142301199003072410",
    "14112819850610182X",
    "142301900307241",
    "13935861234",
    "13800001111",
    "0358-1234567",
    "03586543210",
]
PLAIN = (
    "2026年11月27日（20261127）作出处罚决定，罚款20000元、没收违法所得1350000.50元，"
    "文号文司移〔2026〕3号，依据《中华人民共和国行政处罚法》第四十七条、第47条和"
    "第十三条第（十）项，于2026-11-27送达，整改期限30日，涉及12件案卷中的5件。"
)


def test_sample_masks_every_identifier():
    result = deidentify(SAMPLE, NAMES, CERTS)
    for original in ORIGINALS:
        assert original not in result.text, original
    assert result.counts == {
        "name": 4,
        "cert_no": 1,
        "id_card": 3,
        "mobile": 2,
        "landline": 2,
    }


def test_masks_read_as_masks_of_their_kind():
    text = deidentify(SAMPLE, NAMES, CERTS).text
    assert "执法人员王某某（执法证号***********）与王某、欧阳某某、李某某一同检查" in text
    assert "身份证号码******************，" in text
    assert "旧身份证号***************。" in text
    assert "王某手机1**********，另留1**********；" in text
    assert "办公电话0***-*******，值班电话0**********。" in text


def test_dates_money_document_numbers_and_articles_stay():
    result = deidentify(PLAIN, NAMES, CERTS)
    assert result.text == PLAIN
    assert result.spans == [] and result.counts == {}
    assert residual_findings(PLAIN, NAMES, CERTS) == []


def test_spans_point_at_the_replacements_in_the_output():
    result = deidentify(SAMPLE, NAMES, CERTS)
    assert len(result.spans) == sum(result.counts.values())
    for mask in result.spans:
        assert result.text[mask.start : mask.end] == mask.replacement
    assert [m.kind for m in result.spans][:3] == ["name", "cert_no", "name"]


def test_longest_name_is_masked_first():
    result = deidentify("王明华和王明同行。", ["王明", "王明华"])
    assert result.text == "王某某和王某同行。"
    assert result.counts == {"name": 2}


@pytest.mark.parametrize(
    ("name", "masked"),
    [("王明", "王某"), ("王小明", "王某某"), ("欧阳修文", "欧阳某某"), ("司马光", "司马某")],
)
def test_a_name_keeps_only_its_surname(name, masked):
    assert mask_name(name) == masked
    assert deidentify(f"由{name}负责。", [name]).text == f"由{masked}负责。"


def test_a_name_that_already_looks_masked_stays():
    assert looks_masked("李某某") and looks_masked("欧阳某") and not looks_masked("李明")
    result = deidentify("李某某与张某说明了情况。", ["李某某", "张某"])
    assert result.text == "李某某与张某说明了情况。" and result.counts == {}


def test_login_names_and_single_characters_are_not_names():
    result = deidentify("王的账号sf.clerk。", ["王", "sf.clerk"])
    assert result.counts == {}


def test_registry_certificate_wins_over_the_mobile_pattern():
    # 14110012345 has the shape of a mobile number (1, then 4, then nine digits).
    result = deidentify("证件14110012345已暂扣。", [], CERTS)
    assert [m.kind for m in result.spans] == ["cert_no"]
    assert result.text == "证件***********已暂扣。"


def test_a_number_after_a_certificate_label_is_masked_without_the_registry():
    result = deidentify("执法证号：14110099999；证件号A12345。", [], [])
    assert result.text == "执法证号：***********；证件号******。"
    assert result.counts == {"cert_no": 2}


def test_a_mobile_inside_a_longer_digit_run_is_not_a_mobile():
    text = "订单号2139358612345、流水号1393586123456。"
    assert deidentify(text).text == text


def test_deidentifying_twice_changes_nothing_more():
    once = deidentify(SAMPLE, NAMES, CERTS)
    twice = deidentify(once.text, NAMES, CERTS)
    assert twice.text == once.text and twice.counts == {}


def test_residual_findings_name_what_still_identifies():
    found = residual_findings("王小明的手机13935861234。", NAMES, CERTS)
    assert [str(f) for f in found] == ["姓名“王小明”", "手机号码“13935861234”"]
    assert residual_findings(deidentify(SAMPLE, NAMES, CERTS).text, NAMES, CERTS) == []


def test_a_plate_is_masked_but_its_province_kept():
    assert deidentify("车辆晋J·12345停放。").text == "车辆晋******停放。"


def test_mask_spans_find_the_masks_of_a_stored_text():
    text = deidentify(SAMPLE, NAMES, CERTS).text
    marked = [text[a:b] for a, b in mask_spans(text, NAMES)]
    assert "王某某" in marked and "***********" in marked and "1**********" in marked
    assert "0***-*******" in marked and "李某某" in marked
    assert all("2026" not in piece for piece in marked)
