from django.urls import path, re_path

from .feeds import CommitmentUpdatesFeed, PlanUpdatesFeed
from .views import manage, public, workspace

app_name = "commitments"

urlpatterns = [
    path("", public.home, name="home"),
    path("plans/<str:code>/", public.plan_detail, name="plan_detail"),
    path("plans/<str:code>/feed/", PlanUpdatesFeed.as_view(), name="plan_feed"),
    path("plans/<str:code>/axes/<int:number>/", public.axis_detail, name="axis_detail"),
    re_path(
        r"^plans/(?P<code>[A-Za-z0-9-]+)/export\.(?P<fmt>csv|xlsx)$", public.export, name="export"
    ),
    path(
        "plans/<str:code>/commitments/<int:number>/",
        public.commitment_detail,
        name="detail",
    ),
    path(
        "plans/<str:code>/commitments/<int:number>/feed/",
        CommitmentUpdatesFeed.as_view(),
        name="feed",
    ),
    path(
        "plans/<str:code>/commitments/<int:number>/activities/<int:pk>/",
        public.activity_detail,
        name="activity_detail",
    ),
    path("institutions/", public.institution_list, name="institution_list"),
    path("institutions/<str:code>/", public.institution_detail, name="institution_detail"),
    path("methodology/", public.methodology, name="methodology"),
    path("evidence/<int:pk>/download/", public.evidence_download, name="evidence_download"),
    path("workspace/", workspace.workspace, name="workspace"),
    path("workspace/commitments/<int:pk>/update/", workspace.commitment_update, name="update"),
    path("secretariat/", manage.overview, name="overview"),
    path("secretariat/review/", manage.validation_queue, name="validation_queue"),
    path("secretariat/import/", manage.spreadsheet_import, name="import"),
    path(
        "secretariat/review/validate-selected/",
        manage.updates_validate,
        name="updates_validate",
    ),
    path(
        "secretariat/review/<int:pk>/validate/",
        manage.update_validate,
        name="update_validate",
    ),
    path("secretariat/review/<int:pk>/return/", manage.update_return, name="update_return"),
    path(
        "secretariat/commitments/<int:pk>/hand-over/",
        manage.hand_over,
        name="hand_over",
    ),
]
