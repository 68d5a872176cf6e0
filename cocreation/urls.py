from django.urls import path

from .views import manage, public

app_name = "cocreation"

urlpatterns = [
    # Everyone
    path("co-creation/", public.index, name="index"),
    path("co-creation/<int:pk>/", public.process_detail, name="process"),
    path("co-creation/<int:pk>/propose/", public.propose, name="propose"),
    path("co-creation/<int:pk>/statistics/", public.statistics, name="statistics"),
    path("co-creation/proposals/<int:pk>/", public.proposal_detail, name="proposal"),
    # Committee members: prioritisation
    path("co-creation/<int:pk>/priorities/", public.priorities, name="priorities"),
    # Institutions: the proposals addressed to them
    path("workspace/co-creation/", public.institution_proposals, name="institution_proposals"),
    path("workspace/co-creation/proposals/<int:pk>/answer/", public.answer, name="answer"),
    # Secretariat
    path("secretariat/co-creation/<int:pk>/", manage.manage, name="manage"),
    path("secretariat/co-creation/proposals/<int:pk>/", manage.screen, name="screen"),
    path("secretariat/co-creation/proposals/<int:pk>/moderate/", manage.moderate, name="moderate"),
    path("secretariat/co-creation/<int:pk>/events/", manage.events, name="events"),
    path("secretariat/co-creation/events/<int:pk>/", manage.event_edit, name="event_edit"),
    path("secretariat/co-creation/<int:pk>/proposals/new/", manage.record, name="record"),
    path("secretariat/co-creation/<int:pk>/drafts/", manage.drafts, name="drafts"),
    path("secretariat/co-creation/<int:pk>/adopt/", manage.adopt, name="adopt"),
]
