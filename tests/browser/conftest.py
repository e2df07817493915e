"""A real browser for the page tests: Debian's Chromium driven by Playwright's sync API.

Playwright's own browser download is never used (offline machines, pinned system packages);
the tests drive /usr/bin/chromium from the `chromium` package, headless, against pytest-django's
live server, in a fresh profile per test session.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts"
VIEWPORT = {"width": 1366, "height": 768}  # the common office screen (ARCHITECTURE.md)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Date inputs and built-in messages in Chinese, as on the users' machines.
    "--lang=zh-CN",
]
MISSING = (
    f"BROWSER TESTS NOT RUN: {CHROMIUM} is missing. Install the Debian packages "
    "`chromium` and `fonts-noto-cjk` (apt-get install chromium fonts-noto-cjk; `make test` "
    "does it when run as root). Never use `playwright install`."
)


@pytest.fixture(scope="session")
def browser_context(live_server) -> Iterator:
    """One Chromium for the session. It needs the live server so that it is closed first: the
    server's request threads share the test database connection only while the server runs."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(MISSING, pytrace=False)
        pytest.skip(MISSING)
    # The sync API runs an event loop in this thread; the ORM calls made by the test itself
    # (fixtures, assertions) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="xianjie-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        yield context
        context.close()


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    """Evidence blobs and generated keys of a browser test stay in its own temporary folder."""
    settings.DATA_DIR = tmp_path
    settings.MASTER_KEY_FILE = str(tmp_path / "master.key")
    from xianjie.core import crypto

    crypto._load_master.cache_clear()
    yield
    crypto._load_master.cache_clear()


@pytest.fixture
def page(browser_context) -> Iterator:
    """A new tab with no cookies left by an earlier test."""
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    tab.close()


@pytest.fixture
def artifacts_dir() -> Path:
    """Screenshots kept by CI (it archives var/artifacts)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
