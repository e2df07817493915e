"""Pieces of the story 6 browser test (第十一条, 第十二条): the migrated seeds, the demo county's
people with their demo names, a closed lead built through the referral services with a PDF
evidence file that holds text, and the page gestures the test repeats."""

from __future__ import annotations

import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.factories import TEST_PASSWORD, OfficerFactory
from xianjie.calendar.selectors import forget_calendar
from xianjie.referrals import services
from xianjie.referrals.evidence import evidence_upload
from xianjie.referrals.models import EvidenceRole, Referral

#: Data the migrations seed, and a model each fills: an earlier transactional test flushes them.
SEEDS = (
    ("xianjie.catalog.migrations.0002_seed_violation_codes", "catalog.ViolationCode"),
    ("xianjie.calendar.migrations.0002_seed_calendar_2004_2026", "calendar.CalendarYear"),
    ("xianjie.calendar.migrations.0003_seed_time_limits", "calendar.TimeLimitParameter"),
)
#: The names of `xianjie demo` (accounts/management/commands/demo.py).
NAMES = {
    "sf_clerk": "李娜",
    "sf_leader": "刘志强",
    "sj_clerk": "陈晓燕",
    "jt_clerk": "赵磊",
    "jw_clerk": "张雯",
    "jw_leader": "王建国",
    "outsider": "周敏",
    "jy_leader": "吴刚",
}
#: The officer of the closed lead. A real-looking name (not the demo's 李某某, which already
#: reads as masked) so that the test can see the de-identification remove it.
OFFICER = "李建军"
CERT = "14110012346"
MOBILE = "13935861234"
FACTS = (
    f"2026年案卷评查发现，{OFFICER}（执法证号{CERT}）在查处某超市销售过期食品一案中，当场收缴"
    f"罚款2000元未出具罚款收据，款项未按规定上缴国库，并多次以个人手机{MOBILE}与当事人私下联系。"
)
RESULT = f"经谈话函询，{OFFICER}如实说明问题，对其进行批评教育并责令作出书面检查。"
EVIDENCE_NAME = "案卷评查记录.pdf"
#: Text on the evidence page, to show that the watermarked copy still carries the original.
EVIDENCE_TEXT = "CASE FILE REVIEW 2026-031"


@pytest.fixture
def seeded(transactional_db):
    """The violation catalogue, the working-day calendar and the time limits, as migrated."""
    for module, model in SEEDS:
        if not django_apps.get_model(model).objects.exists():
            importlib.import_module(module).seed(django_apps, None)
    forget_calendar()


@pytest.fixture
def people(request, seeded):
    """The personas of the story, named as in `xianjie demo` (the watermark and the read
    receipts show these names)."""
    users = {key: request.getfixturevalue(key) for key in (*NAMES, "sj_leader", "jt_leader")}
    for key, name in NAMES.items():
        users[key].full_name = name
        users[key].save(update_fields=["full_name"])
    return users


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose text layer holds `text` (a scanned record with its OCR text)."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.setFont("Helvetica", 14)
    sheet.drawString(72, 760, text)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def closed_lead(people, county) -> Referral:
    """SCENARIOS.md story 1 finished, made through the services by the people themselves: the
    司法局's lead about officer 李建军 of the market regulator, with a PDF of the case-file
    review, received and handled by 谈话函询 by the commission, answered in writing, closed."""
    OfficerFactory(name=OFFICER, org=county["sj_dept"], post="市场监管所所长", cert_no=CERT)
    lead = services.referral_create(
        actor=people["sf_clerk"],
        receiver_org=county["jw"].pk,
        direction="to_discipline",
        source="supervision_check",
        subjects=[
            {
                "kind": "person",
                "name": OFFICER,
                "post": "市场监管所所长",
                "org": "文水县市场监督管理局",
                "cert_no": CERT,
            }
        ],
        facts=FACTS,
        norms=[{"name": "《中华人民共和国行政处罚法》", "clause": "第七十条、第七十四条"}],
        violation_codes=["P05"],
        summary="当场收缴罚款未上缴",
    )
    evidence_upload(
        referral=lead,
        actor=people["sf_clerk"],
        file=ContentFile(pdf_with_text(EVIDENCE_TEXT), name=EVIDENCE_NAME),
    )
    services.referral_submit(referral_id=lead.pk, actor=people["sf_clerk"])
    services.referral_approve(referral_id=lead.pk, actor=people["sf_leader"])
    services.referral_receive(referral_id=lead.pk, actor=people["jw_clerk"])
    services.referral_dispose(
        referral_id=lead.pk, actor=people["jw_leader"], method="talk_or_letter"
    )
    letter = evidence_upload(
        referral=lead,
        actor=people["jw_clerk"],
        file=ContentFile(pdf_with_text("FEEDBACK LETTER"), name="处理情况反馈函.pdf"),
        role=EvidenceRole.FEEDBACK_LETTER,
    )
    services.referral_feedback(
        referral_id=lead.pk, actor=people["jw_leader"], result=RESULT, document=letter.pk
    )
    services.referral_close(referral_id=lead.pk, actor=people["sf_clerk"])
    return Referral.objects.get(pk=lead.pk)


# --- Gestures on the pages.


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def submit(page, button, *, confirm=False, scope=None):
    """Click `button` (in `scope`, else the page) and wait for the next page; with `confirm`,
    accept the question the page asks first and hand it back."""
    dialogs = []
    if confirm:
        page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        (scope or page).get_by_role("button", name=button, exact=True).click()
    if confirm:
        assert dialogs and dialogs[0].startswith("确认"), dialogs
        return dialogs[0]
    return ""


def act(page, label, *, confirm=False, checks=(), radio=None):
    """Open the form of one move on a detail page (a <details> in the side panel), tick its
    boxes by label and send it."""
    page.locator("summary", has_text=re.compile(f"^{label}$")).click()
    form = page.locator("details[open] form.move-form")
    if radio:
        form.get_by_label(radio).check()
    for label_text in checks:
        form.get_by_label(label_text, exact=True).check()
    return submit(page, f"确认{label}", confirm=confirm, scope=form)


def menu(page, name):
    """Follow an entry of the main menu."""
    with page.expect_navigation():
        page.get_by_role("navigation", name="主菜单").get_by_role("link", name=name).click()


def messages(page):
    return page.locator(".messages").inner_text()


def main_text(page):
    return page.locator("main").inner_text()


def row(page, text):
    """The one table row holding `text`."""
    found = page.locator("tbody tr", has_text=text)
    assert found.count() == 1, f"{text}: {found.count()} rows"
    return found
