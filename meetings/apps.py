from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Committees, their meetings, decisions and minutes (issue 6 builds the models)."""

    name = "meetings"
    verbose_name = _("Committees and meetings")
