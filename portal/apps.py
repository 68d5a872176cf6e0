from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """What belongs to the portal as a whole, above every domain app: the demo built from the
    seed minutes (``load_demo``) and the secretariat's page of missing translations."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
