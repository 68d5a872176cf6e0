from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Action plans and commitments")

    def ready(self) -> None:
        from django.db import connections

        from ogp_portal import search

        from . import notices, permissions  # noqa: F401  (registers the rules)

        notices.register()
        search.install(connections)
