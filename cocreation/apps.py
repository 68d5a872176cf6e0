from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CocreationConfig(AppConfig):
    """Co-creation of the next plan: proposals, events, screening with reasoned responses,
    prioritisation, draft commitments and adoption."""

    name = "cocreation"
    verbose_name = _("Co-creation")

    def ready(self) -> None:
        from meetings.events import register_event

        from . import notices, permissions  # noqa: F401  (registers the rules)

        notices.register()

        register_event("cocreation:proposals_opened", _("Co-creation: proposals open online"))
        register_event("cocreation:proposals_closed", _("Co-creation: proposals closed"))
        register_event("cocreation:plan_adopted", _("Co-creation: plan adopted"))
