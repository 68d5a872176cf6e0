from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from commitments.api import (
    ActivityViewSet,
    CommitmentViewSet,
    InstitutionViewSet,
    PlanViewSet,
    ProgressUpdateViewSet,
)
from meetings.api import MeetingViewSet
from reports.api import ReportViewSet

router = DefaultRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("activities", ActivityViewSet, basename="activity")
router.register("updates", ProgressUpdateViewSet, basename="update")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = router.urls

# Swagger UI under the strict Content-Security-Policy: its start-up script is served as a file
# of its own (the split view, not an inline script), and it draws its icons as data: images,
# the one exception it needs, on this view alone.
swagger_ui = SpectacularSwaggerSplitView.as_view(url_name="schema")

schema_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", csp_update({"img-src": ["data:"]})(swagger_ui), name="api-docs"),
]
