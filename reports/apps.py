from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The self-assessment report: sheets, generation, versions, review and publication."""

    name = "reports"
    verbose_name = _("Self-assessment reports")

    def ready(self) -> None:
        from meetings.events import register_event

        from . import notices, permissions  # noqa: F401  (registers the rules)
        from .models import Report

        notices.register()
        for stage in list(Report.Stage)[1:]:
            register_event(f"report:{stage}", format_lazy(_("Report reaches: {}"), stage.label))
