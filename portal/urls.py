from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("repository/", views.repository, name="repository"),
    path("plans/<str:code>/repository/", views.plan_repository, name="plan_repository"),
    path(
        "secretariat/translations/",
        views.missing_translations_page,
        name="missing_translations",
    ),
]
