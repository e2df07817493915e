"""Who sees a referral (第十一条: tier 3 涉案类保密信息 — the two parties to the case only).

- The clerks and leaders of the sending org see their referrals from the first draft.
- The clerks and leaders of the receiving org see a referral once it has been sent to them (a
  forward creates a new referral to the competent org, so that org sees it from then on).
- The justice bureau (行政执法协调监督局) sees the *status* of referrals that involve the
  departmental legal units of its region — counts and states for its supervision, no content.
- The 三员 and everyone else see nothing: lists, counts and lookups all go through these rules.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from xianjie.access.restrict import Rule, register_policy
from xianjie.accounts.models import OrgKind, Role

from .models import Evidence, Referral, ReferralSubject

#: Actions that reveal case content; "status" reveals only number, parties, status and clocks.
CONTENT_ACTIONS = frozenset({"view", "change", "download", "export"})


def referral_rule(user: Any, action: str, prefix: str = "") -> Rule:
    if user.org_id is None or not user.has_role(Role.CLERK, Role.LEADER):
        return False

    def field(name: str) -> str:
        return f"{prefix}{name}"

    parties = Q(**{field("sender_org_id"): user.org_id}) | Q(
        **{field("receiver_org_id"): user.org_id, field("sent_at__isnull"): False}
    )
    if action in CONTENT_ACTIONS:
        return parties
    if action == "status":
        if user.org.kind != OrgKind.JUSTICE:
            return parties
        departmental = Q(
            **{
                field("sender_org__kind"): OrgKind.DEPT_SUPERVISION,
                field("sender_org__region_id"): user.org.region_id,
                field("sent_at__isnull"): False,
            }
        ) | Q(
            **{
                field("receiver_org__kind"): OrgKind.DEPT_SUPERVISION,
                field("receiver_org__region_id"): user.org.region_id,
                field("sent_at__isnull"): False,
            }
        )
        return parties | departmental
    return False


@register_policy(Referral)
def _referral_policy(user: Any, action: str) -> Rule:
    return referral_rule(user, action)


@register_policy(ReferralSubject)
def _subject_policy(user: Any, action: str) -> Rule:
    return referral_rule(user, action, prefix="referral__") if action in CONTENT_ACTIONS else False


@register_policy(Evidence)
def _evidence_policy(user: Any, action: str) -> Rule:
    return referral_rule(user, action, prefix="referral__") if action in CONTENT_ACTIONS else False
