"""Translated fields of committees, then history (after modeltranslation, see commitments)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Committee, CommitteeMember


@register(Committee)
class CommitteeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


register_history(Committee)
register_history(CommitteeMember)
