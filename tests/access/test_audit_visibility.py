"""Who sees the audit trail and the login log: every persona × both models × every way of
reading them. 等保 2.0 三员: the 审计管理员 alone — not the 系统管理员, not the 安全管理员, not
the clerks and leaders of any org."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from xianjie.access.restrict import get_object_for_user, has_access
from xianjie.access.tiers import Action
from xianjie.audit.models import AuditEntry, LoginEvent
from xianjie.audit.services import audit_record
from xianjie.core.errors import NotFound

pytestmark = pytest.mark.django_db

PERSONAS = [
    "jw_clerk",
    "jw_leader",
    "sf_clerk",
    "sf_leader",
    "sj_clerk",
    "sj_leader",
    "jt_clerk",
    "jt_leader",
    "outsider",
    "sysadmin",
    "secadmin",
    "auditor",
]
MODELS = {
    AuditEntry: ("audit:entries", "audit:entries_export"),
    LoginEvent: ("audit:login_events", "audit:login_events_export"),
}


@pytest.fixture
def everyone(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def rows(everyone):
    """Rows about every persona, so that "sees nothing" cannot pass on an empty table."""
    with transaction.atomic():
        for user in everyone.values():
            audit_record(actor=user, action="test.event", obj=user)
            LoginEvent.objects.create(username=user.username, user=user, success=True)
    return {AuditEntry: AuditEntry.objects.first(), LoginEvent: LoginEvent.objects.first()}


@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_auditor_reads_the_logs(client, everyone, rows, persona, model):
    user = everyone[persona]
    sees = persona == "auditor"
    total = model.objects.count()
    expected = total if sees else 0

    assert len(model.objects.restrict(user, Action.VIEW)) == expected
    assert model.objects.restrict(user, Action.VIEW).count() == expected
    assert model.objects.restrict(user, Action.EXPORT).count() == expected
    assert has_access(user, model, Action.VIEW) is sees
    if sees:
        assert get_object_for_user(model.objects.all(), user, pk=rows[model].pk) == rows[model]
    else:
        with pytest.raises(NotFound):
            get_object_for_user(model.objects.all(), user, pk=rows[model].pk)

    client.force_login(user)
    page_name, export_name = MODELS[model]
    page = client.get(reverse(page_name))
    export = client.get(reverse(export_name))
    if sees:
        assert page.status_code == 200
        assert len(page.context["rows"]) == total
        assert export.status_code == 200
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    else:
        assert page.status_code == 403
        assert export.status_code == 403
        assert not AuditEntry.objects.filter(action="audit.export").exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_auditor_verifies_the_chain(client, everyone, rows, persona):
    client.force_login(everyone[persona])
    response = client.post(reverse("audit:verify"))
    ran = AuditEntry.objects.filter(action="audit.verify").exists()
    if persona == "auditor":
        assert response.status_code == 302
        assert ran
    else:
        assert response.status_code == 403
        assert not ran


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_may_change_a_log_row(everyone, rows, persona):
    user = everyone[persona]
    for model in MODELS:
        for action in (Action.CHANGE, Action.MANAGE):
            assert model.objects.restrict(user, action).count() == 0
