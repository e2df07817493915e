"""The demo's typical case (SCENARIOS.md story 6, 第十二条), made through the services from the
demo's closed referral: de-identified, reviewed, published to every enforcement department,
with a 以案促改 task for the market regulator and one study recorded."""

import pytest
from django.core.management import call_command

from xianjie.inspections.models import Rectification
from xianjie.sharing.demo_lessons import load_demo_lessons
from xianjie.sharing.models import Lesson, StudyRecord

pytestmark = [pytest.mark.django_db, pytest.mark.article(12)]


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO_MODE = True
    settings.DATA_DIR = tmp_path
    call_command("demo")


def test_demo_case_is_published_with_its_reform_task(demo):
    load_demo_lessons()
    (lesson,) = Lesson.objects.all()
    assert (lesson.status, lesson.tier, lesson.org.code) == ("published", 1, "文纪")
    assert sorted(lesson.target_orgs.values_list("code", flat=True)) == ["文交", "文市监", "文教"]
    assert "14110012346" not in lesson.text and "13935861234" not in lesson.text
    (task,) = Rectification.objects.filter(kind="lesson")
    assert (task.source, task.unit.code) == (lesson, "文市监")
    assert list(StudyRecord.objects.values_list("org__code", flat=True)) == ["文市监"]


def test_demo_lessons_twice_adds_nothing(demo):
    load_demo_lessons()
    assert load_demo_lessons() == 0
    assert Lesson.objects.count() == 1
