from rest_framework.routers import DefaultRouter

from commitments.api import ActivityViewSet, ProgressUpdateViewSet

router = DefaultRouter()
router.register("activities", ActivityViewSet, basename="activity")
router.register("updates", ProgressUpdateViewSet, basename="update")

urlpatterns = router.urls
