"""Serving evidence over HTTP: the download response, a ready view, and an early size check.

A file is always an attachment — never rendered inline — with the detected type, nosniff and
no-store, so neither the browser nor a proxy turns case material into a page or a cached copy.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from xianjie.core.errors import NotFound

from .filenames import attachment_disposition
from .services import EvidenceCorrupted, OpenedEvidence, evidence_open, too_large

#: Room for the other form fields and the multipart framing around the file.
MULTIPART_ALLOWANCE = 1024 * 1024


def download_response(opened: OpenedEvidence) -> StreamingHttpResponse:
    response = StreamingHttpResponse(opened.chunks, content_type=opened.content_type)
    response["Content-Length"] = str(opened.size)
    response["Content-Disposition"] = attachment_disposition(
        opened.filename, fallback_stem=f"evidence-{opened.evidence.pk}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponseBase:
    """GET a referral's file: 404 when not the user's to see, a Chinese 409 when it fails its
    integrity check, else the file as an attachment."""
    try:
        opened = evidence_open(evidence_id=evidence_id, referral_id=pk, actor=request.user)
    except NotFound:
        raise Http404 from None
    except EvidenceCorrupted as refusal:
        return HttpResponse(
            refusal.detail, status=refusal.status, content_type="text/plain; charset=utf-8"
        )
    return download_response(opened)


def refuse_oversized_request(request: Any) -> None:
    """FileTooLarge (413) for a request whose declared length cannot hold an acceptable file —
    before its body is parsed. A cheap early answer only: evidence_upload still counts the bytes."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    limit = settings.EVIDENCE_MAX_BYTES
    if declared > limit + MULTIPART_ALLOWANCE:
        raise too_large(limit)
