"""The kinds of tier 3 item an access request may name (第十一条 严格审批共享).

The apps that own tier 3 material sit above this one; each registers a `Grantable` for its kinds
at start-up (referrals: "referral" and "evidence"; inspections: "finding"). The access app asks
it to resolve the number a requester typed, to name the owner, and — under a valid grant only —
to render the item read-only and to hand over a file's verified plaintext for watermarking. The
grantable never checks the grant itself: `grants.py` does that before calling it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class GrantedFile:
    """A file of a granted item, as listed on the read-only page."""

    id: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class OpenedFile:
    """A file's verified plaintext, ready to be watermarked and served."""

    filename: str
    content_type: str
    data: bytes


class Grantable(ABC):
    #: The key stored in AccessRequest.kind.
    kind: str
    #: What the requester picks in the form, e.g. "移送线索（含证据材料）".
    label: str
    #: How the form asks for the item, e.g. "移送文号".
    reference_label: str

    @abstractmethod
    def find(self, reference: str) -> Any | None:
        """The item named by `reference` (its number), or None; only items that exist outside a
        draft (sent referrals, recorded findings) are found."""

    @abstractmethod
    def get(self, object_id: int) -> Any | None:
        """The item by id, or None when it no longer exists."""

    @abstractmethod
    def describe(self, item: Any) -> str:
        """The item's public reference (its number), shown in request lists."""

    @abstractmethod
    def owner_org(self, item: Any) -> Any:
        """The org whose leader approves second and who may revoke: the org that holds the case."""

    @abstractmethod
    def is_party(self, item: Any, user: Any) -> bool:
        """Whether `user` already may open the item without a grant (no request is needed)."""

    @abstractmethod
    def render(self, item: Any, user: Any) -> tuple[str, dict[str, Any]]:
        """Template and context of the read-only page — content only, no action buttons."""

    @abstractmethod
    def files(self, item: Any) -> list[GrantedFile]:
        """The files the grant opens along with the item (all of a referral's evidence; only
        itself for an evidence grant)."""

    @abstractmethod
    def open_file(self, item: Any, file_id: int) -> OpenedFile:
        """A file of `files(item)`, integrity-checked; NotFound for any other id."""


_grantables: dict[str, Grantable] = {}


def register_grantable(grantable: Grantable) -> Grantable:
    existing = _grantables.get(grantable.kind)
    if existing is not None and type(existing) is not type(grantable):
        raise ImproperlyConfigured(f"grantable kind {grantable.kind!r} registered twice")
    _grantables[grantable.kind] = grantable
    return grantable


def grantable(kind: str) -> Grantable | None:
    return _grantables.get(kind)


def grantable_kinds() -> list[tuple[str, str]]:
    """(kind, label) for the request form, in registration order."""
    return [(g.kind, g.label) for g in _grantables.values()]
