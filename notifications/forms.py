from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ogp_portal.i18n import LANGUAGE_CHOICES

from . import kinds
from .models import Frequency


class PreferencesForm(forms.Form):
    """The language of a person's e-mails, and how each kind of notification reaches them."""

    language = forms.ChoiceField(label=_("Language of e-mails"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds.all_kinds():
            if kind.audience != "account":
                continue
            self.fields[f"kind_{kind.key}"] = forms.ChoiceField(
                label=kind.label,
                choices=Frequency.choices,
                initial=current.get(kind.key, kind.default),
            )

    def frequencies(self) -> dict[str, str]:
        return {
            name.removeprefix("kind_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("kind_")
        }


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send a link to confirm; nothing else is done with the address."),
    )
    target = forms.CharField(widget=forms.HiddenInput, max_length=100)
    # A trap for robots, hidden from people.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""
