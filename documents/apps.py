from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The engine behind every generated PDF (report versions, minutes); no domain of its own."""

    name = "documents"
    verbose_name = _("Generated documents")
