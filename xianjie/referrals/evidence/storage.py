"""Where evidence files live: encrypted blobs under DATA_DIR/evidence (第十一条 tier 3 at rest).

A blob is written to a temporary file in the same directory and renamed to its random final name
only inside the transaction that creates its row, so a reader never sees half a file and a failed
upload is removed whole. Neither name says anything about the file: the final name is random, the
temporary one has a fixed prefix, and both hold only ciphertext.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import models

from xianjie.core import crypto

TEMP_PREFIX = ".upload-"
#: Files older than this with no row (or left by a killed worker) are removed by the sweep; no
#: upload or request takes this long.
ORPHAN_AGE_SECONDS = 24 * 3600

_BLOB_NAME = re.compile(r"[0-9a-f]{64}")


def evidence_dir() -> Path:
    path = Path(settings.DATA_DIR) / "evidence"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def new_blob_name() -> str:
    return secrets.token_hex(32)


def blob_path(name: str) -> Path:
    # A name read from the database is still checked, so an altered row cannot point elsewhere;
    # such a name simply has no blob.
    if not _BLOB_NAME.fullmatch(name):
        raise FileNotFoundError("not an evidence blob name")
    return evidence_dir() / name


def open_blob(name: str) -> BinaryIO:
    return blob_path(name).open("rb")


@dataclass(frozen=True)
class Digest:
    """Size and hashes of the plaintext, recorded at upload and checked again at download."""

    size: int
    sha256: str
    sm3: str


def digest_plaintext(data_key: bytes, source: BinaryIO) -> Digest:
    """Decrypt `source` from its start, hashing as it goes; raises crypto.DecryptionError."""
    sha256, sm3 = hashlib.sha256(), hashlib.new("sm3")
    size = 0
    for chunk in crypto.decrypt_stream(data_key, source):
        sha256.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
    return Digest(size, sha256.hexdigest(), sm3.hexdigest())


class PendingBlob:
    """An encrypted blob on its way in: a temporary file until `place()` gives it its final
    name; `discard()` removes whichever of the two exists. Call `discard()` on every failure."""

    def __init__(self) -> None:
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=evidence_dir())  # mode 0600
        self._fd: int | None = fd
        self.temp = Path(temp)
        self.final: Path | None = None

    def write(self, data_key: bytes, chunks: Iterable[bytes]) -> Digest:
        """Encrypt `chunks` into the temporary file, hashing the plaintext on the way."""
        if self._fd is None:
            raise RuntimeError("a pending blob is written once")
        fd, self._fd = self._fd, None
        sha256, sm3 = hashlib.sha256(), hashlib.new("sm3")

        def hashed() -> Iterable[bytes]:
            for chunk in chunks:
                sha256.update(chunk)
                sm3.update(chunk)
                yield chunk

        with os.fdopen(fd, "wb") as out:
            size = crypto.encrypt_stream(data_key, hashed(), out)
            out.flush()
            os.fsync(out.fileno())
        return Digest(size, sha256.hexdigest(), sm3.hexdigest())

    def place(self, name: str) -> None:
        final = blob_path(name)
        os.replace(self.temp, final)
        self.final = final
        _sync_directory(final.parent)

    def discard(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self.temp.unlink(missing_ok=True)
        if self.final is not None:
            self.final.unlink(missing_ok=True)


def _sync_directory(path: Path) -> None:
    """Make the rename durable before the row that names the blob is committed."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: Models whose `blob_name` column names blobs of this store (referral evidence, and the files
#: of higher apps, which register here at start-up): a blob none of them names is an orphan.
_blob_models: list[type[models.Model]] = []


def register_blob_model(model: type[models.Model]) -> None:
    if model not in _blob_models:
        _blob_models.append(model)


def sweep_orphan_files(*, now: float | None = None) -> int:
    """Remove what a worker killed mid-upload can leave behind: encrypted temporary files and
    blobs whose row never committed, and plaintext request buffers in FILE_UPLOAD_TEMP_DIR.
    Only files older than ORPHAN_AGE_SECONDS are touched, so uploads in progress are safe.
    Returns the number of files removed; safe to run any number of times."""
    from ..models import Evidence

    register_blob_model(Evidence)
    cutoff = (time.time() if now is None else now) - ORPHAN_AGE_SECONDS
    candidates = [
        path
        for path in evidence_dir().iterdir()
        if path.name.startswith(TEMP_PREFIX) or _BLOB_NAME.fullmatch(path.name)
    ]
    upload_dir = Path(settings.FILE_UPLOAD_TEMP_DIR)
    if upload_dir.is_dir():
        candidates.extend(upload_dir.iterdir())
    old = [path for path in candidates if path.is_file() and _mtime(path) < cutoff]
    blob_names = [path.name for path in old if _BLOB_NAME.fullmatch(path.name)]
    # Housekeeping, not a user's read: only the names of stored blobs are compared.
    kept = {
        name
        for model in _blob_models
        for name in model._default_manager.filter(blob_name__in=blob_names).values_list(
            "blob_name", flat=True
        )
    }
    removed = 0
    for path in old:
        if path.parent == evidence_dir() and path.name in kept:
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed += 1
    return removed


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")
