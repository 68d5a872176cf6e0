from django.urls import path

from . import views
from .opendata import views as open_data

app_name = "portal"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("repository/", views.repository, name="repository"),
    path("plans/<str:code>/repository/", views.plan_repository, name="plan_repository"),
    path("open-data/", open_data.page, name="open_data"),
    path(
        "secretariat/translations/",
        views.missing_translations_page,
        name="missing_translations",
    ),
]
