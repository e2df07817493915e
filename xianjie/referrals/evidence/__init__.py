"""Encrypted evidence files of referrals (第四、五、七、十一条).

Services: `evidence_upload`, `evidence_open`, `evidence_listing`, `evidence_item` and
`evidence_copy` (into a forwarded referral). HTTP: `download_response` (an OpenedEvidence as an
attachment), the `evidence_download` view and `refuse_oversized_request`. Housekeeping:
`sweep_orphan_files`. Refusals are ServiceErrors — NotFound 404, InvalidInput 400, NotPermitted
403, Conflict 409, FileTooLarge 413, FileTypeRefused 415 and EvidenceCorrupted 409 — which the
API maps to its error shape.
"""

from .copying import evidence_copy
from .filetypes import ACCEPTED, ACCEPTED_LABELS, FileType
from .http import download_response, evidence_download, refuse_oversized_request
from .services import (
    MAX_DESCRIPTION_CHARS,
    EvidenceCorrupted,
    EvidenceItem,
    OpenedEvidence,
    evidence_item,
    evidence_listing,
    evidence_open,
    evidence_upload,
)
from .storage import sweep_orphan_files

__all__ = [
    "ACCEPTED",
    "ACCEPTED_LABELS",
    "MAX_DESCRIPTION_CHARS",
    "EvidenceCorrupted",
    "EvidenceItem",
    "FileType",
    "OpenedEvidence",
    "download_response",
    "evidence_copy",
    "evidence_download",
    "evidence_item",
    "evidence_listing",
    "evidence_open",
    "evidence_upload",
    "refuse_oversized_request",
    "sweep_orphan_files",
]
