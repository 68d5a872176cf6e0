from django.urls import path

from .views import public, secretariat, workspace

app_name = "commitments"

urlpatterns = [
    path("", public.home, name="home"),
    path("plans/<str:code>/", public.plan_detail, name="plan_detail"),
    path(
        "plans/<str:code>/commitments/<int:number>/",
        public.commitment_detail,
        name="detail",
    ),
    path("evidence/<int:pk>/download/", public.evidence_download, name="evidence_download"),
    path("workspace/", workspace.workspace, name="workspace"),
    path("workspace/commitments/<int:pk>/update/", workspace.commitment_update, name="update"),
    path("secretariat/", secretariat.overview, name="overview"),
    path("secretariat/review/", secretariat.review_queue, name="review_queue"),
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
