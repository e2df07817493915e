"""Forms of the inspection plan pages (第八条). They only carry what was typed: the services
check everything and their Chinese messages are put back beside the fields that caused them, all
at once, with the typed values kept."""

from __future__ import annotations

from typing import Any

from django import forms

from xianjie.accounts.models import Org
from xianjie.core.errors import ServiceError

from ..models import Inspection, InspectionMethod, InspectionUnit
from ..selectors.plans import (
    ORGANISER_KINDS,
    declared_conflicts,
    eligible_inspectors,
    enforcement_units,
    recusal_problem,
)
from ..transitions import InspectionStatus, InspectionTransition

ALL = ("", "全部")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
IT = InspectionTransition


class ServiceChecked:
    """A field whose value the service checks, with its own Chinese message — so that a blank or
    an unknown choice is reported together with every other problem of the form. `required`
    only marks the label."""

    def validate(self, value: Any) -> None:
        return None


class TextField(ServiceChecked, forms.CharField):
    pass


class PickField(ServiceChecked, forms.ChoiceField):
    pass


class PicksField(ServiceChecked, forms.MultipleChoiceField):
    pass


def place_errors(form: forms.Form, refusal: ServiceError, fields: dict[str, str] | None = None):
    """Each of the service's messages beside its field (`fields` maps a service key to a form
    field); messages about no field of the form go on top."""
    if not refusal.errors:
        form.add_error(None, refusal.detail)
    for key, texts in refusal.errors.items():
        name = (fields or {}).get(key, key)
        for text in texts:
            form.add_error(name if name in form.fields else None, text)


class PlanFilterForm(forms.Form):
    q = forms.CharField(
        label="督查名称",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "名称中的文字"}),
    )
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[ALL, *InspectionStatus.choices]
    )
    method = forms.ChoiceField(
        label="检查方式", required=False, choices=[ALL, *InspectionMethod.choices]
    )

    def filters(self) -> dict[str, Any]:
        """The selector's filters; nothing when the form has errors (they are shown instead)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


def organiser_choices(user: Any) -> list[tuple[str, str]]:
    orgs = Org.objects.restrict(user, "view").filter(kind__in=ORGANISER_KINDS, is_active=True)
    return [(str(org.pk), org.name) for org in orgs.order_by("sort_order", "id")]


class PlanForm(forms.Form):
    """The plan (第八条): a joint inspection, organised by both sides."""

    year = TextField(label="年度", widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}))
    title = TextField(label="督查名称", widget=forms.TextInput(attrs={"maxlength": 100}))
    method = PickField(label="检查方式", choices=InspectionMethod.choices, widget=forms.RadioSelect)
    topic = TextField(
        label="检查主题和内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="专项检查必填：检查的主题、范围和重点内容。",
    )
    organisers = PicksField(
        label="组织单位",
        widget=forms.CheckboxSelectMultiple,
        help_text="联合法治督查由纪检监察机关和行政执法监督机构共同组织，每方至少一个单位（第八条）。",
    )
    planned_start = TextField(label="计划开始日期", widget=DATE_INPUT)
    planned_end = TextField(label="计划结束日期", widget=DATE_INPUT)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisers"].choices = organiser_choices(user)  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, inspection: Inspection) -> dict[str, Any]:
        return {
            "year": inspection.year,
            "title": inspection.title,
            "method": inspection.method,
            "topic": inspection.topic,
            "organisers": [str(pk) for pk in inspection.organisers.values_list("pk", flat=True)],
            "planned_start": inspection.planned_start.isoformat(),
            "planned_end": inspection.planned_end.isoformat(),
        }

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ConflictForm(forms.Form):
    """回避申报: the unit, and why."""

    org = PickField(label="回避单位")
    reason = TextField(
        label="回避事由",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 200}),
        help_text="如近亲属在该单位任职、曾在该单位工作等。",
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = [(str(org.pk), org.name) for org in enforcement_units(region_id)]
        self.fields["org"].choices = [("", "请选择"), *units]  # type: ignore[attr-defined]


#: What each move asks for: (field, label, required); the services agree.
MOVE_FIELDS: dict[str, list[tuple[str, str, bool]]] = {
    IT.START: [("comment", "说明", False)],
    IT.REPORT: [("report_summary", "检查情况报告", True), ("comment", "说明", False)],
    IT.CLOSE: [("comment", "说明", False)],
    IT.CANCEL: [("comment", "取消理由", True)],
}


class MoveForm(forms.Form):
    """The fields of one transition, prefixed by its name so that several live on one page."""

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        kwargs["prefix"] = name
        super().__init__(*args, **kwargs)
        self.name = name
        for field, label, required in MOVE_FIELDS[name]:
            rows = 6 if field == "report_summary" else 3
            self.fields[field] = TextField(
                label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
            )


class UnitsForm(forms.Form):
    """专项检查: for every enforcement unit of the region, whether it is inspected and by whom.
    Inspectors who must recuse themselves from a unit (回避) are not offered for it."""

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = list(enforcement_units(inspection.region_id))
        staff = list(eligible_inspectors(inspection.region_id))
        declared = declared_conflicts(inspection)
        self.recused: dict[int, list[str]] = {}
        chosen = {
            row.org_id: [str(user.pk) for user in row.inspectors.all()]
            for row in InspectionUnit.objects.filter(inspection=inspection).prefetch_related(
                "inspectors"
            )
        }
        for unit in self.units:
            offered = []
            for user in staff:
                if problem := recusal_problem(user, unit, declared):
                    self.recused.setdefault(unit.pk, []).append(problem)
                else:
                    org = user.org.name if user.org else ""
                    offered.append((str(user.pk), f"{user.display_name}（{org}）"))
            self.fields[f"unit_{unit.pk}"] = forms.BooleanField(
                label=unit.name, required=False, initial=unit.pk in chosen
            )
            self.fields[f"inspectors_{unit.pk}"] = PicksField(
                label=f"{unit.name}的检查组",
                required=False,
                choices=offered,
                widget=forms.CheckboxSelectMultiple,
                initial=chosen.get(unit.pk, []),
            )
        self.sent: list[int] = []

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "unit": unit,
                "chosen": self[f"unit_{unit.pk}"],
                "team": self[f"inspectors_{unit.pk}"],
                "recused": self.recused.get(unit.pk, []),
            }
            for unit in self.units
        ]

    def service_units(self) -> list[dict[str, Any]]:
        """The units ticked, in page order; `sent` remembers which unit each item is."""
        self.sent = [unit.pk for unit in self.units if self.cleaned_data[f"unit_{unit.pk}"]]
        return [
            {"org": pk, "inspectors": self.cleaned_data[f"inspectors_{pk}"]} for pk in self.sent
        ]

    def apply(self, refusal: ServiceError) -> None:
        """`units.2.inspectors` → the team of the third unit sent."""
        fields = {}
        for index, pk in enumerate(self.sent):
            fields[f"units.{index}.org"] = f"unit_{pk}"
            fields[f"units.{index}.inspectors"] = f"inspectors_{pk}"
        place_errors(self, refusal, fields)
