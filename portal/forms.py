"""Forms of the pages over every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.models import Plan
from ogp_portal.i18n import LANGUAGE_CHOICES

from .repository import Entry, EntryFilters, Kind, periods_of


class RepositoryFilterForm(forms.Form):
    """The repository's filters, read from the query string; a bad value is ignored and said.
    A plan's repository filters by commitment, the whole portal's by plan."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    commitment = forms.TypedChoiceField(
        label=_("Commitment"), required=False, coerce=int, empty_value=None
    )
    plan = forms.ChoiceField(label=_("Plan"), required=False)
    period = forms.ChoiceField(label=_("Published in"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, plan: Plan | None, entries: list[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("kind", _("All kinds"), Kind.choices)
        self._choices("period", _("Any date"), [(p, p) for p in periods_of(entries)])
        self._choices("language", _("Any language"), LANGUAGE_CHOICES)
        if plan is None:
            del self.fields["commitment"]
            plans = [(p.code, p.title) for p in Plan.objects.all()]
            self._choices("plan", _("All plans"), plans)
        else:
            del self.fields["plan"]
            commitments = [
                (c.number, f"{c.number}. {c.title}") for c in plan.commitments.order_by("number")
            ]
            self._choices("commitment", _("All commitments"), commitments)

    def _choices(self, name: str, everything: Any, choices: Any) -> None:
        field: Any = self.fields[name]
        field.choices = [("", everything), *choices]

    def filters(self) -> EntryFilters:
        self.is_valid()  # invalid fields are left out of cleaned_data, the others still apply
        data = self.cleaned_data
        return EntryFilters(
            kind=data.get("kind") or "",
            commitment=data.get("commitment"),
            plan=data.get("plan") or "",
            period=data.get("period") or "",
            language=data.get("language") or "",
        )
