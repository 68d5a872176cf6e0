from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Activity, FocalPointAssignment, Institution
from .services import EvidenceInput, UpdateEntry
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
        if progress == 100 and status != Activity.Status.BLOCKED:
            data["status"] = status = Activity.Status.COMPLETED
        if status == Activity.Status.COMPLETED and progress < 100:
            self.add_error("status", _("A completed activity is at 100 %."))
        if status == Activity.Status.BLOCKED and not data.get("blocked_reason", "").strip():
            self.add_error("blocked_reason", _("Say why the activity is blocked."))
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
