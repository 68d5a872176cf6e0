"""Translated content fields (fr, ar, en), then history.

simple_history is registered here, after modeltranslation, so that the historical models carry
the per-language columns; registered earlier, every save fails on the translated fields.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import (
    Activity,
    Axis,
    Commitment,
    Evidence,
    FocalPointAssignment,
    Institution,
    IrmAssessment,
    Plan,
    ProgressUpdate,
)


@register(Institution)
class InstitutionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Plan)
class PlanTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Axis)
class AxisTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Commitment)
class CommitmentTranslationOptions(TranslationOptions):
    fields = ("title", "challenge", "solution", "expected_results", "remarks")


@register(Activity)
class ActivityTranslationOptions(TranslationOptions):
    fields = ("title", "description", "blocked_reason")


# An update is recorded once, in the language its author wrote; its translations are added
# beside it (never over it), like every other content.
@register(ProgressUpdate)
class ProgressUpdateTranslationOptions(TranslationOptions):
    fields = ("narrative", "blocked_reason", "source_reference")


@register(Evidence)
class EvidenceTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(IrmAssessment)
class IrmAssessmentTranslationOptions(TranslationOptions):
    fields = ("report_title", "note")


for model in (
    Institution,
    Plan,
    Axis,
    Commitment,
    Activity,
    FocalPointAssignment,
    IrmAssessment,
):
    register_history(model)
# ProgressUpdate needs no history table: it is itself the append-only history of progress.
