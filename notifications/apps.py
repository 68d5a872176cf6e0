from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Telling people what needs them: a row per recipient and event, sent by e-mail in the
    recipient's language and listed in the site; followers by e-mail. No domain of its own: the
    domain apps declare their kinds of event (``kinds.register``) and report them
    (``services.notify``)."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import messages, signals  # noqa: F401

        messages.register()
