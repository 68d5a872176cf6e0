"""Translated fields of reports, then history (after modeltranslation, see commitments)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import AssessmentSheet, Report


@register(Report)
class ReportTranslationOptions(TranslationOptions):
    fields = ("title",)


register_history(Report)
register_history(AssessmentSheet)
