from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CocreationConfig(AppConfig):
    """Co-creation of the next plan: proposals, events, screening with reasoned responses,
    prioritisation, draft commitments and adoption."""

    name = "cocreation"
    verbose_name = _("Co-creation")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
