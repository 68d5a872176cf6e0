from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """What belongs to the portal as a whole, above every domain app: the demo built from the
    seed minutes (``load_demo``), the secretariat's page of missing translations, and the cache of
    the public pages (``pagecache``)."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.contrib import admin

        # checks registers the deploy checks, permissions the rules.
        from . import checks, pagecache, permissions  # noqa: F401

        pagecache.connect()

        # The admin carries the portal's name, in the page's language, not "Django administration".
        admin.site.site_header = _("Open Government Portal")
        admin.site.site_title = _("Open Government Portal")
        admin.site.index_title = _("Site administration")
