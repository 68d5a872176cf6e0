from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path(
        "meetings/<int:pk>/minutes/<str:language>/",
        views.minutes_download,
        name="minutes_download",
    ),
    path("committees/", views.committee_list, name="committees"),
    path("timelines/", views.timeline_list, name="timelines"),
    path("timelines/<int:pk>/", views.timeline_detail, name="timeline"),
    path("secretariat/meetings/new/", views.meeting_create, name="create"),
    path("secretariat/meetings/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("secretariat/meetings/<int:pk>/attendance/", views.attendance_save, name="attendance"),
    path("secretariat/meetings/<int:pk>/guests/", views.guest_add, name="guest_add"),
    path("secretariat/meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path(
        "secretariat/meetings/<int:pk>/agenda/activities/<int:activity_pk>/",
        views.agenda_add_activity,
        name="agenda_add_activity",
    ),
    path("secretariat/meetings/agenda/<int:pk>/", views.agenda_edit, name="agenda_edit"),
    path("secretariat/meetings/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path(
        "secretariat/meetings/decisions/<int:pk>/status/",
        views.decision_status,
        name="decision_status",
    ),
    path("secretariat/meetings/<int:pk>/hold/", views.meeting_hold, name="hold"),
    path("secretariat/meetings/<int:pk>/progress/", views.progress_change, name="progress_change"),
    path("secretariat/meetings/rows/<int:pk>/remark/", views.remark_save, name="remark"),
    path("secretariat/meetings/<int:pk>/minutes/", views.minutes_generate, name="minutes_generate"),
    path(
        "secretariat/meetings/<int:pk>/minutes/publish/",
        views.minutes_publish,
        name="minutes_publish",
    ),
    path(
        "secretariat/meetings/minutes/<int:pk>/status/",
        views.minutes_status,
        name="minutes_status",
    ),
    path("secretariat/meetings/minutes/<int:pk>/retry/", views.minutes_retry, name="minutes_retry"),
    path(
        "secretariat/meetings/minutes/<int:pk>/pdf/",
        views.minutes_version_download,
        name="minutes_version_download",
    ),
]
