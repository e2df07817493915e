"""The access framework itself (access/restrict.py), exercised on real models.

The audit models serve as the example: their policy (audit/policies.py) lets the auditor read
and export, and nobody else anything.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q

from xianjie.access import restrict
from xianjie.access.checks import restricted_models_have_policies
from xianjie.access.restrict import (
    RestrictedQuerySet,
    get_object_for_user,
    has_access,
    register_policy,
    require_role,
)
from xianjie.access.tiers import Action
from xianjie.accounts.models import Role
from xianjie.audit.models import AuditHead, LoginEvent
from xianjie.core.errors import NotFound, NotPermitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    return [
        LoginEvent.objects.create(username=name, success=ok)
        for name, ok in (("jw.clerk", True), ("jw.clerk", False), ("sf.leader", True))
    ]


def _deactivate(user):
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    user.refresh_from_db()
    return user


def test_model_without_policy_is_a_configuration_error(auditor):
    with pytest.raises(ImproperlyConfigured, match="AuditHead has no access policy"):
        RestrictedQuerySet(AuditHead).restrict(auditor, Action.VIEW)


def test_model_without_policy_fails_even_for_anonymous_users():
    # Failing only for logged-in users would hide the mistake from anonymous-page tests.
    with pytest.raises(ImproperlyConfigured):
        RestrictedQuerySet(AuditHead).restrict(AnonymousUser())


def test_unknown_action_is_refused_loudly(auditor, events):
    with pytest.raises(ValueError, match="unknown access action 'veiw'"):
        LoginEvent.objects.restrict(auditor, "veiw")
    with pytest.raises(ValueError):
        get_object_for_user(LoginEvent.objects.all(), auditor, "veiw", pk=events[0].pk)


def test_policy_answering_neither_q_nor_bool_is_a_configuration_error(auditor, events, monkeypatch):
    monkeypatch.setitem(restrict._policies, LoginEvent, lambda user, action: None)
    with pytest.raises(ImproperlyConfigured, match="must answer a Q or a bool"):
        LoginEvent.objects.restrict(auditor).count()


def test_a_second_policy_for_a_model_is_refused(monkeypatch):
    monkeypatch.setitem(restrict._policies, AuditHead, lambda user, action: False)
    with pytest.raises(ImproperlyConfigured, match="already has an access policy"):
        register_policy(AuditHead)(lambda user, action: True)


def test_q_rule_filters_lists_counts_and_lookups(sf_leader, events, monkeypatch):
    monkeypatch.setitem(
        restrict._policies, LoginEvent, lambda user, action: Q(username=user.username)
    )
    visible = LoginEvent.objects.restrict(sf_leader)
    assert list(visible) == [events[2]]
    assert visible.count() == 1
    assert get_object_for_user(LoginEvent.objects.all(), sf_leader, pk=events[2].pk) == events[2]
    with pytest.raises(NotFound):
        get_object_for_user(LoginEvent.objects.all(), sf_leader, pk=events[0].pk)


def test_anonymous_visitor_sees_nothing(events):
    for user in (AnonymousUser(), None):
        assert LoginEvent.objects.restrict(user).count() == 0
        assert not has_access(user, LoginEvent)
        with pytest.raises(NotFound):
            get_object_for_user(LoginEvent.objects.all(), user, pk=events[0].pk)


def test_inactive_user_sees_nothing_whatever_the_role(auditor, events):
    assert LoginEvent.objects.restrict(auditor).count() == 3
    _deactivate(auditor)
    assert LoginEvent.objects.restrict(auditor).count() == 0
    assert not has_access(auditor, LoginEvent)
    with pytest.raises(NotFound):
        get_object_for_user(LoginEvent.objects.all(), auditor, pk=events[0].pk)


def test_restrict_combines_with_other_filters(auditor, events):
    failures = LoginEvent.objects.filter(success=False).restrict(auditor, Action.EXPORT)
    assert list(failures) == [events[1]]
    assert list(LoginEvent.objects.restrict(auditor).filter(username="sf.leader")) == [events[2]]


def test_get_object_for_user_answers_not_found_for_an_invisible_object(jw_clerk, events):
    # 第十一条: the object exists, but saying "forbidden" would reveal that it does.
    with pytest.raises(NotFound) as refused:
        get_object_for_user(LoginEvent.objects.all(), jw_clerk, pk=events[0].pk)
    assert not isinstance(refused.value, NotPermitted)
    assert refused.value.status == 404


def test_get_object_for_user_answers_not_found_for_a_missing_or_malformed_id(auditor, events):
    for pk in (999_999, "abc", ""):
        with pytest.raises(NotFound):
            get_object_for_user(LoginEvent.objects.all(), auditor, pk=pk)


def test_get_object_for_user_keeps_the_queryset_it_was_given(auditor, events):
    # A service locks the row it changes; the lookup must keep select_for_update and filters.
    with transaction.atomic():
        locked = LoginEvent.objects.select_for_update().filter(success=True)
        assert get_object_for_user(locked, auditor, pk=events[2].pk) == events[2]
        with pytest.raises(NotFound):
            get_object_for_user(locked, auditor, pk=events[1].pk)


def test_the_audit_policy_grants_no_change_even_to_the_auditor(auditor, events):
    for action in (Action.CHANGE, Action.MANAGE, Action.DOWNLOAD, Action.STATUS):
        assert LoginEvent.objects.restrict(auditor, action).count() == 0
        assert not has_access(auditor, LoginEvent, action)


def test_require_role_lets_the_role_holder_through(auditor, sysadmin):
    require_role(auditor, Role.AUDITOR)
    require_role(sysadmin, Role.SECADMIN, Role.SYSADMIN)


def test_require_role_refuses_everyone_else(jw_leader, sysadmin, auditor):
    for user in (jw_leader, sysadmin, AnonymousUser(), None):
        with pytest.raises(NotPermitted):
            require_role(user, Role.AUDITOR)
    _deactivate(auditor)
    with pytest.raises(NotPermitted):
        require_role(auditor, Role.AUDITOR)


def test_every_restricted_model_of_the_project_has_a_policy():
    assert restricted_models_have_policies() == []


def test_start_up_check_names_a_restricted_model_without_policy(monkeypatch):
    monkeypatch.delitem(restrict._policies, LoginEvent)
    errors = restricted_models_have_policies()
    assert [(e.id, e.obj) for e in errors] == [("access.E001", LoginEvent)]
