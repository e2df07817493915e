"""Files of the inspection app: a finding's evidence and a rectification report's attachments
(第九条), kept like referral evidence (第十一条 at rest).

Each file is encrypted on disk under its own data key (the row's `wrapped_key`) by the referral
blob store: streamed to a temporary file, checked by content (magic bytes, 415) and size (413,
the declared size first, then the bytes counted as they stream), and given its final name only as
the last step of the transaction that creates its row. Its name and description are sealed in the
database, bound to the row and field. Audit entries carry ids, sizes and hashes — never the name.

`attachment_upload` checks no permission: the service of the owner (a finding, a report) decides
who may add a file, and calls it inside its own transaction, within `uploads_guard()` so that a
rollback after a file was placed removes it again. Downloads go through `attachment_open`, which
answers 404 for a file the user may not download and checks the file's hashes before serving it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import reverse

from xianjie.access.restrict import get_object_for_user
from xianjie.access.tiers import Action
from xianjie.core import crypto
from xianjie.core.errors import InvalidInput
from xianjie.referrals.evidence import (
    MAX_DESCRIPTION_CHARS,
    EvidenceCorrupted,
    OpenedEvidence,
    filetypes,
    storage,
)
from xianjie.referrals.evidence.filenames import sanitise_filename
from xianjie.referrals.evidence.services import PlaintextStream, read_verified, too_large

from ..models import Attachment, Finding, RectificationReport
from ..sealing import new_wrapped_key, seal, unseal
from ._support import TIER_IMPORTANT, audit

READ_CHUNK = 64 * 1024
#: Files one report or one request may carry.
MAX_FILES = 10
#: Room for the other form fields and the multipart framing around the files.
MULTIPART_ALLOWANCE = 1024 * 1024
UNREADABLE_NAME = "（文件名无法解密）"
_TYPE_LABELS = {kind.content_type: kind.label for kind in filetypes.ACCEPTED}

AUDIT_LABELS = {
    "attachment.upload": "督查附件·上传",
    "attachment.download": "督查附件·下载",
    "attachment.corrupted": "督查附件·校验失败",
}

#: Blobs placed inside the current `uploads_guard()`, removed again if it fails.
_placed: ContextVar[list[storage.PendingBlob] | None] = ContextVar("_placed", default=None)


@contextlib.contextmanager
def uploads_guard() -> Iterator[None]:
    """Wrap the owner's transaction (`with uploads_guard(), transaction.atomic():`): a file
    placed by `attachment_upload` is removed again when anything after it fails, the commit
    included, so a refused report leaves no blob behind."""
    placed: list[storage.PendingBlob] = []
    token = _placed.set(placed)
    try:
        yield
    except BaseException:
        for blob in placed:
            blob.discard()
        raise
    finally:
        _placed.reset(token)


def _tier(finding: Finding | None) -> int:
    return finding.tier if finding is not None else TIER_IMPORTANT


def clean_files(files: Iterable[Any]) -> list[File[Any]]:
    """The files of one report: at most MAX_FILES (400 on the `files` field)."""
    chosen = [file for file in files if file is not None]
    if len(chosen) > MAX_FILES:
        raise InvalidInput(errors={"files": [f"一次最多上传{MAX_FILES}个文件。"]})
    return chosen


def refuse_oversized_upload(request: Any, files: int = MAX_FILES) -> None:
    """FileTooLarge (413) for a request whose declared length cannot hold `files` acceptable
    files — before its body is parsed. A cheap early answer; the bytes are still counted."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    limit = settings.EVIDENCE_MAX_BYTES
    if declared > limit * files + MULTIPART_ALLOWANCE:
        raise too_large(limit)


def _counted(file: File[Any], limit: int) -> Iterator[bytes]:
    total = 0
    for chunk in file.chunks(READ_CHUNK):
        total += len(chunk)
        if total > limit:
            raise too_large(limit)
        yield chunk


def attachment_upload(
    *,
    finding: Finding | None = None,
    report: RectificationReport | None = None,
    file: File[Any] | None,
    description: str = "",
    actor: Any,
) -> Attachment:
    """Keep one file of a finding or a report, encrypted; exactly one owner."""
    if (finding is None) == (report is None):
        raise ValueError("an attachment belongs to exactly one finding or report")
    text = str(description or "").strip()
    errors: dict[str, list[str]] = {}
    if file is None:
        errors["file"] = ["请选择要上传的文件。"]
    if len(text) > MAX_DESCRIPTION_CHARS:
        errors["description"] = [f"文件说明不应超过{MAX_DESCRIPTION_CHARS}个字。"]
    if errors or file is None:
        raise InvalidInput(errors=errors)
    limit = settings.EVIDENCE_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise too_large(limit)
    kind = filetypes.detect(file)
    filename = sanitise_filename(file.name, kind)
    wrapped = new_wrapped_key()
    blob = storage.PendingBlob()
    try:
        digest = blob.write(crypto.unwrap_data_key(wrapped), _counted(file, limit))
        with transaction.atomic():
            attachment = Attachment.objects.create(
                finding=finding,
                report=report,
                wrapped_key=wrapped,
                content_type=kind.content_type,
                size=digest.size,
                sha256=digest.sha256,
                sm3=digest.sm3,
                blob_name=storage.new_blob_name(),
                uploaded_by=actor,
            )
            attachment.filename_enc = seal(attachment, "filename", filename)
            attachment.description_enc = seal(attachment, "description", text)
            attachment.save(update_fields=["filename_enc", "description_enc"])
            audit(
                actor,
                "attachment.upload",
                attachment,
                tier=_tier(finding),
                finding=finding.pk if finding is not None else None,
                report=report.pk if report is not None else None,
                task=report.task_id if report is not None else None,
                content_type=kind.content_type,
                size=digest.size,
                sha256=digest.sha256,
                sm3=digest.sm3,
            )
            # Last step: a failure before it lands in the handler below; a failure after it,
            # in the owner's transaction, is `uploads_guard`'s to clean up.
            blob.place(attachment.blob_name)
    except BaseException:
        blob.discard()
        raise
    if (placed := _placed.get()) is not None:
        placed.append(blob)
    return attachment


def attachment_open(*, attachment_id: Any, actor: Any, task_id: Any = None) -> OpenedEvidence:
    """A file ready to stream (`referrals.evidence.download_response`): 404 unless `actor` may
    download it (of task `task_id` when given); its size and hashes are checked against those
    recorded at upload before a byte is served (409 and an audit entry when they differ). The
    download is an audit entry too, written before streaming starts."""
    lookup: dict[str, Any] = {"pk": attachment_id}
    if task_id is not None:
        lookup["report__task_id"] = task_id
    attachment = get_object_for_user(
        Attachment.objects.select_related("finding"), actor, Action.DOWNLOAD, **lookup
    )
    tier = _tier(attachment.finding)
    stored = storage.Digest(attachment.size, attachment.sha256, attachment.sm3)
    with contextlib.ExitStack() as cleanup:
        problem = ""
        try:
            key = crypto.unwrap_data_key(attachment.wrapped_key)
            handle = cleanup.enter_context(storage.open_blob(attachment.blob_name))
            if storage.digest_plaintext(key, handle) != stored:
                problem = "hash_mismatch"
            filename = unseal(attachment, "filename", attachment.filename_enc)
        except FileNotFoundError:
            problem = "missing"
        except (crypto.DecryptionError, ValueError, IndexError):
            problem = "decryption_failed"
        if problem:
            with transaction.atomic():
                audit(
                    actor,
                    "attachment.corrupted",
                    attachment,
                    tier=tier,
                    attachment=attachment.pk,
                    problem=problem,
                )
            raise EvidenceCorrupted()
        handle.seek(0)
        with transaction.atomic():
            audit(
                actor,
                "attachment.download",
                attachment,
                tier=tier,
                attachment=attachment.pk,
                finding=attachment.finding_id,
                report=attachment.report_id,
                size=attachment.size,
                sha256=attachment.sha256,
            )
        cleanup.pop_all()
    return OpenedEvidence(
        # download_response reads only the row's id from it (for an ASCII fallback name).
        evidence=cast(Any, attachment),
        filename=filename,
        content_type=attachment.content_type,
        size=attachment.size,
        chunks=PlaintextStream(key, handle),
    )


def attachment_plaintext(attachment: Attachment) -> tuple[str, bytes]:
    """The name and verified plaintext of a file, for a reader whom the caller has authorised
    without the file's own policy (an access grant, 第十一条, which records the use itself).
    Checked like `attachment_open`: any damage is EvidenceCorrupted (409), never served."""
    try:
        key = crypto.unwrap_data_key(attachment.wrapped_key)
        filename = unseal(attachment, "filename", attachment.filename_enc)
    except (crypto.DecryptionError, ValueError, IndexError):
        raise EvidenceCorrupted() from None
    stored = storage.Digest(attachment.size, attachment.sha256, attachment.sm3)
    return filename, read_verified(key, attachment.blob_name, stored)


@dataclass(frozen=True)
class AttachmentItem:
    """One file as listed on a page or in the API, name and description decrypted."""

    id: int
    filename: str
    description: str
    content_type: str
    type_label: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    url: str


def attachment_items(attachments: Iterable[Attachment]) -> list[AttachmentItem]:
    """The files for display. The caller has fetched them through `restrict` (or through an
    owner it fetched so)."""
    items = []
    for row in attachments:
        try:
            filename = unseal(row, "filename", row.filename_enc)
            description = unseal(row, "description", row.description_enc)
        except (crypto.DecryptionError, ValueError, IndexError):
            # The row is still listed; opening the file reports the damage.
            filename, description = UNREADABLE_NAME, ""
        items.append(
            AttachmentItem(
                id=row.pk,
                filename=filename,
                description=description,
                content_type=row.content_type,
                type_label=_TYPE_LABELS.get(row.content_type, row.content_type),
                size=row.size,
                sha256=row.sha256,
                uploaded_by=row.uploaded_by.display_name,
                uploaded_at=row.uploaded_at,
                url=reverse("inspections:attachment_download", args=[row.pk]),
            )
        )
    return items
