"""Evidence travelling with a forwarded referral (转办, 监察法实施条例).

A forward creates a new referral, with its own data key, to the competent org; its files are
copied into it re-encrypted under that key, so the competent org can open exactly those files and
nothing else of the forwarding org's (第十一条). A copy is checked against the original's hashes
as it is made: a damaged original stops the forward rather than travel on unnoticed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xianjie.access.restrict import get_object_for_user
from xianjie.access.tiers import Action, Tier
from xianjie.audit.services import audit_record
from xianjie.core import crypto

from .. import sealing
from ..models import Evidence, Referral
from . import storage
from .services import EvidenceCorrupted, sealed_field


def evidence_copy(*, evidence: Evidence, to_referral: Referral, actor: Any) -> Evidence:
    """Copy one file of a referral into the referral it is forwarded as, inside the forward's
    transaction; the copy is uploaded by `actor` (the forwarding org's leader).

    Should that transaction roll back later, the copied blob is left without a row — ciphertext
    under a data key that was never committed anywhere, so unreadable — and the orphan sweep
    (storage.sweep_orphan_files) removes it.
    """
    source = get_object_for_user(
        Evidence.objects.select_related("referral"), actor, Action.VIEW, pk=evidence.pk
    )
    target = get_object_for_user(Referral.objects.all(), actor, Action.VIEW, pk=to_referral.pk)
    original = source.referral
    try:
        filename = sealing.unseal(
            original, sealed_field(source.pk, "filename"), source.filename_enc
        )
        description = sealing.unseal(
            original, sealed_field(source.pk, "description"), source.description_enc
        )
    except (crypto.DecryptionError, ValueError, IndexError):
        raise _refusal() from None
    stored = storage.Digest(source.size, source.sha256, source.sm3)
    blob = storage.PendingBlob()
    try:
        try:
            with storage.open_blob(source.blob_name) as handle:
                plaintext = crypto.decrypt_stream(sealing.data_key(original), handle)
                copied = blob.write(sealing.data_key(target), plaintext)
        except (FileNotFoundError, crypto.DecryptionError):
            raise _refusal() from None
        if copied != stored:
            raise _refusal()
        with transaction.atomic():
            copy = Evidence.objects.create(
                referral=target,
                role=source.role,
                content_type=source.content_type,
                size=copied.size,
                sha256=copied.sha256,
                sm3=copied.sm3,
                blob_name=storage.new_blob_name(),
                uploaded_by=actor,
            )
            copy.filename_enc = sealing.seal(target, sealed_field(copy.pk, "filename"), filename)
            copy.description_enc = sealing.seal(
                target, sealed_field(copy.pk, "description"), description
            )
            copy.save(update_fields=["filename_enc", "description_enc"])
            audit_record(
                actor=actor,
                action="referral.evidence_copy",
                obj=target,
                tier=Tier.CASE_SECRET,
                payload={
                    "evidence": copy.pk,
                    "copied_from": source.pk,
                    "from_referral": original.pk,
                    "size": copied.size,
                    "sha256": copied.sha256,
                },
            )
            blob.place(copy.blob_name)
    except BaseException:
        blob.discard()
        raise
    return copy


def _refusal() -> EvidenceCorrupted:
    return EvidenceCorrupted(
        "一份证据材料校验未通过（可能已损坏或被篡改），不能随线索转办。请联系安全管理员核查。"
    )
