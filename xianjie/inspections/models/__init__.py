"""The inspection app's models, by sub-topic (ARCHITECTURE.md: a package past ~400 lines)."""

from .attachments import Attachment
from .draws import Draw, DrawStatus
from .findings import Finding, FindingEvent, Severity
from .inspections import (
    ConflictDeclaration,
    Inspection,
    InspectionEvent,
    InspectionMethod,
    InspectionUnit,
)
from .rectifications import (
    Rectification,
    RectificationEvent,
    RectificationKind,
    RectificationReport,
    ReportKind,
)
from .supervision import ActKind, ComplianceFlag, DecisionType, FlagStatus, SupervisionAct

__all__ = [
    "ActKind",
    "Attachment",
    "ComplianceFlag",
    "ConflictDeclaration",
    "DecisionType",
    "Draw",
    "DrawStatus",
    "Finding",
    "FindingEvent",
    "FlagStatus",
    "Inspection",
    "InspectionEvent",
    "InspectionMethod",
    "InspectionUnit",
    "Rectification",
    "RectificationEvent",
    "RectificationKind",
    "RectificationReport",
    "ReportKind",
    "Severity",
    "SupervisionAct",
]
