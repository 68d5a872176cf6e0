from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The self-assessment report: sheets, generation, versions, review and publication."""

    name = "reports"
    verbose_name = _("Self-assessment reports")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
