"""`xianjie demo` brings SCENARIOS.md story 6's shared items (第十一条): the justice bureau's work
requirement to the whole region, its accountability notice to the enforcement departments and
their legal units, the commission's policy item — made through the services, loaded once."""

import pytest
from django.core.management import call_command

from xianjie.accounts.models import User
from xianjie.sharing.demo import load_demo_shared_items
from xianjie.sharing.models import ReadReceipt, SharedItem
from xianjie.sharing.selectors.items import shared_item_list, shared_item_receipts

pytestmark = [pytest.mark.django_db, pytest.mark.article(11)]


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO_MODE = True
    settings.DATA_DIR = tmp_path
    settings.MASTER_KEY_FILE = str(tmp_path / "master.key")
    call_command("demo")


def titles(username: str) -> set[str]:
    return {item.title for item in shared_item_list(User.objects.get(username=username))}


def test_the_demo_shares_story_6(demo):
    items = {item.title: item for item in SharedItem.objects.all()}
    requirement = items["关于做好2026年度行政执法案卷评查工作的通知"]
    notice = items["关于2025年度行政执法责任追究情况的通报"]
    assert (requirement.tier, requirement.category, requirement.status) == (
        1,
        "requirement",
        "published",
    )
    assert requirement.publisher_org.code == "文司" and requirement.files.count() == 1
    assert (notice.tier, notice.category) == (2, "accountability")
    assert set(notice.scope_orgs.values_list("code", flat=True)) == {
        "文市监",
        "文市监法",
        "文交",
        "文交法",
        "文教",
        "文教法",
    }
    assert len(titles("jy.clerk")) == 3 and len(titles("jw.clerk")) == 2
    assert titles("auditor") == set()
    sf_leader = User.objects.get(username="sf.leader")
    read = [row for row in shared_item_receipts(sf_leader, requirement) if row.has_read]
    assert [row.org.code for row in read] == ["文市监法"]


def test_the_demo_loads_once(demo):
    call_command("demo")
    assert load_demo_shared_items() == 0
    assert SharedItem.objects.count() == 3 and ReadReceipt.objects.count() == 1
