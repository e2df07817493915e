"""Reading a tier 3 item under an approved grant (第十一条 严格审批共享).

The page shows exactly the grant's item, read-only: the grantable's own content template inside
a frame that says it is a grant, until when, and that every read is reported to the owner, with
the 涉案保密 badge and the viewer's on-screen watermark. Files are offered only where they can
carry a visible watermark (PDF, PNG, JPEG); a download is marked with the reader's name, org,
time and the grant's number before it leaves.

Anything but the requester's own live grant is 404 (`grants.grant_open`). Every showing and
every download is written to the owner's reader log and the audit trail before the content is
sent (`grants.grant_use_record`); a file that fails its integrity check or cannot be marked is
refused (409), audited, and never served.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from xianjie.audit.services import audit_record
from xianjie.core.downloads import attachment_disposition
from xianjie.core.errors import ServiceError
from xianjie.core.pages import service_page

# The one encoder of download names (RFC 6266 with a safe ASCII fallback), shared with evidence.
from ..grants import OpenGrant, grant_open, grant_use_record
from ..models import UseKind
from ..tiers import Tier
from ..watermark import can_watermark, watermark, watermark_text

#: Copies of the viewer's mark tiled over the page (a deterrent to photographs).
WATERMARK_TILES = 24
NOT_DOWNLOADABLE = "该类型文件无法加注水印，授权调阅时不提供下载"

AUDIT_LABELS = {"access.grant_file_refused": "授权调阅·拒绝下载（文件校验未通过或无法加注水印）"}


@service_page("GET")
def granted(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    opened = grant_open(request_id=pk, user=user)
    kind, item = opened.grantable, opened.item
    reference = kind.describe(item)
    grant_use_record(opened=opened, user=user, use=UseKind.VIEW, what=reference)
    template, item_context = kind.render(item, user)
    files = [
        {"file": file, "downloadable": can_watermark(file.content_type)}
        for file in kind.files(item)
    ]
    context = {
        **item_context,
        "grant": opened.grant,
        "kind_label": kind.label,
        "item_reference": reference,
        "item_template": template,
        "granted_files": files,
        "not_downloadable": NOT_DOWNLOADABLE,
        "watermark": watermark_text(user, opened.grant),
        "watermark_tiles": range(WATERMARK_TILES),
    }
    return render(request, "access/granted.html", context)


@service_page("GET")
def granted_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    user: Any = request.user
    opened = grant_open(request_id=pk, user=user)
    kind, item = opened.grantable, opened.item
    try:
        file = kind.open_file(item, file_id)
        if not can_watermark(file.content_type):
            raise Http404
        data = watermark(file.data, file.content_type, watermark_text(user, opened.grant))
    except ServiceError as refusal:
        if refusal.status == 404:
            raise Http404 from None
        _refused(opened, user, file_id, refusal)
        return HttpResponse(
            refusal.detail, status=refusal.status, content_type="text/plain; charset=utf-8"
        )
    grant_use_record(opened=opened, user=user, use=UseKind.DOWNLOAD, what=f"附件：{file.filename}")
    return _attachment(data, file.filename, file.content_type, fallback_stem=f"file-{file_id}")


def _refused(opened: OpenGrant, user: Any, file_id: int, refusal: ServiceError) -> None:
    """A damaged or unmarkable file under a grant is a security event: who, which grant, which
    file, why (ids and codes only)."""
    grant = opened.grant
    with transaction.atomic():
        audit_record(
            actor=user,
            action="access.grant_file_refused",
            obj=grant,
            tier=Tier.CASE_SECRET,
            payload={
                "kind": grant.kind,
                "object_id": grant.object_id,
                "file": file_id,
                "status": refusal.status,
                "error": type(refusal).__name__,
            },
        )


def _attachment(data: bytes, filename: str, content_type: str, fallback_stem: str) -> HttpResponse:
    """Like referrals' evidence download: an uncached attachment that is never rendered."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Length"] = str(len(data))
    response["Content-Disposition"] = attachment_disposition(filename, fallback_stem=fallback_stem)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


urlpatterns = [
    path("grants/<int:pk>/", granted, name="granted"),
    path("grants/<int:pk>/files/<int:file_id>/", granted_file, name="granted_file"),
]
