"""Attachments of shared items and typical cases (第十一条, 第十二条), kept like referral
evidence: each file encrypted on disk under its own data key (the row's `wrapped_key`) by the
referral blob store, checked by content (415) and size (413, the declared size first, then the
bytes counted as they stream), and given its final name only as the last step of the transaction
that creates its row. Downloads are checked against the hashes recorded at upload (409 when they
differ) and audited; audit entries carry ids, sizes and hashes, never a name.

The owner is a `SharedItem` or a `Lesson`. Files are added and removed while the owner is a
draft, by the clerks and leaders of the owner's org (the publisher or the preparing org); a file
is read exactly by those who may read its owner (sharing.policies).

An owner's service that stores several files in one transaction wraps it in `uploads_guard()`,
so that a refusal after some files were placed removes them again.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.core.files import File
from django.db import models, transaction

from xianjie.access.restrict import get_object_for_user
from xianjie.access.tiers import Action
from xianjie.accounts.models import Role
from xianjie.audit.services import audit_record
from xianjie.core import crypto
from xianjie.core.errors import Conflict, InvalidInput, NotPermitted, ServiceError
from xianjie.referrals.evidence import EvidenceCorrupted, OpenedEvidence, filetypes, storage
from xianjie.referrals.evidence.filenames import sanitise_filename
from xianjie.referrals.evidence.services import PlaintextStream, too_large

from ..models import Lesson, SharedFile, SharedItem

READ_CHUNK = 64 * 1024
#: Files one owner may carry.
MAX_FILES = 10
#: Room for the other form fields and the multipart framing around the files.
MULTIPART_ALLOWANCE = 1024 * 1024
#: The status in which an owner's files may change (items and cases alike).
DRAFT = "draft"
_TYPE_LABELS = {kind.content_type: kind.label for kind in filetypes.ACCEPTED}

AUDIT_LABELS = {
    "shared_file.upload": "共享附件·上传",
    "shared_file.download": "共享附件·下载",
    "shared_file.corrupted": "共享附件·校验失败",
    "shared_file.delete": "共享附件·删除",
}

Owner = SharedItem | Lesson

#: Blobs placed inside the current `uploads_guard()`, removed again if it fails.
_placed: ContextVar[list[storage.PendingBlob] | None] = ContextVar("_placed", default=None)


@contextlib.contextmanager
def uploads_guard() -> Iterator[None]:
    """Wrap the owner's transaction (`with uploads_guard(), transaction.atomic():`): a file
    placed by `shared_file_upload` is removed again when anything after it fails, the commit
    included."""
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


def owner_org_id(owner: Owner) -> int:
    return owner.publisher_org_id if isinstance(owner, SharedItem) else owner.org_id


def _owner_key(owner: Owner) -> dict[str, Owner]:
    return {"item": owner} if isinstance(owner, SharedItem) else {"lesson": owner}


def may_change_files(user: Any, owner: Owner) -> bool:
    """The clerks and leaders of the owner's org, while it is a draft."""
    return (
        owner.status == DRAFT
        and user.org_id == owner_org_id(owner)
        and user.has_role(Role.CLERK, Role.LEADER)
    )


def _require_change(user: Any, owner: Owner) -> None:
    if user.org_id != owner_org_id(owner) or not user.has_role(Role.CLERK, Role.LEADER):
        raise NotPermitted("只有起草单位的登记员和审批领导可以添加或删除附件。")
    if owner.status != DRAFT:
        raise Conflict("已发布或已撤回的内容不能再添加或删除附件。")


def _owner_row(owner: Owner, actor: Any, *, lock: bool = False) -> Owner:
    """The owner as `actor` may see it now (404 otherwise); with `lock`, locked until the
    transaction ends, so that a file is never added to an owner being published that moment."""
    if isinstance(owner, SharedItem):
        items = SharedItem.objects.select_for_update() if lock else SharedItem.objects.all()
        return get_object_for_user(items, actor, Action.VIEW, pk=owner.pk)
    lessons = Lesson.objects.select_for_update() if lock else Lesson.objects.all()
    return get_object_for_user(lessons, actor, Action.VIEW, pk=owner.pk)


def _owner_of(shared: SharedFile) -> Owner:
    owner: Owner | None = shared.item if shared.item_id is not None else shared.lesson
    if owner is None:
        raise ValueError("a shared file always has an owner")
    return owner


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


def file_problems(files: Iterable[Any], *, already: int = 0) -> ServiceError | None:
    """The first reason the files cannot be kept — too many (400), too large by their declared
    size (413), not an accepted type (415) — found without storing anything, so that a form
    can report it together with its other fields; None when they look acceptable."""
    chosen = [file for file in files if file is not None]
    if already + len(chosen) > MAX_FILES:
        return InvalidInput(errors={"files": [f"附件最多{MAX_FILES}个。"]})
    limit = settings.EVIDENCE_MAX_BYTES
    for file in chosen:
        if file.size is not None and file.size > limit:
            return too_large(limit)
        try:
            filetypes.detect(file)
        except ServiceError as refusal:
            return refusal
    return None


def _counted(file: File[Any], limit: int) -> Iterator[bytes]:
    total = 0
    for chunk in file.chunks(READ_CHUNK):
        total += len(chunk)
        if total > limit:
            raise too_large(limit)
        yield chunk


def shared_file_upload(*, owner: Owner, file: File[Any] | None, actor: Any) -> SharedFile:
    """Keep one attachment of a draft item or case, encrypted. Refusals, in this order: 404 the
    owner is not visible; 403 not a clerk or leader of its org; 409 no longer a draft; 400 no
    file, or the owner already has MAX_FILES; 413 too large; 415 not an accepted type."""
    current = _owner_row(owner, actor)
    _require_change(actor, current)
    if file is None:
        raise InvalidInput(errors={"file": ["请选择要上传的文件。"]})
    limit = settings.EVIDENCE_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise too_large(limit)
    kind = filetypes.detect(file)
    filename = sanitise_filename(file.name, kind)
    wrapped = crypto.wrap_data_key(crypto.new_data_key())
    blob = storage.PendingBlob()
    try:
        digest = blob.write(crypto.unwrap_data_key(wrapped), _counted(file, limit))
        with transaction.atomic():
            # The owner may have been published while the file streamed: decide again.
            locked = _owner_row(current, actor, lock=True)
            _require_change(actor, locked)
            if SharedFile.objects.filter(**_owner_key(locked)).count() >= MAX_FILES:
                raise InvalidInput(errors={"file": [f"附件最多{MAX_FILES}个。"]})
            shared = SharedFile.objects.create(
                **_owner_key(locked),
                wrapped_key=wrapped,
                filename=filename,
                content_type=kind.content_type,
                size=digest.size,
                sha256=digest.sha256,
                sm3=digest.sm3,
                blob_name=storage.new_blob_name(),
                uploaded_by=actor,
            )
            audit_record(
                actor=actor,
                action="shared_file.upload",
                obj=shared,
                tier=locked.tier,
                payload={
                    "item": shared.item_id,
                    "lesson": shared.lesson_id,
                    "content_type": kind.content_type,
                    "size": digest.size,
                    "sha256": digest.sha256,
                    "sm3": digest.sm3,
                },
            )
            # Last step: a failure before it lands in the handler below; a failure after it,
            # in the owner's transaction, is `uploads_guard`'s to clean up.
            blob.place(shared.blob_name)
    except BaseException:
        blob.discard()
        raise
    if (placed := _placed.get()) is not None:
        placed.append(blob)
    return shared


def shared_file_open(
    *, file_id: Any, actor: Any, item_id: Any = None, lesson_id: Any = None
) -> OpenedEvidence:
    """Open an attachment for download: 404 unless `actor` may download it (of the given item
    or case, when one is given); its size and hashes are checked against those recorded at
    upload before a byte is served (EvidenceCorrupted, 409, audited when they differ). The
    download is an audit entry, written before streaming starts."""
    lookup: dict[str, Any] = {"pk": file_id}
    if item_id is not None:
        lookup["item_id"] = item_id
    if lesson_id is not None:
        lookup["lesson_id"] = lesson_id
    shared = get_object_for_user(
        SharedFile.objects.select_related("item", "lesson"), actor, Action.DOWNLOAD, **lookup
    )
    tier = _owner_of(shared).tier
    stored = storage.Digest(shared.size, shared.sha256, shared.sm3)
    with contextlib.ExitStack() as cleanup:
        problem = ""
        try:
            key = crypto.unwrap_data_key(shared.wrapped_key)
            handle = cleanup.enter_context(storage.open_blob(shared.blob_name))
            if storage.digest_plaintext(key, handle) != stored:
                problem = "hash_mismatch"
        except FileNotFoundError:
            problem = "missing"
        except (crypto.DecryptionError, ValueError, IndexError):
            problem = "decryption_failed"
        if problem:
            with transaction.atomic():
                audit_record(
                    actor=actor,
                    action="shared_file.corrupted",
                    obj=shared,
                    tier=tier,
                    payload={"file": shared.pk, "problem": problem},
                )
            raise EvidenceCorrupted()
        handle.seek(0)
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="shared_file.download",
                obj=shared,
                tier=tier,
                payload={
                    "item": shared.item_id,
                    "lesson": shared.lesson_id,
                    "size": shared.size,
                    "sha256": shared.sha256,
                },
            )
        cleanup.pop_all()
    return OpenedEvidence(
        # download_response reads only the row's id from it (for an ASCII fallback name).
        evidence=cast(Any, shared),
        filename=shared.filename,
        content_type=shared.content_type,
        size=shared.size,
        chunks=PlaintextStream(key, handle),
    )


def _unlink_blob(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        storage.blob_path(name).unlink()


def shared_file_delete(*, file_id: Any, actor: Any) -> None:
    """Remove an attachment of a draft (the clerks and leaders of its org): 404 not visible,
    403 not theirs, 409 the owner is no longer a draft. The blob goes once the row is gone."""
    shared = get_object_for_user(
        SharedFile.objects.select_related("item", "lesson"), actor, Action.VIEW, pk=file_id
    )
    with transaction.atomic():
        locked = _owner_row(_owner_of(shared), actor, lock=True)
        _require_change(actor, locked)
        blob_name = shared.blob_name
        audit_record(
            actor=actor,
            action="shared_file.delete",
            obj=shared,
            tier=locked.tier,
            payload={"item": shared.item_id, "lesson": shared.lesson_id, "sha256": shared.sha256},
        )
        shared.delete()
        transaction.on_commit(functools.partial(_unlink_blob, blob_name))


def files_delete_all(owner: Owner) -> None:
    """Inside the owner's own deletion (its service checked who may): remove its files' rows
    now and their blobs once the transaction commits."""
    rows = SharedFile.objects.filter(**_owner_key(owner))
    names = list(rows.values_list("blob_name", flat=True))
    rows.delete()
    for name in names:
        transaction.on_commit(functools.partial(_unlink_blob, name))


def shared_files_of(owner: Owner, user: Any) -> models.QuerySet[SharedFile]:
    """The owner's files that `user` may see, oldest first."""
    return (
        SharedFile.objects.restrict(user, Action.VIEW)
        .filter(**_owner_key(owner))
        .select_related("uploaded_by")
        .order_by("id")
    )


@dataclass(frozen=True)
class SharedFileItem:
    """One attachment as listed on a page or in the API."""

    id: int
    filename: str
    content_type: str
    type_label: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


def shared_file_items(rows: Iterable[SharedFile]) -> list[SharedFileItem]:
    """The files for display; the caller fetched them through `restrict` (shared_files_of)."""
    return [
        SharedFileItem(
            id=row.pk,
            filename=row.filename,
            content_type=row.content_type,
            type_label=_TYPE_LABELS.get(row.content_type, row.content_type),
            size=row.size,
            sha256=row.sha256,
            uploaded_by=row.uploaded_by.display_name,
            uploaded_at=row.uploaded_at,
        )
        for row in rows
    ]
