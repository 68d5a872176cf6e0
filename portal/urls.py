from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path(
        "secretariat/translations/",
        views.missing_translations_page,
        name="missing_translations",
    ),
]
