"""Forms of the secretariat's co-creation pages. The rules live in the services; these forms
only read and type what was typed, and carry the services' errors back next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.models import Institution

from .forms import ProposalFilterForm
from .models import Event, Process, Proposal


class ProposalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"#{obj.pk} {obj.title}"


class ScreeningFilterForm(ProposalFilterForm):
    """The public filters, and the source; a value that does not fit is ignored."""

    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("All")), *Proposal.Source.choices], required=False
    )


class ScreenForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Proposal.Status.choices)
    response = forms.CharField(
        label=_("Reasoned response"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Published with the proposal. Required for every status but “received”; written in "
            "the language of this page."
        ),
    )
    institution: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Institution concerned"), queryset=Institution.objects.all(), required=False
    )
    theme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Theme or axis"), queryset=None, required=False
    )
    merged_into = ProposalChoiceField(
        label=_("Merged into"),
        queryset=None,
        required=False,
        help_text=_("Only when the status is “merged”."),
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": proposal.status,
                "response": proposal.response,
                "institution": proposal.institution_id,
                "theme": proposal.theme_id,
                "merged_into": proposal.merged_into_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = proposal.process.themes.all()  # type: ignore[attr-defined]
        self.fields["merged_into"].queryset = (  # type: ignore[attr-defined]
            Proposal.objects.published().filter(process=proposal.process).exclude(pk=proposal.pk)
        )


class EventForm(forms.ModelForm):
    """An event; its title is written in the language of the page (see the view)."""

    class Meta:
        model = Event
        fields = ["title", "date", "place", "online", "participants", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participants": forms.NumberInput(attrs={"min": 0}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class RecordForm(forms.Form):
    """A proposal collected at an event or received by mail, entered by the secretariat."""

    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (Proposal.Source.EVENT.value, Proposal.Source.EVENT.label),
            (Proposal.Source.OTHER.value, Proposal.Source.OTHER.label),
        ],
    )
    event: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Event"), queryset=None, required=False
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    theme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Theme or axis"), queryset=None, required=False
    )
    institution: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Institution concerned"), queryset=Institution.objects.all(), required=False
    )
    author_name = forms.CharField(label=_("Author's name"), max_length=200, required=False)
    author_organisation = forms.CharField(label=_("Organisation"), max_length=255, required=False)

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = process.events.all()  # type: ignore[attr-defined]
        self.fields["theme"].queryset = process.themes.all()  # type: ignore[attr-defined]


class DraftForm(forms.Form):
    """A draft commitment from retained proposals; the service says what is missing."""

    proposals: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Retained proposals"),
        queryset=None,
        error_messages={"required": _("Choose at least one retained proposal.")},
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Title of the commitment"), max_length=500, required=False)
    lead_institution: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Lead institution"), queryset=Institution.objects.all(), required=False
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every proposal of the process, so that a non-retained one gets the service's message.
        self.fields["proposals"].queryset = process.proposals.all()  # type: ignore[attr-defined]

    def selected(self) -> set[str]:
        return {str(value) for value in (self["proposals"].value() or [])}
