"""Forwarding (转办): a new referral from the forwarding org to the competent one."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xianjie.accounts.models import Org
from xianjie.documents.numbering import doc_number_allocate

from ..models import Referral
from ..sealing import new_wrapped_key
from ..selectors import referral_content
from ..transitions import Direction, Status, Transition
from . import clocks
from ._support import audit, record_event
from .drafting import write_content


def copy_for_forward(referral: Referral, *, target: Org, actor: Any, reason: str) -> Referral:
    """The content, codes and evidence travel re-encrypted under the new referral's own key, so
    the competent org sees this case from now on and nothing else of the forwarding org."""
    from ..evidence import evidence_copy

    content = referral_content(referral)
    forwarded = Referral.objects.create(
        direction=referral.direction,
        status=Status.SENT,
        sender_org_id=referral.receiver_org_id,
        receiver_org=target,
        forwarded_from=referral,
        source=referral.source,
        created_by=actor,
        wrapped_key=new_wrapped_key(),
        sent_at=timezone.now(),
        number=doc_number_allocate(
            org=referral.receiver_org, doc_type="referral", year=timezone.localdate().year
        ),
    )
    write_content(
        forwarded,
        subjects=[
            {**s.as_input(), "org_name": s.org_name, "officer": s.officer_id}
            for s in content.subjects
        ],
        norms=content.norms,
        codes=list(referral.violation_codes.all()),
        facts=content.facts,
        summary=content.summary,
    )
    for evidence in referral.evidence.all():
        evidence_copy(evidence=evidence, to_referral=forwarded, actor=actor)
    record_event(
        referral=forwarded,
        actor=actor,
        transition=Transition.FORWARD,
        from_status="",
        comment=reason,
        data={"forwarded_from": referral.pk},
    )
    audit(forwarded, actor, "forwarded_in", forwarded_from=referral.pk)
    first = (
        clocks.RECEIVE if forwarded.direction == Direction.TO_DISCIPLINE else clocks.VERIFY_START
    )
    clocks.start(forwarded, first, actor)
    return forwarded
