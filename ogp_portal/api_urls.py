from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
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

schema_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
