"""The meeting page, for everyone who may read it; the secretariat's forms are added for the
secretariat, and shown again bound to what was typed when one of them has errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import summaries
from ..contexts import build_minutes_context, meeting_when
from ..feeds import minutes_feed_link
from ..forms import (
    AgendaItemForm,
    AttendanceFormSet,
    CorrectionForm,
    DecisionForm,
    GuestForm,
    MinutesGenerateForm,
    ProgressChangeForm,
)
from ..models import Decision, Meeting
from ..tables import progress_table

VERSION_URLS = {
    "status": "meetings:minutes_version_hx",
    "retry": "meetings:minutes_retry",
    "download": "meetings:minutes_version_download",
}


def render_meeting(
    request: HttpRequest, meeting: Meeting, status: int = 200, **forms: Any
) -> HttpResponse:
    """The page; with ``status`` 400 and the invalid form among ``forms``, its errors show next
    to the fields, with what was typed kept."""
    if status == 400:
        messages.error(request, _("Please correct the errors below."))
    context = _public_context(request, meeting)
    if context["manager"]:
        context.update(_manager_context(meeting))
        context.update(forms)
    return render(request, "meetings/meeting_detail.html", context, status=status)


def _public_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """The minutes as text (the same as the PDF's), and beside them the portal's own figures."""
    downloads = summaries.minutes_downloads(meeting, request.user)
    return {
        "meeting": meeting,
        "when": meeting_when(meeting.starts_at),
        "manager": request.user.has_perm("meetings.manage"),
        "minutes": build_minutes_context(meeting, get_language() or "fr"),
        "table": progress_table(meeting),
        "tracked": list(meeting.decisions.filter(in_minutes=False)),
        "downloads": [download for download in downloads if download[2]],
        "feeds": [minutes_feed_link()],
    }


def _manager_context(meeting: Meeting) -> dict[str, Any]:
    items = meeting.agenda_items.select_related(
        "decision", "activity__commitment", "commitment__plan"
    )
    return {
        "attendance_formset": AttendanceFormSet(
            queryset=meeting.attendances.select_related("institution", "member"), prefix="att"
        ),
        "guest_form": GuestForm(prefix="guest"),
        "agenda_items": list(items),
        "agenda_form": AgendaItemForm(prefix="agenda"),
        "decisions": list(meeting.decisions.all()),
        "decision_form": DecisionForm(prefix="decision", meeting=meeting),
        "progress_form": ProgressChangeForm(prefix="change", meeting=meeting),
        "correction_form": CorrectionForm(prefix="correction"),
        "generate_form": MinutesGenerateForm(initial={"language": get_language()}),
        "blocked_activities": summaries.blocked_activities_proposed(meeting),
        "stale_commitments": summaries.stale_commitments_proposed(meeting),
        "decision_statuses": Decision.Status.choices,
        "versions": meeting.minutes.select_related("requested_by", "same_data_as"),
        "version_urls": VERSION_URLS,
        "meeting_updates": summaries.meeting_updates(meeting),
    }
