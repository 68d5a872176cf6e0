from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ogp_portal.viewutils import positive_int

from .dashboard import DashboardFilters
from .models import Activity, Axis, Commitment, FocalPointAssignment, Institution, Plan
from .progress import CompletionLevel
from .services import EvidenceInput, UpdateEntry, status_for_progress
from .validators import ALLOWED_EXTENSIONS, validate_evidence_file

ACCEPT = ",".join(f".{extension}" for extension in ALLOWED_EXTENSIONS)


class ActivityUpdateForm(forms.Form):
    """One activity's new progress, status, narrative and evidence."""

    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)
    blocked_reason = forms.CharField(
        label=_("Reason for the blockage"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        help_text=_("What was done, difficulties, next steps."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=1000, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, image or office document."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    evidence_title = forms.CharField(label=_("Evidence title"), required=False, max_length=255)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        self.activity = activity
        kwargs.setdefault("prefix", f"a{activity.pk}")
        kwargs.setdefault(
            "initial",
            {
                "progress": activity.progress,
                "status": activity.status,
                "blocked_reason": activity.blocked_reason,
                "version": activity.version,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_evidence_file(self) -> Any:
        file = self.cleaned_data.get("evidence_file")
        if file:
            validate_evidence_file(file)
        return file

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        progress, status = data.get("progress"), data.get("status")
        if progress is None or status is None:
            return data
        # The status left as it was follows the new progress; a blockage stays until 100 %.
        status_kept = "status" not in self.changed_data and "progress" in self.changed_data
        if status_kept and (status != Activity.Status.BLOCKED or progress >= 100):
            data["status"] = status = status_for_progress(progress)
        for field, message in Activity.status_errors(
            progress, status, data.get("blocked_reason", "")
        ).items():
            self.add_error(field, message)
        has_evidence = bool(data.get("evidence_url") or data.get("evidence_file"))
        if not has_evidence and self.activity.needs_evidence_for(progress, status):
            self.add_error(
                "evidence_file",
                _("Attach evidence (a link or a file) to mark the activity complete."),
            )
        return data

    def has_update(self) -> bool:
        """Whether the focal point changed anything worth recording for this activity."""
        watched = {"progress", "status", "blocked_reason", "narrative", "evidence_url"}
        return bool(watched & set(self.changed_data)) or bool(
            self.cleaned_data.get("evidence_file")
        )

    def entry(self) -> UpdateEntry:
        data = self.cleaned_data
        evidence = []
        if data.get("evidence_url") or data.get("evidence_file"):
            evidence.append(
                EvidenceInput(
                    title=data.get("evidence_title", ""),
                    url=data.get("evidence_url", ""),
                    file=data.get("evidence_file"),
                )
            )
        return UpdateEntry(
            activity=self.activity,
            progress=data["progress"],
            status=data["status"],
            blocked_reason=data.get("blocked_reason", ""),
            narrative=data.get("narrative", ""),
            evidence=evidence,
            expected_version=data["version"],
        )


class ReturnUpdateForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the focal point"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required: say what to correct or complete."),
    )


class SelectedUpdatesField(forms.Field):
    """The ``update`` values of the ticked boxes, as sent: whether each names an update is for
    the form (numbers) and the service (updates still waiting) to say, one by one."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        return [str(item) for item in value or []]


class BulkValidateForm(forms.Form):
    """The queue's "Validate selected": the ticked updates and one note for all of them."""

    update = SelectedUpdatesField(
        label=_("Updates to validate"),
        error_messages={"required": _("Tick at least one update to validate.")},
    )
    note = forms.CharField(
        label=_("Note kept with each validated update (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)
        self.unreadable: list[str] = []

    def clean_update(self) -> list[int]:
        """The ids that are numbers, in order and each once; the other values are kept in
        ``unreadable``, to be reported beside the service's refusals."""
        values = self.cleaned_data["update"]
        ids = [positive_int(value) for value in values]
        self.unreadable = [value for value, pk in zip(values, ids, strict=True) if pk is None]
        return list(dict.fromkeys(pk for pk in ids if pk is not None))

    def selected(self) -> set[int]:
        """The ticked boxes to show ticked again when the form comes back with an error."""
        values = self.data.getlist("update") if hasattr(self.data, "getlist") else []
        return {pk for value in values if (pk := positive_int(value)) is not None}


class HandOverForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("New focal point"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("last_name", "username"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=FocalPointAssignment.Role.choices)
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    institution: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Institution represented"), queryset=Institution.objects.all(), required=False
    )


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, read from the query string; a bad value is ignored and said."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    axis = forms.TypedChoiceField(label=_("Axis"), required=False, coerce=int, empty_value=None)
    institution = forms.ChoiceField(label=_("Lead institution"), required=False)
    level = forms.ChoiceField(label=_("Completion level"), required=False)
    stale = forms.BooleanField(label=_("Not updated recently"), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        axis_field: Any = self.fields["axis"]
        axis_field.choices = [("", _("All axes"))] + [
            (axis.number, str(axis)) for axis in plan.axes.all()
        ]
        # Read by the dashboard too (build_dashboard's groups by lead institution).
        self.leads = list(
            Institution.objects.filter(pk__in=plan.commitments.values("lead_institution")).by_name()
        )
        institution_field: Any = self.fields["institution"]
        institution_field.choices = [("", _("All institutions"))] + [
            (institution.code, institution.name) for institution in self.leads
        ]
        level_field: Any = self.fields["level"]
        level_field.choices = [("", _("All levels")), *CompletionLevel.choices]

    def filters(self) -> DashboardFilters:
        self.is_valid()  # invalid fields are left out of cleaned_data, the others still apply
        data = self.cleaned_data
        return DashboardFilters(
            axis=data.get("axis"),
            institution=data.get("institution") or "",
            level=data.get("level") or "",
            stale=bool(data.get("stale")),
            q=(data.get("q") or "").strip(),
        )


class ImportForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.all(),
        required=False,
        help_text=_("Leave empty to take the plan the file names in its “plan” column."),
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV or XLSX in the format of the plan's export."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and write nothing"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if file.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s."),
                params={
                    "size": filesizeformat(file.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
                },
            )
        return file


class SpreadsheetRowForm(forms.Form):
    """One row of an imported spreadsheet, in the export's format (see spreadsheets.py)."""

    plan = forms.CharField(required=False)
    commitment_number = forms.IntegerField(min_value=1)
    ogp_id = forms.RegexField(regex=r"^([A-Z]{2,3}\d{4})?$", required=False)
    axis_number = forms.IntegerField(min_value=1, required=False)
    commitment_title_fr = forms.CharField(max_length=500)
    commitment_title_ar = forms.CharField(max_length=500, required=False)
    commitment_title_en = forms.CharField(max_length=500, required=False)
    lead_institution = forms.CharField(max_length=32)
    supporting_institutions = forms.CharField(required=False)
    ogp_values = forms.CharField(required=False)
    commitment_status = forms.ChoiceField(choices=Commitment.Status.choices)
    start_date = forms.DateField(required=False)
    end_date = forms.DateField(required=False)
    activity_position = forms.IntegerField(min_value=0, required=False)
    activity_title_fr = forms.CharField(max_length=500, required=False)
    activity_title_ar = forms.CharField(max_length=500, required=False)
    activity_title_en = forms.CharField(max_length=500, required=False)
    weight = forms.DecimalField(min_value=0, max_digits=8, decimal_places=3, required=False)
    activity_status = forms.ChoiceField(choices=Activity.Status.choices, required=False)
    blocked_reason = forms.CharField(required=False)
    progress = forms.IntegerField(min_value=0, max_value=100, required=False)
    planned_start = forms.DateField(required=False)
    planned_end = forms.DateField(required=False)
    evidence_url = forms.URLField(required=False, max_length=1000, assume_scheme="https")

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target_plan = plan

    def clean_plan(self) -> str:
        code = self.cleaned_data["plan"].strip()
        if code and code != self.target_plan.code:
            raise forms.ValidationError(
                _("This row belongs to plan %(code)s, not to the plan being imported."),
                params={"code": code},
            )
        return code

    def clean_axis_number(self) -> Axis | None:
        number = self.cleaned_data["axis_number"]
        if number is None:
            return None
        axis = self.target_plan.axes.filter(number=number).first()
        if axis is None:
            raise forms.ValidationError(
                _("The plan has no axis %(number)s."), params={"number": number}
            )
        return axis

    def clean_lead_institution(self) -> Institution:
        return self._institution(self.cleaned_data["lead_institution"])

    def clean_supporting_institutions(self) -> list[Institution]:
        codes = [c.strip() for c in self.cleaned_data["supporting_institutions"].split(";")]
        return [self._institution(code) for code in codes if code]

    def _institution(self, code: str) -> Institution:
        institution = Institution.objects.filter(code=code.strip()).first()
        if institution is None:
            raise forms.ValidationError(
                _("Unknown institution code “%(code)s”."), params={"code": code}
            )
        return institution

    def clean_ogp_values(self) -> list[str]:
        keys = [k.strip() for k in self.cleaned_data["ogp_values"].split(";") if k.strip()]
        allowed = {name.removeprefix("value_") for name in Commitment.OGP_VALUE_FIELDS}
        unknown = sorted(set(keys) - allowed)
        if unknown:
            raise forms.ValidationError(
                _("Unknown OGP values: %(values)s (use %(allowed)s)."),
                params={"values": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))},
            )
        return keys

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("activity_position") is None:
            return data
        for name in ("activity_title_fr", "weight", "activity_status", "progress"):
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("Required for an activity row."))
        if (
            data.get("activity_status") == Activity.Status.BLOCKED
            and not data.get("blocked_reason", "").strip()
        ):
            self.add_error("blocked_reason", _("Say why the activity is blocked."))
        return data
