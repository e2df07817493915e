"""A department named in a scope reads through its legal unit (法制股): the departments have no
users of their own, so sharing with 市场监管局 must reach 市场监管局法制股 — as rectification tasks
do (第十一条 指定范围共享, 第十二条 published cases)."""

from __future__ import annotations

import pytest

from xianjie.sharing.models import Lesson
from xianjie.sharing.selectors.lessons import lesson_detail
from xianjie.sharing.services.receipts import receipt_record

from .lesson_fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


@pytest.mark.article(12)
def test_case_for_a_department_shows_its_legal_units_reading(
    published, county, sj_clerk, sf_leader
):
    lesson = published(tier=2, targets=("sj_dept",))
    assert Lesson.objects.restrict(sj_clerk, "view").filter(pk=lesson.pk).exists()
    receipt_record(user=sj_clerk, lesson=lesson)

    detail = lesson_detail(sf_leader, lesson)
    row = next(unit for unit in detail.units if unit.org == county["sj_dept"])
    assert [name for name, _ in row.readers] == [sj_clerk.display_name]
