"""A tier 3 finding as an item of an access grant (第十一条 严格审批共享).

A finding that names an officer's possible misconduct is tier 3: only the organising orgs see
it. Someone else who needs it names it by its 问题编号 — the inspection's number and the finding's
sequence in it, "督查12-问题3" (the plan's page address and the finding's 问题N); "12-3" is read
the same — and under an approved grant reads it and its evidence read-only. Tier 2 findings are
never found: their own audience sees them without a request. The organiser that recorded the
finding approves second and may revoke.
"""

from __future__ import annotations

import re
from typing import Any

from xianjie.access.grantables import Grantable, GrantedFile, OpenedFile
from xianjie.catalog.models import ViolationCode
from xianjie.core import crypto
from xianjie.core.errors import NotFound

from .models import Attachment, Finding
from .sealing import unseal
from .selectors.findings import finding_content
from .services.attachments import UNREADABLE_NAME, attachment_plaintext

TIER_CASE_SECRET = 3
#: "督查12-问题3", "12-3", "督查 12 － 问题 3": the inspection's number, then the sequence.
REFERENCE = re.compile(r"^(?:督查)?\s*(\d{1,12})\s*[-－—–]\s*(?:问题)?\s*(\d{1,5})$")


def finding_reference(finding: Finding) -> str:
    return f"督查{finding.inspection_id}-问题{finding.sequence}"


class FindingGrantable(Grantable):
    kind = "finding"
    label = "联合督查发现的涉案问题"
    reference_label = "问题编号（督查编号-问题序号，如 督查12-问题3）"

    def _rows(self) -> Any:
        return Finding.objects.select_related(
            "inspection", "unit", "officer", "officer__org", "created_by__org"
        ).filter(tier=TIER_CASE_SECRET)

    def find(self, reference: str) -> Finding | None:
        match = REFERENCE.match(str(reference or "").strip())
        if match is None:
            return None
        inspection_id, sequence = (int(part) for part in match.groups())
        return self._rows().filter(inspection_id=inspection_id, sequence=sequence).first()

    def get(self, object_id: int) -> Finding | None:
        return self._rows().filter(pk=object_id).first()

    def describe(self, item: Finding) -> str:
        return finding_reference(item)

    def owner_org(self, item: Finding) -> Any:
        """The organising org that recorded the finding; for one recorded by an inspector of
        another org (who does not see a tier 3 finding), the first organiser."""
        organisers = item.inspection.organisers.order_by("id")
        creator_org = item.created_by.org
        if creator_org is not None and organisers.filter(pk=creator_org.pk).exists():
            return creator_org
        return organisers.first()

    def is_party(self, item: Finding, user: Any) -> bool:
        return Finding.objects.restrict(user, "view").filter(pk=item.pk).exists()

    def render(self, item: Finding, user: Any) -> tuple[str, dict[str, Any]]:
        content = finding_content(item)
        context = {
            "finding": item,
            "reference": finding_reference(item),
            "content": content,
            "codes": ViolationCode.objects.restrict(user, "view")
            .filter(code__in=content.codes)
            .order_by("sort_order", "code"),
        }
        return "inspections/finding_granted.html", context

    def files(self, item: Finding) -> list[GrantedFile]:
        return [
            GrantedFile(
                id=row.pk,
                filename=_filename(row),
                content_type=row.content_type,
                size=row.size,
            )
            for row in Attachment.objects.filter(finding=item).order_by("id")
        ]

    def open_file(self, item: Finding, file_id: int) -> OpenedFile:
        row = Attachment.objects.filter(finding=item, pk=file_id).first()
        if row is None:
            raise NotFound()
        filename, data = attachment_plaintext(row)
        return OpenedFile(filename=filename, content_type=row.content_type, data=data)


def _filename(row: Attachment) -> str:
    try:
        return unseal(row, "filename", row.filename_enc)
    except (crypto.DecryptionError, ValueError, IndexError):
        # Still listed; opening the file reports the damage.
        return UNREADABLE_NAME
