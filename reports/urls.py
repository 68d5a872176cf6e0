from django.urls import path

from .feeds import ReportsFeed
from .views import manage, public, sheets

app_name = "reports"

urlpatterns = [
    path("reports/", public.report_list, name="list"),
    path("reports/feed/", ReportsFeed.as_view(), name="feed"),
    path("reports/<int:pk>/", public.report_detail, name="detail"),
    path("reports/<int:pk>/pdf/<str:language>/", public.report_download, name="download"),
    path("workspace/sheets/", sheets.my_sheets, name="my_sheets"),
    path(
        "workspace/reports/<int:report_pk>/commitments/<int:commitment_pk>/sheet/",
        sheets.sheet_edit,
        name="sheet_edit",
    ),
    path("secretariat/reports/", manage.manage_list, name="manage_list"),
    path("secretariat/reports/<int:pk>/", manage.manage_detail, name="manage_detail"),
    path("secretariat/reports/<int:pk>/generate/", manage.generate, name="generate"),
    path("secretariat/reports/<int:pk>/stage/", manage.stage, name="stage"),
    path("secretariat/reports/<int:pk>/consultation/", manage.consultation, name="consultation"),
    path(
        "secretariat/reports/<int:pk>/commitments/<int:commitment_pk>/exemption/",
        manage.exemption,
        name="exemption",
    ),
    path(
        "secretariat/reports/versions/<int:pk>/status/",
        manage.version_hx,
        name="version_hx",
    ),
    path(
        "secretariat/reports/versions/<int:pk>/retry/", manage.version_retry, name="version_retry"
    ),
    path(
        "secretariat/reports/versions/<int:pk>/pdf/",
        manage.version_download,
        name="version_download",
    ),
    path("secretariat/reports/comments/<int:pk>/moderate/", manage.moderate, name="moderate"),
    path("secretariat/reports/comments/<int:pk>/answer/", manage.answer, name="answer"),
    path("secretariat/reports/sheets/<int:pk>/review/", manage.review_sheet, name="review_sheet"),
]
