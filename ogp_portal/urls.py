from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import JavaScriptCatalog

from . import views
from .api_urls import schema_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("ogp_portal.api_urls")),
    path("api/", include(schema_urlpatterns)),
    path("open-data/", include("portal.opendata.urls")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("commitments.urls")),
    path("", include("reports.urls")),
    path("", include("meetings.urls")),
    path("", include("cocreation.urls")),
    path("", include("portal.urls")),
    path("", include("notifications.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

handler404 = "ogp_portal.views.page_not_found"
