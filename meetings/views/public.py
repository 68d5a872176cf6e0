"""Pages anyone may read (within what they may see): meetings and their minutes, committees,
timelines."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from documents.views import pdf_download

from .. import summaries
from ..feeds import minutes_feed_link
from ..models import Meeting, MinutesVersion, Timeline
from .page import render_meeting


@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    context = {
        "meetings": Meeting.objects.visible_to(request.user).select_related("committee", "plan"),
        "sees_all": request.user.has_perm("meetings.see_all_meetings"),
        "timelines": Timeline.objects.filter(is_public=True),
        "feeds": [minutes_feed_link()],
    }
    return render(request, "meetings/meeting_list.html", context)


def meeting_visible_or_404(request: HttpRequest, pk: int) -> Meeting:
    """Meetings the user may not see do not exist for them."""
    meetings = Meeting.objects.visible_to(request.user).select_related("committee", "plan")
    return get_object_or_404(meetings, pk=pk)


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_meeting(request, meeting_visible_or_404(request, pk))


@require_safe
def minutes_download(request: HttpRequest, pk: int, language: str) -> HttpResponseBase:
    meeting = meeting_visible_or_404(request, pk)
    versions = MinutesVersion.objects.visible_to(request.user).filter(meeting=meeting)
    version = versions.latest_ready(language)
    if version is None:
        raise Http404
    return minutes_response(request, version)


def minutes_response(request: HttpRequest, version: MinutesVersion) -> HttpResponseBase:
    date = version.meeting.date.isoformat()
    name = f"minutes-{version.meeting.committee.kind}-{date}-{version.language}.pdf"
    return pdf_download(request, version, name)


@require_safe
def committee_list(request: HttpRequest) -> HttpResponse:
    """The committees, their current members with the kind of organisation, and the steering
    committee's parity between government and civil society."""
    today = timezone.localdate()
    context = {"committees": summaries.committee_rows(today), "today": today}
    return render(request, "meetings/committee_list.html", context)


@require_safe
def timeline_list(request: HttpRequest) -> HttpResponse:
    timelines = Timeline.objects.filter(is_public=True).select_related("plan")
    timelines = timelines.prefetch_related("steps")
    return render(request, "meetings/timeline_list.html", {"timelines": timelines})


@require_safe
def timeline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    timelines = Timeline.objects.visible_to(request.user).select_related("plan")
    timeline = get_object_or_404(timelines.prefetch_related("steps"), pk=pk)
    meetings = Meeting.objects.visible_to(request.user).filter(agenda_items__timeline=timeline)
    meetings = meetings.select_related("committee").distinct()
    context = {"timeline": timeline, "meetings": list(meetings)}
    return render(request, "meetings/timeline_detail.html", context)
