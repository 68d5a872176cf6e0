from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Committees, their meetings, attendance, decisions, frozen progress tables and minutes."""

    name = "meetings"
    verbose_name = _("Committees and meetings")

    def ready(self) -> None:
        from commitments.dashboard import add_dashboard_panel

        from . import notices, permissions  # noqa: F401  (registers the rules)
        from .events import register_event
        from .models import Committee
        from .summaries import dashboard_panel

        add_dashboard_panel("meetings", dashboard_panel)
        notices.register()
        for kind in Committee.Kind:
            register_event(f"meeting:{kind}", format_lazy(_("Meeting held: {}"), kind.label))
