"""Drafting a referral (第四条, 第六条): the form of a new referral and of a draft, and the
officer registry search that fills a subject row.

The form parses only; `referral_create` / `referral_update` validate and save. When they refuse,
every message goes back beside the field that caused it — `subjects.1.cert_no` onto the second
subject row's certificate number — and everything typed stays on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xianjie.access.restrict import get_object_for_user
from xianjie.accounts.models import SUPERVISION_KINDS, Officer, OrgKind, Role
from xianjie.core.errors import ServiceError
from xianjie.core.pages import service_page as referral_page

from ..forms import NormFormSet, ReferralForm, SubjectForm, SubjectFormSet
from ..models import Referral
from ..permissions import may_edit_draft
from ..selectors import get_referral_for_user, referral_content
from ..services import referral_create, referral_update
from ..services.drafting import MAX_ITEMS
from ..transitions import Direction, Status

SEARCH_HITS = 10


def drafting_direction(user: Any) -> str | None:
    """第四条: a supervision body's clerk sends leads to the commission; 第六条: the commission's
    clerk sends enforcement faults to a supervision body. Anyone else drafts nothing."""
    if user.org_id is None or not user.has_role(Role.CLERK):
        return None
    if user.org.kind in SUPERVISION_KINDS:
        return Direction.TO_DISCIPLINE
    if user.org.kind == OrgKind.DISCIPLINE:
        return Direction.TO_SUPERVISION
    return None


@dataclass
class DraftForms:
    """The referral form and its two row groups, bound or filled in, and the refusals of the
    service placed where they belong."""

    main: ReferralForm
    subjects: Any
    norms: Any
    #: Errors about a whole group ("请填写至少一个涉案人员或单位。").
    group_errors: dict[str, list[str]] = field(default_factory=dict)
    #: Which form row each item sent to the service came from (blank rows are not sent).
    subject_rows: list[int] = field(default_factory=list)
    norm_rows: list[int] = field(default_factory=list)

    @classmethod
    def blank(cls, user: Any, direction: str, initial: dict[str, Any] | None = None) -> DraftForms:
        initial = initial or {}
        return cls(
            main=ReferralForm(initial=initial, user=user, direction=direction),
            subjects=_rows(SubjectFormSet, "subjects", initial.get("subjects") or []),
            norms=_rows(NormFormSet, "norms", initial.get("norms") or []),
        )

    @classmethod
    def bound(cls, data: Any, user: Any, direction: str) -> DraftForms:
        return cls(
            main=ReferralForm(data, user=user, direction=direction),
            subjects=SubjectFormSet(data, prefix="subjects"),
            norms=NormFormSet(data, prefix="norms"),
        )

    def is_valid(self) -> bool:
        # Each is validated, so that all of their messages show at once.
        results = [self.main.is_valid(), self.subjects.is_valid(), self.norms.is_valid()]
        return all(results)

    def service_fields(self) -> dict[str, Any]:
        subjects, norms = [], []
        self.subject_rows, self.norm_rows = [], []
        for index, form in enumerate(self.subjects.forms):
            if not form.is_blank():
                self.subject_rows.append(index)
                subjects.append(form.service_item())
        for index, form in enumerate(self.norms.forms):
            if not form.is_blank():
                self.norm_rows.append(index)
                norms.append(form.service_item())
        return {**self.main.service_fields(), "subjects": subjects, "norms": norms}

    def apply(self, refusal: ServiceError) -> None:
        """Put each of the service's messages beside its field."""
        if not refusal.errors:
            self.main.add_error(None, refusal.detail)
        for key, texts in refusal.errors.items():
            for text in texts:
                self._place(key, text)

    def _place(self, key: str, text: str) -> None:
        parts = key.split(".")
        if parts[0] in ("subjects", "norms") and len(parts) == 3 and parts[1].isdigit():
            group, rows = (
                (self.subjects, self.subject_rows)
                if parts[0] == "subjects"
                else (self.norms, self.norm_rows)
            )
            index = int(parts[1])
            if index < len(rows) and parts[2] in group.forms[rows[index]].fields:
                group.forms[rows[index]].add_error(parts[2], text)
                return
        if parts[0] in ("subjects", "norms"):
            self.group_errors.setdefault(parts[0], []).append(text)
        elif key in self.main.fields:
            self.main.add_error(key, text)
        else:
            self.main.add_error(None, text)

    def change_rows(self, action: str) -> DraftForms:
        """「添加一行」/「移除」: the same page with one subject or norm row more or less; what was
        typed stays, nothing is saved."""
        subjects = [f.cleaned_data for f in self.subjects.forms]
        norms = [f.cleaned_data for f in self.norms.forms]
        group, _, index = action.partition("-")
        rows = subjects if group.endswith("subject") else norms
        if group.startswith("add") and len(rows) < MAX_ITEMS:
            rows.append({})
        elif group.startswith("remove") and index.isdigit() and int(index) < len(rows):
            del rows[int(index)]
        self.subjects = _rows(SubjectFormSet, "subjects", subjects)
        self.norms = _rows(NormFormSet, "norms", norms)
        return self

    @property
    def selected_codes(self) -> set[str]:
        return {str(code) for code in self.main["violation_codes"].value() or []}

    @property
    def has_errors(self) -> bool:
        return bool(
            self.group_errors
            or self.main.errors
            or any(self.subjects.errors)
            or self.subjects.non_form_errors()
            or any(self.norms.errors)
            or self.norms.non_form_errors()
        )


def _rows(formset_class: Any, prefix: str, rows: list[dict[str, Any]]) -> Any:
    """An unbound group showing `rows`, and one empty row when there is none."""
    return formset_class(initial=rows or [{}], prefix=prefix)


ROW_ACTIONS = ("add_subject", "add_norm")


def _row_action(action: str) -> bool:
    return action in ROW_ACTIONS or action.startswith(("remove_subject-", "remove_norm-"))


def _required_marks(direction: str) -> dict[str, bool]:
    """第四条 asks a lead's persons for post and certificate number and for the norm violated; a
    fault to a supervision body (第六条) needs neither."""
    lead = direction == Direction.TO_DISCIPLINE
    return {"person_details": lead, "norms_required": lead}


def _render(request: HttpRequest, forms: DraftForms, direction: str, referral: Referral | None):
    context = {
        "forms": forms,
        "direction": direction,
        "direction_label": Direction(direction).label,
        "referral": referral,
        "max_items": MAX_ITEMS,
        **_required_marks(direction),
    }
    status = 400 if request.method == "POST" and forms.has_errors else 200
    return render(request, "referrals/form.html", context, status=status)


def _save(forms: DraftForms, save: Callable[..., Referral]) -> Referral | None:
    if not forms.is_valid():
        return None
    try:
        return save(**forms.service_fields())
    except ServiceError as refusal:
        forms.apply(refusal)
        return None


@referral_page("GET", "POST")
def referral_new(request: HttpRequest) -> HttpResponse:
    """新建移送: a supervision body's clerk drafts a lead, the commission's clerk a fault."""
    user: Any = request.user
    direction = drafting_direction(user)
    asked = request.GET.get("direction")
    if direction is None or (asked and asked != direction):
        raise PermissionDenied
    if request.method == "GET":
        return _render(request, DraftForms.blank(user, direction), direction, None)
    forms = DraftForms.bound(request.POST, user, direction)
    action = request.POST.get("action", "save")
    if _row_action(action) and forms.is_valid():
        return _render(request, forms.change_rows(action), direction, None)

    def save(**fields: Any) -> Referral:
        return referral_create(actor=user, direction=direction, **fields)

    referral = _save(forms, save)
    if referral is None:
        return _render(request, forms, direction, None)
    messages.success(request, "草稿已保存。请上传证据材料，核对无误后提交审批。")
    return redirect("referrals:detail", pk=referral.pk)


@referral_page("GET", "POST")
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改草稿: the sender's clerk only, and only while it is a draft."""
    user: Any = request.user
    referral = get_referral_for_user(user, pk)
    if not may_edit_draft(user, referral):
        raise PermissionDenied
    if referral.status != Status.DRAFT:
        messages.error(request, "只有草稿可以修改。")
        return redirect("referrals:detail", pk=referral.pk)
    direction = referral.direction
    if request.method == "GET":
        content = referral_content(referral)
        initial = {
            "receiver_org": str(referral.receiver_org_id),
            "source": referral.source,
            "facts": content.facts,
            "violation_codes": content.codes,
            "summary": content.summary,
            "subjects": [s.as_input() for s in content.subjects],
            "norms": content.norms,
        }
        return _render(request, DraftForms.blank(user, direction, initial), direction, referral)
    forms = DraftForms.bound(request.POST, user, direction)
    action = request.POST.get("action", "save")
    if _row_action(action) and forms.is_valid():
        return _render(request, forms.change_rows(action), direction, referral)

    def save(**fields: Any) -> Referral:
        return referral_update(referral_id=referral.pk, actor=user, **fields)

    if _save(forms, save) is None:
        return _render(request, forms, direction, referral)
    messages.success(request, "草稿已保存。")
    return redirect("referrals:detail", pk=referral.pk)


def _row_index(value: Any) -> int:
    if not str(value or "").isdigit() or int(value) >= MAX_ITEMS:
        raise Http404
    return int(value)


@referral_page("GET")
def officer_search(request: HttpRequest) -> HttpResponse:
    """The registry search of a subject row (htmx): officers of the region by name, or by an exact
    certificate number."""
    user: Any = request.user
    if drafting_direction(user) is None:
        raise PermissionDenied
    row = _row_index(request.GET.get("row"))
    q = str(request.GET.get("officer_q") or "").strip()[:40]
    hits: list[Officer] = []
    if q:
        hits = list(
            Officer.objects.restrict(user, "view")
            .filter(Q(name__icontains=q) | Q(cert_no=q.upper()))
            .select_related("org")
            .order_by("name", "id")[:SEARCH_HITS]
        )
    context = {"hits": hits, "q": q, "row": row}
    return render(request, "referrals/_officer_hits.html", context)


@referral_page("GET")
def officer_pick(request: HttpRequest) -> HttpResponse:
    """The subject row filled from the registry: name, post, org and certificate number."""
    user: Any = request.user
    if drafting_direction(user) is None:
        raise PermissionDenied
    row = _row_index(request.GET.get("row"))
    officer = get_object_for_user(
        Officer.objects.select_related("org"), user, "view", pk=request.GET.get("officer")
    )
    form = SubjectForm(
        prefix=f"subjects-{row}",
        initial={
            "kind": "person",
            "officer": officer.pk,
            "name": officer.name,
            "post": officer.post,
            "org": officer.org.name,
            "cert_no": officer.cert_no,
        },
    )
    context = {"form": form, "index": row, **_required_marks(str(drafting_direction(user)))}
    return render(request, "referrals/_subject_row.html", context)
