"""A referral as an item of an access grant (第十一条 严格审批共享).

Someone outside a case names a sent referral by its number (移送文号); under an approved grant
they read its content and its evidence read-only. The access app checks the grant before it calls
anything here except `find`, `owner_org` and `is_party`; this module only knows how to show the
referral and hand over a file's verified plaintext. The org that holds the case — the receiver —
approves second and may revoke.
"""

from __future__ import annotations

from typing import Any

from xianjie.access.grantables import Grantable, GrantedFile, OpenedFile
from xianjie.catalog.models import ViolationCode
from xianjie.core import crypto
from xianjie.core.errors import NotFound

from . import sealing
from .evidence.services import UNREADABLE_NAME, evidence_plaintext, sealed_field
from .models import DisposalMethod, Evidence, Referral
from .selectors import referral_content
from .transitions import Status, status_label


class ReferralGrantable(Grantable):
    kind = "referral"
    label = "移送线索（含证据材料）"
    reference_label = "移送文号"

    def _rows(self) -> Any:
        return Referral.objects.select_related("sender_org", "receiver_org")

    def find(self, reference: str) -> Referral | None:
        """A referral that was sent, by its exact number: a draft has none and is nobody's to
        ask for."""
        number = str(reference or "").strip()
        if not number:
            return None
        return self._rows().filter(number=number, sent_at__isnull=False).first()

    def get(self, object_id: int) -> Referral | None:
        return self._rows().filter(pk=object_id, sent_at__isnull=False).first()

    def describe(self, item: Referral) -> str:
        return item.number

    def owner_org(self, item: Referral) -> Any:
        return item.receiver_org

    def is_party(self, item: Referral, user: Any) -> bool:
        return Referral.objects.restrict(user, "view").filter(pk=item.pk).exists()

    def render(self, item: Referral, user: Any) -> tuple[str, dict[str, Any]]:
        content = referral_content(item)
        context = {
            "referral": item,
            "content": content,
            "status_label": status_label(item.direction, item.status),
            "disposal_label": DisposalMethod(item.disposal_method).label
            if item.disposal_method
            else "",
            # The outcome is the receiver's answer: shown once the case is closed.
            "result": content.result if item.status == Status.CLOSED else "",
            "codes": ViolationCode.objects.restrict(user, "view")
            .filter(code__in=content.codes)
            .order_by("sort_order", "code"),
        }
        return "referrals/granted.html", context

    def files(self, item: Referral) -> list[GrantedFile]:
        return [
            GrantedFile(
                id=row.pk,
                filename=_filename(item, row),
                content_type=row.content_type,
                size=row.size,
            )
            for row in Evidence.objects.filter(referral=item).order_by("id")
        ]

    def open_file(self, item: Referral, file_id: int) -> OpenedFile:
        row = Evidence.objects.filter(referral=item, pk=file_id).first()
        if row is None:
            raise NotFound()
        row.referral = item
        filename, data = evidence_plaintext(row)
        return OpenedFile(filename=filename, content_type=row.content_type, data=data)


def _filename(referral: Referral, row: Evidence) -> str:
    try:
        return sealing.unseal(referral, sealed_field(row.pk, "filename"), row.filename_enc)
    except (crypto.DecryptionError, ValueError, IndexError):
        # Still listed; opening the file reports the damage.
        return UNREADABLE_NAME
