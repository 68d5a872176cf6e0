"""Forms of the public co-creation pages, the committee's scores and the institutions' answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commitments.models import Institution

from .models import Process, Proposal, Theme


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names when the form
    has that field, above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ProposalForm(forms.Form):
    """The public proposal form. ``website`` is a trap for robots: people never see it."""

    title = forms.CharField(label=_("Title of your proposal"), max_length=255)
    description = forms.CharField(
        label=_("Your proposal"),
        help_text=_("The problem you see and what the government could commit to."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    theme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("No particular theme"),
    )
    institution: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Institution concerned"),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("I do not know"),
        help_text=_("Optional: the public body you think should act."),
    )
    author_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    author_organisation = forms.CharField(
        label=_("Your organisation"),
        max_length=255,
        required=False,
        help_text=_("Optional: an association, a company, a university…"),
    )
    email = forms.EmailField(
        label=_("E-mail for follow-up"),
        required=False,
        help_text=_("Optional: to tell you about the response. Never published."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my proposal, and the name and organisation I give, may be published on "
            "this portal after moderation. My e-mail address is never published."
        ),
        error_messages={"required": _("Your consent is needed to record the proposal.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme_field: Any = self.fields["theme"]
        theme_field.queryset = process.themes.all()
        institution_field: Any = self.fields["institution"]
        institution_field.queryset = Institution.objects.by_name()

    @property
    def is_from_a_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class ProposalFilterForm(forms.Form):
    """The filters of a co-creation's published proposals, read from the query string."""

    theme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("All")
    )
    institution: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme_field: Any = self.fields["theme"]
        theme_field.queryset = process.themes.all()
        institution_field: Any = self.fields["institution"]
        institution_field.queryset = Institution.objects.filter(
            co_creation_proposals__process=process,
            co_creation_proposals__moderation=Proposal.Moderation.PUBLISHED,
        ).distinct()
        status_field: Any = self.fields["status"]
        status_field.choices = [("", _("All")), *Proposal.Status.choices]

    def filters(self) -> dict[str, Any]:
        """The valid filters as queryset lookups; invalid ones are left out (see ``errors``)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # unbound: no filter
        return {name: data[name] for name in self.fields if data.get(name)}


class ScoreForm(forms.Form):
    """A committee member's priority score for one retained proposal."""

    proposal: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Proposal.objects.none(), widget=forms.HiddenInput
    )
    value = forms.TypedChoiceField(
        label=_("Your score (1 low – 5 high)"),
        choices=[("", "—")] + [(value, str(value)) for value in range(1, 6)],
        coerce=int,
        error_messages={
            "required": _("Give a score from 1 to 5."),
            "invalid_choice": _("Give a score from 1 to 5."),
        },
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        proposal_field: Any = self.fields["proposal"]
        proposal_field.queryset = Proposal.objects.filter(
            process=process, status=Proposal.Status.RETAINED
        )
        proposal_field.error_messages["invalid_choice"] = _(
            "This proposal cannot be scored: only retained proposals of this co-creation are."
        )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your institution's answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the institution's answer.")},
    )
