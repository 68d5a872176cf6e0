from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LimitsConfig(AppConfig):
    """Limits on what one sender may send (proposals, comments); no domain of its own."""

    name = "limits"
    verbose_name = _("Sending limits")
