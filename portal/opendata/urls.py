"""The package's files, at the same address in every language (docs/open-data.md): stable,
harvesters keep them."""

from django.urls import path, re_path

from . import views

app_name = "opendata"

urlpatterns = [
    path("datapackage.json", views.datapackage, name="datapackage"),
    re_path(
        r"^data/(?P<name>[a-z_]+)\.(?P<extension>csv|json)$",
        views.resource_file,
        name="resource",
    ),
    path("ogp-open-data.zip", views.package_zip, name="zip"),
    path("catalog.jsonld", views.catalog, name="catalog"),
]
