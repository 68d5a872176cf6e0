from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path(
        "secretariat/translations/",
        views.missing_translations_page,
        name="missing_translations",
    ),
]
