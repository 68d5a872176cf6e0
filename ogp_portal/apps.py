"""The third-party apps shown in the admin, named in the page's language.

Their own catalogs name them in English only ("Axes") or lack Arabic, so INSTALLED_APPS points at
these configurations instead; the labels their models and admins use, and which their catalogs
lack, are given by the portal's catalog (``ogp_portal/third_party_labels.py``)."""

from axes.apps import AppConfig as BaseAxesConfig
from django.utils.translation import gettext_lazy as _
from django_celery_beat.apps import BeatConfig


class AxesConfig(BaseAxesConfig):
    verbose_name = _("Login attempts")


class PeriodicTasksConfig(BeatConfig):
    # The same msgid as django-celery-beat's, which the portal's catalog translates better.
    verbose_name = _("Periodic Tasks")
