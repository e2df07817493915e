"""Envelope encryption for tier 3 content (第十一条 涉案类保密信息) and keyed blind indexes.

Every protected record gets its own random data key; the data key is stored only wrapped
(encrypted) by the key-encryption key (KEK) derived from the master key file. Rotating the master
key therefore re-wraps small data keys and never re-encrypts fields or files. Ciphers: SM4-GCM
(国密, default) or AES-256-GCM, both AEAD so any change to a ciphertext is detected on decryption.

Formats (all versioned so a later change of cipher or layout stays readable):
- a field:   "x1:" + base64(cipher id (1) | nonce (12) | ciphertext+tag)
- a data key: kek id (8 hex) ":" base64(nonce | wrapped key+tag)
- a file:    b"XJF1" | cipher id (1) | nonce prefix (8) | chunks of ciphertext+tag, each chunk's
             nonce = prefix | counter (4), its AAD = header | counter | last-chunk flag, so chunks
             cannot be reordered, dropped or truncated unnoticed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac as std_hmac
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
TAG_BYTES = 16
FILE_MAGIC = b"XJF1"
FILE_CHUNK = 1024 * 1024
FIELD_PREFIX = "x1:"


class DecryptionError(Exception):
    """A ciphertext was altered, truncated, or encrypted under another key."""


@dataclass(frozen=True)
class _CipherSpec:
    ident: int
    name: str
    key_bytes: int


CIPHERS = {
    "sm4-gcm": _CipherSpec(1, "sm4-gcm", 16),
    "aes-256-gcm": _CipherSpec(2, "aes-256-gcm", 32),
}
_BY_IDENT = {spec.ident: spec for spec in CIPHERS.values()}


def _seal(spec: _CipherSpec, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    if spec.name == "aes-256-gcm":
        return AESGCM(key).encrypt(nonce, data, aad)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _open(spec: _CipherSpec, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    if len(sealed) < TAG_BYTES:
        raise DecryptionError("ciphertext too short")
    try:
        if spec.name == "aes-256-gcm":
            return AESGCM(key).decrypt(nonce, sealed, aad)
        body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(aad)
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError("authentication failed") from None


def current_cipher() -> _CipherSpec:
    try:
        return CIPHERS[settings.CIPHER]
    except KeyError:
        raise ImproperlyConfigured(
            f"XIANJIE_CIPHER must be one of {', '.join(CIPHERS)}, not {settings.CIPHER!r}"
        ) from None


# --- The master key and what is derived from it.


def _derive(master: bytes, purpose: str, length: int) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=purpose.encode()).derive(
        master
    )


@dataclass(frozen=True)
class MasterKey:
    raw: bytes

    @property
    def kek_id(self) -> str:
        return hashlib.new("sm3", b"xianjie-kek-id" + self.raw).hexdigest()[:8]

    def kek(self, spec: _CipherSpec) -> bytes:
        return _derive(self.raw, f"xianjie-kek-{spec.name}", spec.key_bytes)

    @classmethod
    def from_file(cls, path: Path) -> MasterKey:
        text = path.read_text().strip()
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise ImproperlyConfigured(f"master key file {path} must hold 64 hex digits") from None
        if len(raw) != 32:
            raise ImproperlyConfigured(f"master key file {path} must hold 32 bytes (64 hex digits)")
        return cls(raw)


def generate_master_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")


@lru_cache(maxsize=4)
def _load_master(path_text: str, demo: bool) -> MasterKey:
    if not path_text:
        raise ImproperlyConfigured("XIANJIE_MASTER_KEY_FILE must be set outside demo mode")
    path = Path(path_text)
    if not path.exists():
        if not demo:
            raise ImproperlyConfigured(f"master key file {path} does not exist")
        # Demo mode only: a fresh key in the data dir, so `make run` works with no set-up.
        generate_master_key_file(path)
    return MasterKey.from_file(path)


def master_key() -> MasterKey:
    return _load_master(settings.MASTER_KEY_FILE, settings.DEMO_MODE)


# --- Data keys (one per protected record), wrapped by the master key.


def new_data_key() -> bytes:
    return secrets.token_bytes(current_cipher().key_bytes)


def wrap_data_key(data_key: bytes, master: MasterKey | None = None) -> str:
    master = master or master_key()
    spec = _cipher_for_key(data_key)
    nonce = secrets.token_bytes(NONCE_BYTES)
    aad = b"xianjie-dek|" + master.kek_id.encode()
    sealed = _seal(spec, master.kek(spec), nonce, data_key, aad)
    blob = bytes([spec.ident]) + nonce + sealed
    return f"{master.kek_id}:{base64.b64encode(blob).decode()}"


def unwrap_data_key(wrapped: str, master: MasterKey | None = None) -> bytes:
    master = master or master_key()
    kek_id, _, encoded = wrapped.partition(":")
    if kek_id != master.kek_id:
        raise DecryptionError("data key was wrapped by another master key")
    blob = base64.b64decode(encoded)
    spec = _spec(blob[0])
    nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    return _open(spec, master.kek(spec), nonce, sealed, b"xianjie-dek|" + kek_id.encode())


def rewrap_data_key(wrapped: str, old: MasterKey, new: MasterKey) -> str:
    """Key rotation: the same data key, wrapped by the new master key."""
    return wrap_data_key(unwrap_data_key(wrapped, old), new)


def _cipher_for_key(data_key: bytes) -> _CipherSpec:
    for spec in CIPHERS.values():
        if spec.key_bytes == len(data_key):
            return spec
    raise ValueError("data key has no matching cipher")


def _spec(ident: int) -> _CipherSpec:
    try:
        return _BY_IDENT[ident]
    except KeyError:
        raise DecryptionError(f"unknown cipher id {ident}") from None


# --- Fields.


def encrypt_text(data_key: bytes, plaintext: str, *, context: str) -> str:
    """Encrypt one field; `context` (e.g. "referral:12:facts") binds it to its place."""
    spec = _cipher_for_key(data_key)
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = _seal(spec, data_key, nonce, plaintext.encode("utf-8"), context.encode())
    return FIELD_PREFIX + base64.b64encode(bytes([spec.ident]) + nonce + sealed).decode()


def decrypt_text(data_key: bytes, token: str, *, context: str) -> str:
    if not token.startswith(FIELD_PREFIX):
        raise DecryptionError("not an encrypted field")
    blob = base64.b64decode(token[len(FIELD_PREFIX) :])
    spec = _spec(blob[0])
    nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    return _open(spec, data_key, nonce, sealed, context.encode()).decode("utf-8")


# --- Files, streamed in chunks so a 100 MB recording never sits in memory whole.


def encrypt_stream(data_key: bytes, chunks: Iterable[bytes], out: BinaryIO) -> int:
    """Encrypt `chunks` into `out`; returns the plaintext size."""
    spec = _cipher_for_key(data_key)
    prefix = secrets.token_bytes(8)
    header = FILE_MAGIC + bytes([spec.ident]) + prefix
    out.write(header)
    size, counter = 0, 0
    pending = b""
    for piece in _rechunk(chunks):
        if pending:
            out.write(_seal_chunk(spec, data_key, header, counter, pending, last=False))
            counter += 1
        pending = piece
        size += len(piece)
    out.write(_seal_chunk(spec, data_key, header, counter, pending, last=True))
    return size


def decrypt_stream(data_key: bytes, source: BinaryIO) -> Iterator[bytes]:
    header = source.read(len(FILE_MAGIC) + 1 + 8)
    if len(header) != len(FILE_MAGIC) + 9 or not header.startswith(FILE_MAGIC):
        raise DecryptionError("not an encrypted file")
    spec = _spec(header[len(FILE_MAGIC)])
    prefix = header[len(FILE_MAGIC) + 1 :]
    sealed_size = FILE_CHUNK + TAG_BYTES
    counter = 0
    current = source.read(sealed_size)
    while True:
        following = source.read(sealed_size)
        last = not following
        nonce = prefix + counter.to_bytes(4, "big")
        aad = header + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")
        yield _open(spec, data_key, nonce, current, aad)
        if last:
            return
        current, counter = following, counter + 1


def _seal_chunk(
    spec: _CipherSpec, key: bytes, header: bytes, counter: int, data: bytes, *, last: bool
) -> bytes:
    nonce = header[len(FILE_MAGIC) + 1 :] + counter.to_bytes(4, "big")
    aad = header + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")
    return _seal(spec, key, nonce, data, aad)


def _rechunk(chunks: Iterable[bytes]) -> Iterator[bytes]:
    buffer = bytearray()
    for piece in chunks:
        buffer.extend(piece)
        while len(buffer) >= FILE_CHUNK:
            yield bytes(buffer[:FILE_CHUNK])
            del buffer[:FILE_CHUNK]
    if buffer:
        yield bytes(buffer)


# --- Blind index: exact-match lookup (e.g. a certificate number) without storing plaintext.


def blind_index(value: str, *, purpose: str, master: MasterKey | None = None) -> str:
    """HMAC-SM3 of the normalised value under a key derived from the master key.

    The index key is derived from the master key with its own label, so an index can be compared
    but not reversed; it changes when the master key changes (rotation recomputes indexes).
    """
    normalised = "".join(value.split()).upper()
    key = _derive((master or master_key()).raw, f"xianjie-blind-index-{purpose}", 32)
    return std_hmac.new(key, normalised.encode("utf-8"), "sm3").hexdigest()


# --- Master key rotation: every app holding wrapped data keys registers how to re-wrap them.

#: (label, function(old, new) -> rows re-wrapped); run in one transaction by `xianjie keys rotate`.
KeyHolder = tuple[str, Callable[[MasterKey, MasterKey], int]]
_key_holders: list[KeyHolder] = []


def register_key_holder(label: str, rewrap: Callable[[MasterKey, MasterKey], int]) -> None:
    _key_holders.append((label, rewrap))


def key_holders() -> list[KeyHolder]:
    return list(_key_holders)
