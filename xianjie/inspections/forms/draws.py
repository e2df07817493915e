"""Forms of the random draw pages (随机抽查, 第八条): the filter of the draw list and the form that
prepares a draw — the unit pool with weights, the inspector pool, the number of units, the team
size and, for a redraw, its reason.

Numbers are taken as text and checked by `draw_prepare`, so that every bad field is reported at
once with the service's Chinese messages (house rule 6); the form only keeps what was typed.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms

from xianjie.accounts.models import Org, OrgKind, User
from xianjie.core.errors import ServiceError

from .. import drawing
from ..models import DrawStatus

ALL = ("", "全部")
_UNIT_KEY = re.compile(r"units\.(\d+)\.(org|weight)")


class DrawFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[ALL, *DrawStatus.choices])

    def status_filter(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


def _number(
    label: str, low: int, high: int, initial: int | None = None, **attrs: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        initial=initial,
        widget=forms.NumberInput(attrs={"min": low, "max": high, "step": 1, **attrs}),
    )


class DrawPrepareForm(forms.Form):
    """准备抽取: by default every candidate unit (weight 1) and every eligible inspector."""

    units = forms.MultipleChoiceField(
        label="单位库", required=False, widget=forms.CheckboxSelectMultiple
    )
    inspectors = forms.MultipleChoiceField(
        label="人员库", required=False, widget=forms.CheckboxSelectMultiple
    )
    unit_count = _number("抽取单位数", 1, 200)
    team_size = _number("每组检查人员数", 2, 10, initial=2)
    reason = forms.CharField(
        label="重新抽取理由",
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="已有抽取时必须填写；原抽取将作废，记入审计日志。",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        units: list[Org],
        inspectors: list[User],
        redraw: bool,
    ) -> None:
        super().__init__(data)
        self.candidate_units, self.candidate_inspectors = units, inspectors
        unit_field = cast(forms.MultipleChoiceField, self.fields["units"])
        unit_field.choices = [(str(org.pk), org.name) for org in units]
        people_field = cast(forms.MultipleChoiceField, self.fields["inspectors"])
        people_field.choices = [(str(u.pk), u.display_name) for u in inspectors]
        self.fields["units"].initial = [str(org.pk) for org in units]
        self.fields["inspectors"].initial = [str(u.pk) for u in inspectors]
        self.fields["unit_count"].initial = min(len(units), 3) or None
        for org in units:
            self.fields[f"weight_{org.pk}"] = _number(
                f"{org.name}的权重",
                drawing.MIN_WEIGHT,
                drawing.MAX_WEIGHT,
                initial=drawing.DEFAULT_WEIGHT,
                style="max-width: 6em",
            )
        if not redraw:
            del self.fields["reason"]

    def _picked(self, name: str) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist(name) if hasattr(self.data, "getlist") else [])
        return set(self.fields[name].initial)

    def unit_rows(self) -> list[dict[str, Any]]:
        picked = self._picked("units")
        return [
            {"org": org, "checked": str(org.pk) in picked, "weight": self[f"weight_{org.pk}"]}
            for org in self.candidate_units
        ]

    def inspector_rows(self) -> list[dict[str, Any]]:
        picked = self._picked("inspectors")
        return [
            {
                "user": user,
                "checked": str(user.pk) in picked,
                "side": "纪检监察"
                if user.org and user.org.kind == OrgKind.DISCIPLINE
                else "行政执法监督",
            }
            for user in self.candidate_inspectors
        ]

    def service_input(self) -> dict[str, Any]:
        """The arguments of `draw_prepare`, in the order the units are listed on the page."""
        data = self.cleaned_data
        self._order = [int(pk) for pk in data["units"]]
        return {
            "units": [
                {"org": pk, "weight": data.get(f"weight_{pk}") or drawing.DEFAULT_WEIGHT}
                for pk in self._order
            ],
            "inspectors": [int(pk) for pk in data["inspectors"]],
            "unit_count": data["unit_count"],
            "team_size": data["team_size"],
            "reason": data.get("reason", ""),
        }

    def place_errors(self, refusal: ServiceError) -> None:
        """Each of the service's messages beside its field: `units.3.weight` is the weight of
        the fourth unit picked; messages about no field of the form go on top."""
        if not refusal.errors:
            self.add_error(None, refusal.detail)
        for key, texts in refusal.errors.items():
            name = key
            if match := _UNIT_KEY.fullmatch(key):
                index, part = int(match.group(1)), match.group(2)
                order = getattr(self, "_order", [])
                weight = f"weight_{order[index]}" if index < len(order) else ""
                name = weight if part == "weight" and weight in self.fields else "units"
            for text in texts:
                self.add_error(name if name in self.fields else None, text)
