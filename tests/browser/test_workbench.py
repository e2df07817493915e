"""A user logs in through the real login page in Chromium and lands on the Chinese workbench."""

import re

import pytest

from tests.factories import TEST_PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CJK_FONTS = ("Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC")


@pytest.fixture
def clerk(county):
    """The demo county's commission clerk (CONTRACT.md), with her name as in `xianjie demo`."""
    return make_user("jw.clerk", county["jw"], "clerk", full_name="张雯")


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def _fonts_drawing(page, selector):
    """The font families Chromium actually used for the element's text (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {font["familyName"] for font in fonts}


def test_demo_user_logs_in_and_sees_chinese_workbench(page, live_server, clerk, artifacts_dir):
    _log_in(page, live_server.url, "jw.clerk")

    main = page.locator("main").inner_text()
    assert "工作台" in page.title()
    assert "您好，张雯" in main
    assert "中共文水县纪委 文水县监委" in main
    assert "待办" in main and "已办" in main
    header = page.locator("header").inner_text()
    assert "中共文水县纪委 文水县监委" in header
    assert "退出登录" in header
    menu = page.get_by_role("navigation", name="主菜单").inner_text()
    assert "工作台" in menu
    assert LATIN_WORD.findall(menu) == []
    # Chinese must be drawn with a CJK font from the stack, not as empty boxes.
    assert any(f in _fonts_drawing(page, ".sidenav a.active") for f in CJK_FONTS)
    # Nothing pushes the page sideways at 1366 × 768.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=str(artifacts_dir / "workbench.png"), full_page=True)


def test_anonymous_visit_to_workbench_redirects_to_login(page, live_server):
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("button", name="登录").is_visible()


def test_skip_link_takes_keyboard_users_to_the_content(page, live_server, clerk):
    _log_in(page, live_server.url, "jw.clerk")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
