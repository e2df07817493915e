"""Calendar and time-limit pages: everyone logged in reads, only the system administrator edits."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from xianjie.calendar.models import CalendarDay, CalendarYear
from xianjie.calendar.selectors import current_parameter, day_status

pytestmark = pytest.mark.django_db

EDIT_PAGES = [
    reverse("calendar:year_edit", args=[2027]),
    reverse("calendar:day_edit", args=["2026-03-03"]),
    reverse("calendar:parameter_edit", args=["referral.receive"]),
]


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("calendar:years"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_years_page_lists_seeded_and_unconfirmed_years_for_a_clerk(client, sj_clerk, time_machine):
    time_machine.move_to(date(2026, 11, 27))
    response, html = page(client, sj_clerk, reverse("calendar:years"))
    assert response.status_code == 200
    assert "2027年" in html and "2026年" in html
    assert "官方安排已录入" in html and "未确认" in html
    assert "录入放假安排" not in html  # a clerk is not offered editing


def test_years_page_filters_by_status_in_the_query_string(client, sj_clerk, time_machine):
    time_machine.move_to(date(2026, 11, 27))
    _, html = page(client, sj_clerk, reverse("calendar:years"), status="unconfirmed")
    assert "2027年" in html and "2026年" not in html
    _, html = page(client, sj_clerk, reverse("calendar:years"), status="confirmed")
    assert "2026年" in html and "2007年" in html and "2027年" not in html
    assert "第 1 / 2 页" in html  # 23 confirmed years, 20 a page, newest first
    assert "status=confirmed&amp;page=2" in html  # the filter stays in the page links
    _, html = page(client, sj_clerk, reverse("calendar:years"), status="confirmed", page=2)
    assert "2004年" in html and "2007年" not in html


def test_year_page_shows_the_grid_with_holidays_and_make_up_days(client, jw_leader):
    response, html = page(client, jw_leader, reverse("calendar:year", args=[2026]))
    assert response.status_code == 200
    assert 'title="2026-02-14 春节 调休上班"' in html
    assert 'class="holiday" title="2026-10-01 国庆节"' in html
    assert "day/2026-10-01/edit" not in html  # no edit links for a leader


def test_year_page_of_an_unconfirmed_year_says_so(client, sf_clerk):
    _, html = page(client, sf_clerk, reverse("calendar:year", args=[2027]))
    assert "2027年的官方节假日安排尚未录入" in html


def test_year_page_outside_the_calendar_is_404(client, sf_clerk):
    response, _ = page(client, sf_clerk, reverse("calendar:year", args=[1899]))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["sj_clerk", "jw_leader", "secadmin", "auditor"])
@pytest.mark.parametrize("url", EDIT_PAGES)
def test_edit_pages_are_403_for_everyone_but_the_system_administrator(
    client, request, persona, url
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"holidays": "2027-01-01 元旦", "kind": "rest"}).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date=date(2026, 3, 3)).exists()


def test_year_edit_page_shows_errors_per_line_and_keeps_what_was_typed(client, sysadmin):
    client.force_login(sysadmin)
    typed = "2027-01-01 元旦\n2027-02-06至2027-02-13 春节\n2027年4月5日 清明节"
    response = client.post(
        reverse("calendar:year_edit", args=[2027]), {"holidays": typed, "makeup_days": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "第3行：日期格式应为 YYYY-MM-DD" in html
    assert "2027年4月5日 清明节" in html  # the typed text is still there
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_year_edit_page_saves_the_notice_and_returns_to_the_year(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        reverse("calendar:year_edit", args=[2027]),
        {"notice": "国办发明电〔2026〕9号", "holidays": "2027-10-01至2027-10-07 国庆节"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("calendar:year", args=[2027])
    assert day_status(date(2027, 10, 4)) == "restday"
    html = client.get(response["Location"]).content.decode()
    assert "2027年放假安排已录入。" in html and "国办发明电〔2026〕9号" in html


def test_year_edit_page_of_a_seeded_year_is_prefilled(client, sysadmin):
    _, html = page(client, sysadmin, reverse("calendar:year_edit", args=[2026]))
    assert "2026-10-01至2026-10-07 国庆节" in html
    assert "2026-02-14 春节" in html


def test_day_edit_page_sets_and_resets_a_day(client, sysadmin):
    url = reverse("calendar:day_edit", args=["2026-03-03"])
    client.force_login(sysadmin)
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "holiday", "name": ""})
    assert "法定节假日须填写节日名称" in response.content.decode()
    response = client.post(url, {"kind": "rest", "name": "停电"})
    assert response.status_code == 302
    assert day_status(date(2026, 3, 3)) == "restday"
    assert client.post(url, {"reset": "1"}).status_code == 302
    assert day_status(date(2026, 3, 3)) == "workday"


def test_day_edit_page_of_a_malformed_date_is_404(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(reverse("calendar:day_edit", args=["2026-02-30"])).status_code == 404


def test_parameters_page_shows_current_rules_with_basis(client, sf_clerk):
    response, html = page(client, sf_clerk, reverse("calendar:parameters"))
    assert response.status_code == 200
    assert "5个工作日" in html and "监察法实施条例" in html and "第1版" in html
    assert "parameters/referral.receive/edit" not in html


def test_parameter_edit_page_creates_a_new_version(client, sysadmin):
    url = reverse("calendar:parameter_edit", args=["referral.receive"])
    client.force_login(sysadmin)
    response = client.post(url, {"amount": "0", "unit": "workdays", "basis": "x", "reason": ""})
    html = response.content.decode()
    assert "期限应为 1 至 365 之间的整数。" in html
    assert current_parameter("referral.receive").version == 1
    response = client.post(
        url, {"amount": "2", "unit": "workdays", "basis": "县联席会议决定。", "reason": "提速"}
    )
    assert response.status_code == 302
    assert current_parameter("referral.receive").amount == 2
    html = client.get(url).content.decode()
    assert "第2版" in html and "第1版" in html and "提速" in html


def test_parameter_edit_page_of_an_unknown_key_is_404(client, sysadmin):
    client.force_login(sysadmin)
    url = reverse("calendar:parameter_edit", args=["nothing"])
    assert client.get(url).status_code == 404
