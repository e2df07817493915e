"""Evidence files of a referral: upload, listing and download (第四、五、七、十一条).

第四条 asks for evidence with every lead; 第五、七条 ask for written feedback, uploaded as a
signed scan with the role `feedback_letter`; 第十一条 makes all of it tier 3 涉案类保密信息: the
file is encrypted on disk under the referral's own data key, its name and description are sealed
in the database, only the two parties may list or download it, and every upload and download is
an audit entry (ids, sizes and hashes — never the name or the description).

Who uploads what (CONTRACT.md "Files", permissions.UPLOADS): the sender's clerk and leader upload
evidence and other material while `draft` and supplements while `awaiting_supplement`; the
receiver's clerk and leader upload feedback letters while `handling`. Refusals, in this order:
404 the referral is not visible (the receiver sees nothing before it is sent); 400 bad fields,
all listed at once; 403 the user's side never uploads that role (or the user is neither clerk
nor leader); 409 the side uploads that role, but not in the current status; 413 larger than
settings.EVIDENCE_MAX_BYTES (the declared size first, then the bytes counted as they stream);
415 not an accepted type by content (filetypes.py). A refused or interrupted upload leaves no row,
no blob and no temporary file.

Field contexts: a file's name and description are sealed as "evidence:<id>:filename" and
"evidence:<id>:description" under the referral (sealing.seal), so a sealed value moved to another
evidence row or referral no longer decrypts.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import transaction

from xianjie.access.restrict import get_object_for_user
from xianjie.access.tiers import Action, Tier
from xianjie.accounts.models import Role
from xianjie.audit.services import audit_record
from xianjie.core import crypto
from xianjie.core.errors import (
    Conflict,
    FileTooLarge,
    InvalidInput,
    NotPermitted,
    ServiceError,
)

from .. import permissions, sealing
from ..models import Evidence, EvidenceRole, Referral
from ..transitions import status_label
from . import filetypes, storage
from .filenames import sanitise_filename

MAX_DESCRIPTION_CHARS = 500
READ_CHUNK = 64 * 1024
UNREADABLE_NAME = "（文件名无法解密）"

_TYPE_LABELS = {kind.content_type: kind.label for kind in filetypes.ACCEPTED}


class EvidenceCorrupted(ServiceError):
    """A stored file no longer matches what was uploaded — a hash differs, decryption fails or the
    blob is gone. It is refused, never served, and the refusal is audited. 409: the request is
    sound, the stored state is not what it must be."""

    status = 409
    default_detail = "该文件校验未通过（可能已损坏或被篡改），已拒绝下载。请联系安全管理员核查。"


@dataclass(frozen=True)
class EvidenceItem:
    """One file of a referral as shown to its parties, name and description decrypted."""

    id: int
    referral_id: int
    role: str
    role_label: str
    filename: str
    description: str
    content_type: str
    type_label: str
    size: int
    sha256: str
    sm3: str
    uploaded_by: str
    uploaded_at: datetime


class PlaintextStream:
    """The decrypted chunks of a verified blob; closing it closes the blob (the response does)."""

    def __init__(self, data_key: bytes, handle: BinaryIO) -> None:
        self._handle = handle
        self._chunks = crypto.decrypt_stream(data_key, handle)

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        return next(self._chunks)

    def close(self) -> None:
        self._handle.close()


@dataclass
class OpenedEvidence:
    evidence: Evidence
    filename: str
    content_type: str
    size: int
    chunks: PlaintextStream


def sealed_field(evidence_id: int, name: str) -> str:
    return f"evidence:{evidence_id}:{name}"


def too_large(limit: int) -> FileTooLarge:
    detail = f"文件过大：单个文件不能超过 {limit / (1024 * 1024):.6g} MB。"
    return FileTooLarge(detail, errors={"file": [detail]})


def evidence_upload(
    *,
    referral: Referral,
    actor: Any,
    file: File[Any] | None,
    role: str = EvidenceRole.EVIDENCE,
    description: str = "",
) -> Evidence:
    """Keep one file of `referral`, encrypted (第十一条); see the module docstring for who may
    upload what and the order of refusals."""
    current = get_object_for_user(Referral.objects.all(), actor, Action.VIEW, pk=referral.pk)
    upload, role, text = _clean(file=file, role=role, description=description)
    _require_upload_role(actor, current, role)
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise too_large(limit)
    kind = filetypes.detect(upload)
    filename = sanitise_filename(upload.name, kind)
    blob = storage.PendingBlob()
    try:
        digest = blob.write(sealing.data_key(current), _counted(upload, limit))
        with transaction.atomic():
            # The status may have moved while the file streamed: decide again under the lock.
            locked = get_object_for_user(
                Referral.objects.select_for_update(), actor, Action.VIEW, pk=current.pk
            )
            _require_upload_role(actor, locked, role)
            evidence = Evidence.objects.create(
                referral=locked,
                role=role,
                content_type=kind.content_type,
                size=digest.size,
                sha256=digest.sha256,
                sm3=digest.sm3,
                blob_name=storage.new_blob_name(),
                uploaded_by=actor,
            )
            evidence.filename_enc = sealing.seal(
                locked, sealed_field(evidence.pk, "filename"), filename
            )
            evidence.description_enc = sealing.seal(
                locked, sealed_field(evidence.pk, "description"), text
            )
            evidence.save(update_fields=["filename_enc", "description_enc"])
            audit_record(
                actor=actor,
                action="referral.evidence_upload",
                obj=locked,
                tier=Tier.CASE_SECRET,
                payload={
                    "status": locked.status,
                    "number": locked.number,
                    "evidence": evidence.pk,
                    "role": role,
                    "content_type": kind.content_type,
                    "size": digest.size,
                    "sha256": digest.sha256,
                    "sm3": digest.sm3,
                },
            )
            # Last step of the transaction: a failure before it, or of the commit itself, lands
            # in the handler below, which removes the blob again.
            blob.place(evidence.blob_name)
    except BaseException:
        blob.discard()
        raise
    return evidence


def _clean(*, file: File[Any] | None, role: str, description: str) -> tuple[File[Any], str, str]:
    errors: dict[str, list[str]] = {}
    role = str(role or EvidenceRole.EVIDENCE)
    if role not in EvidenceRole.values:
        errors["role"] = [f"文件用途不正确，可选：{'、'.join(EvidenceRole.labels)}。"]
    if file is None:
        errors["file"] = ["请选择要上传的文件。"]
    text = str(description or "").strip()
    if len(text) > MAX_DESCRIPTION_CHARS:
        errors["description"] = [
            f"文件说明不应超过{MAX_DESCRIPTION_CHARS}个字（现有{len(text)}个字）。"
        ]
    if errors or file is None:
        raise InvalidInput(errors=errors)
    return file, role, text


def _require_upload_role(actor: Any, referral: Referral, role: str) -> None:
    """403 when the user's side never uploads `role`; 409 when it does, but not now."""
    if role in permissions.upload_roles(actor, referral):
        return
    label = EvidenceRole(role).label
    side = permissions.side_of(actor, referral)
    ever: set[str] = set()
    if side is not None and actor.has_role(Role.CLERK, Role.LEADER):
        for roles in permissions.UPLOADS[side].values():
            ever |= roles
    if role not in ever:
        raise NotPermitted(f"您无权上传“{label}”。")
    state = status_label(referral.direction, referral.status)
    raise Conflict(f"线索当前状态为“{state}”，此时不能上传“{label}”。")


def _counted(file: File[Any], limit: int) -> Iterator[bytes]:
    """The file's bytes, counted as they pass: the declared size is checked first, but only the
    bytes actually read decide."""
    total = 0
    for chunk in file.chunks(READ_CHUNK):
        total += len(chunk)
        if total > limit:
            raise too_large(limit)
        yield chunk


def evidence_open(*, evidence_id: Any, referral_id: Any, actor: Any) -> OpenedEvidence:
    """A file of a referral ready to stream to one of its parties (第十一条).

    404 unless `actor` may download it. The blob is decrypted once and its size, SHA-256 and SM3
    compared with those recorded at upload before a byte is served; any difference, a decryption
    failure or a missing blob is EvidenceCorrupted (409) and an audit entry. A download that
    passes is an audit entry too, written before streaming starts.
    """
    evidence = get_object_for_user(
        Evidence.objects.select_related("referral"),
        actor,
        Action.DOWNLOAD,
        pk=evidence_id,
        referral_id=referral_id,
    )
    referral = evidence.referral
    key = sealing.data_key(referral)
    stored = storage.Digest(evidence.size, evidence.sha256, evidence.sm3)
    with contextlib.ExitStack() as cleanup:
        problem = ""
        try:
            handle = cleanup.enter_context(storage.open_blob(evidence.blob_name))
            if storage.digest_plaintext(key, handle) != stored:
                problem = "hash_mismatch"
            filename = sealing.unseal(
                referral, sealed_field(evidence.pk, "filename"), evidence.filename_enc
            )
        except FileNotFoundError:
            problem = "missing"
        except (crypto.DecryptionError, ValueError, IndexError):
            # ValueError, IndexError: a sealed name altered so far it is not even base64.
            problem = "decryption_failed"
        if problem:
            with transaction.atomic():
                audit_record(
                    actor=actor,
                    action="referral.evidence_corrupted",
                    obj=referral,
                    tier=Tier.CASE_SECRET,
                    payload={"evidence": evidence.pk, "problem": problem},
                )
            raise EvidenceCorrupted()
        handle.seek(0)
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="referral.evidence_download",
                obj=referral,
                tier=Tier.CASE_SECRET,
                payload={
                    "status": referral.status,
                    "number": referral.number,
                    "evidence": evidence.pk,
                    "role": evidence.role,
                    "size": evidence.size,
                    "sha256": evidence.sha256,
                },
            )
        cleanup.pop_all()
    return OpenedEvidence(
        evidence=evidence,
        filename=filename,
        content_type=evidence.content_type,
        size=evidence.size,
        chunks=PlaintextStream(key, handle),
    )


def read_verified(data_key: bytes, blob_name: str, stored: storage.Digest) -> bytes:
    """The whole plaintext of a blob, checked against the size and hashes recorded at upload;
    EvidenceCorrupted when the blob is missing, fails to decrypt or differs. For a reader who
    needs the bytes at once (a watermark is drawn over them) rather than a stream."""
    try:
        with storage.open_blob(blob_name) as handle:
            data = b"".join(crypto.decrypt_stream(data_key, handle))
    except (FileNotFoundError, crypto.DecryptionError):
        raise EvidenceCorrupted() from None
    found = storage.Digest(
        len(data), hashlib.sha256(data).hexdigest(), hashlib.new("sm3", data).hexdigest()
    )
    if found != stored:
        raise EvidenceCorrupted()
    return data


def evidence_plaintext(evidence: Evidence) -> tuple[str, bytes]:
    """The name and verified plaintext of a file, for a reader whom the caller has authorised
    without making a party of them (an access grant, 第十一条, which records the use itself).
    Checked like `evidence_open`: any damage is EvidenceCorrupted (409), never served."""
    referral = evidence.referral
    try:
        key = sealing.data_key(referral)
        filename = sealing.unseal(
            referral, sealed_field(evidence.pk, "filename"), evidence.filename_enc
        )
    except (crypto.DecryptionError, ValueError, IndexError):
        raise EvidenceCorrupted() from None
    stored = storage.Digest(evidence.size, evidence.sha256, evidence.sm3)
    return filename, read_verified(key, evidence.blob_name, stored)


def evidence_listing(referral: Referral, user: Any) -> list[EvidenceItem]:
    """The files of `referral` for display, names and descriptions decrypted.

    Call only after the caller's own visibility check of the referral; the rows are restricted
    to `user` again all the same.
    """
    rows = (
        Evidence.objects.restrict(user, Action.VIEW)
        .filter(referral_id=referral.pk)
        .select_related("uploaded_by")
    )
    return [_item(row, referral) for row in rows]


def evidence_item(evidence: Evidence) -> EvidenceItem:
    """One file as shown to a party, e.g. for the API's answer to an upload."""
    return _item(evidence, evidence.referral)


def _item(evidence: Evidence, referral: Referral) -> EvidenceItem:
    try:
        filename = sealing.unseal(
            referral, sealed_field(evidence.pk, "filename"), evidence.filename_enc
        )
        description = sealing.unseal(
            referral, sealed_field(evidence.pk, "description"), evidence.description_enc
        )
    except (crypto.DecryptionError, ValueError, IndexError):
        # The page still shows the row; opening the file reports the damage (evidence_open).
        filename, description = UNREADABLE_NAME, ""
    return EvidenceItem(
        id=evidence.pk,
        referral_id=evidence.referral_id,
        role=evidence.role,
        role_label=EvidenceRole(evidence.role).label,
        filename=filename,
        description=description,
        content_type=evidence.content_type,
        type_label=_TYPE_LABELS.get(evidence.content_type, evidence.content_type),
        size=evidence.size,
        sha256=evidence.sha256,
        sm3=evidence.sm3,
        uploaded_by=evidence.uploaded_by.display_name,
        uploaded_at=evidence.uploaded_at,
    )
