from django.urls import path, re_path

from .views import public, secretariat, workspace

app_name = "commitments"

urlpatterns = [
    path("", public.home, name="home"),
    path("plans/<str:code>/", public.plan_detail, name="plan_detail"),
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
    path("secretariat/", secretariat.overview, name="overview"),
    path("secretariat/review/", secretariat.review_queue, name="review_queue"),
    path("secretariat/import/", secretariat.spreadsheet_import, name="import"),
    path(
        "secretariat/review/<int:pk>/validate/",
        secretariat.review_validate,
        name="review_validate",
    ),
    path("secretariat/review/<int:pk>/return/", secretariat.review_return, name="review_return"),
    path(
        "secretariat/commitments/<int:pk>/hand-over/",
        secretariat.hand_over,
        name="hand_over",
    ),
]
