from django.db import models
from django.utils.translation import gettext_lazy as _


class PageVersion(models.Model):
    """How far the data behind one scope of public pages has moved: the whole site ("any"),
    what every plan shows ("global"), or one plan ("plan:<code>"). Cached pages are keyed by
    these rows, so a bump makes every page of the scope render afresh (portal/pagecache.py)."""

    scope = models.CharField(_("scope"), max_length=80, primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=1)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")

    def __str__(self) -> str:
        return f"{self.scope} {self.version}"
