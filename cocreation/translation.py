"""Translated fields of the co-creation, then history (after modeltranslation, see commitments)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Event, InstitutionAnswer, Process, Proposal, Theme


@register(Process)
class ProcessTranslationOptions(TranslationOptions):
    fields = ("title", "description", "reported_source")


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "place", "notes")


@register(Proposal)
class ProposalTranslationOptions(TranslationOptions):
    fields = ("response",)


register_history(Process)
register_history(Event)
register_history(Proposal, excluded_fields=["sender_hash"])
register_history(InstitutionAnswer)
