"""`xianjie demo` brings this year's joint inspection (SCENARIOS.md story 4), made through the
services: drawn and verifiable, with findings, tasks in several states, a referral and a notice."""

import pytest
from django.core.management import call_command

from xianjie.inspections.models import Draw, Finding, Inspection, Rectification, SupervisionAct
from xianjie.inspections.verify_draw import draw_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO_MODE = True
    settings.DATA_DIR = tmp_path
    call_command("demo")


@pytest.mark.article(8)
def test_demo_inspection_is_drawn_reported_and_verifiable(demo):
    (inspection,) = Inspection.objects.all()
    assert (inspection.method, inspection.status) == ("random", "reported")
    assert inspection.units.count() == 3
    (draw,) = Draw.objects.all()
    assert draw.status == "drawn" and draw_verify(draw).ok


@pytest.mark.article(9)
def test_demo_findings_become_tasks_and_a_referral(demo):
    assert Finding.objects.count() == 5
    assert Finding.objects.filter(severity="serious", referral__isnull=False).count() == 1
    statuses = sorted(Rectification.objects.filter(kind="finding").values_list("status", flat=True))
    assert statuses == ["closed", "open", "open", "submitted"]


@pytest.mark.article(13)
def test_demo_notice_issued_with_its_task(demo):
    (notice,) = SupervisionAct.objects.all()
    assert notice.status == "issued" and notice.number.startswith("文司监通〔")
    assert Rectification.objects.filter(kind="notice", source_id=notice.pk).count() == 1


def test_demo_twice_adds_nothing(demo):
    call_command("demo")
    assert (Inspection.objects.count(), Finding.objects.count()) == (1, 5)
