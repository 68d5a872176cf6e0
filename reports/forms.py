from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.models import Activity, Commitment, Plan
from ogp_portal.i18n import LANGUAGE_CHOICES

from .models import AssessmentSheet, Report, ReportComment


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = [
            "plan",
            "title_fr",
            "title_ar",
            "title_en",
            "period_start",
            "period_end",
            "sheet_deadline",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
            "sheet_deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan_field: Any = self.fields["plan"]
        plan_field.queryset = Plan.objects.all()
        self.fields["title_fr"].required = True


# A browser's date field reads and sends ISO dates, whatever the page's language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GenerateForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)


class StageForm(forms.Form):
    """A step of the workflow; the transmission to the OGP says when and how (required by the
    step's gate, which lists what is missing, rather than by the form)."""

    stage = forms.ChoiceField(choices=Report.Stage.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    transmitted_on = forms.DateField(
        label=_("Sent to the OGP on"),
        required=False,
        widget=DATE_INPUT,
    )
    transmitted_how = forms.CharField(
        label=_("How it was sent"),
        required=False,
        max_length=255,
        help_text=_("For example: e-mail to the OGP support unit."),
    )


class ConsultationForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE_INPUT)
    closes_on = forms.DateField(
        label=_("Closes on"),
        help_text=_("The last day on which the public may comment."),
        widget=DATE_INPUT,
    )


class ExemptionForm(forms.Form):
    reason = forms.CharField(label=_("Why no sheet is awaited"), required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.ModelForm):
    """A comment on the report; the public gives a name and may give an organisation."""

    website = forms.CharField(required=False, label="", widget=forms.HiddenInput)  # honeypot

    class Meta:
        model = ReportComment
        fields = ["name", "organisation", "email", "commitment", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "email": _(
                "Optional. We write to it only to tell you whether your comment is published."
            )
        }

    def __init__(self, *args: Any, report: Report, public: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commitment_field: Any = self.fields["commitment"]
        commitment_field.queryset = Commitment.objects.filter(plan=report.plan)
        self.fields["commitment"].required = False
        if public:
            self.fields["name"].required = True
        else:
            for name in ("name", "organisation", "email"):
                del self.fields[name]

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This comment looks automated."))
        return ""


class LockableForm(forms.BaseForm):
    """``disabled=True``: every field shown read-only (a locked sheet)."""

    def __init__(self, *args: Any, disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = field.disabled or disabled


class SheetForm(LockableForm, forms.ModelForm):
    class Meta:
        model = AssessmentSheet
        fields = [
            "completion_override",
            "completion_justification",
            "results",
            "effect_access_to_information",
            "effect_civic_participation",
            "effect_public_accountability",
            "effect_explanation",
            "difficulties",
            "next_steps",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "completion_justification",
                "results",
                "effect_explanation",
                "difficulties",
                "next_steps",
            )
        }


class SheetReviewForm(forms.Form):
    accept = forms.BooleanField(required=False)
    review_note = forms.CharField(
        label=_("Note to the focal point"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActivityNoteForm(LockableForm, forms.Form):
    """One activity's status and comment in a self-assessment sheet."""

    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
