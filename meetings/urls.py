from django.urls import path

from .feeds import MinutesFeed
from .views import blockers, manage, public

app_name = "meetings"

urlpatterns = [
    path("meetings/", public.meeting_list, name="list"),
    path("meetings/feed/", MinutesFeed.as_view(), name="feed"),
    path("meetings/<int:pk>/", public.meeting_detail, name="detail"),
    path(
        "meetings/<int:pk>/minutes/<str:language>/",
        public.minutes_download,
        name="minutes_download",
    ),
    path("committees/", public.committee_list, name="committees"),
    path("timelines/", public.timeline_list, name="timelines"),
    path("timelines/<int:pk>/", public.timeline_detail, name="timeline"),
    path("secretariat/blockers/", blockers.blocker_list, name="blockers"),
    path("secretariat/meetings/new/", manage.meeting_create, name="create"),
    path("secretariat/meetings/<int:pk>/edit/", manage.meeting_edit, name="edit"),
    path("secretariat/meetings/<int:pk>/attendance/", manage.attendance_save, name="attendance"),
    path("secretariat/meetings/<int:pk>/guests/", manage.guest_add, name="guest_add"),
    path("secretariat/meetings/<int:pk>/agenda/", manage.agenda_add, name="agenda_add"),
    path(
        "secretariat/meetings/<int:pk>/agenda/activities/<int:activity_pk>/",
        manage.agenda_add_activity,
        name="agenda_add_activity",
    ),
    path(
        "secretariat/meetings/<int:pk>/agenda/commitments/<int:commitment_pk>/",
        manage.agenda_add_commitment,
        name="agenda_add_commitment",
    ),
    path("secretariat/meetings/agenda/<int:pk>/", manage.agenda_edit, name="agenda_edit"),
    path("secretariat/meetings/<int:pk>/decisions/", manage.decision_add, name="decision_add"),
    path(
        "secretariat/meetings/decisions/<int:pk>/status/",
        manage.decision_status,
        name="decision_status",
    ),
    path("secretariat/meetings/<int:pk>/hold/", manage.meeting_hold, name="hold"),
    path("secretariat/meetings/<int:pk>/progress/", manage.progress_change, name="progress_change"),
    path("secretariat/meetings/rows/<int:pk>/remark/", manage.remark_save, name="remark"),
    path(
        "secretariat/meetings/<int:pk>/corrections/",
        manage.correction_add,
        name="correction_add",
    ),
    path(
        "secretariat/meetings/<int:pk>/minutes/", manage.minutes_generate, name="minutes_generate"
    ),
    path(
        "secretariat/meetings/<int:pk>/minutes/publish/",
        manage.minutes_publish,
        name="minutes_publish",
    ),
    path(
        "secretariat/meetings/minutes/<int:pk>/status/",
        manage.minutes_version_hx,
        name="minutes_version_hx",
    ),
    path(
        "secretariat/meetings/minutes/<int:pk>/retry/", manage.minutes_retry, name="minutes_retry"
    ),
    path(
        "secretariat/meetings/minutes/<int:pk>/pdf/",
        manage.minutes_version_download,
        name="minutes_version_download",
    ),
]
