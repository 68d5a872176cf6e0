from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The self-assessment report and its generation (issue 5 builds the models)."""

    name = "reports"
    verbose_name = _("Self-assessment reports")
