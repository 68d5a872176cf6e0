"""Meetings: the public list and minutes, the meeting page where the secretariat prepares the
agenda, takes attendance, records decisions, marks the meeting held and generates the minutes;
and the public timelines."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commitments.models import Activity, ProgressUpdate
from commitments.services import ActivityChanged
from ogp_portal.documents import LANGUAGES
from ogp_portal.i18n import set_translated
from ogp_portal.typing import AuthenticatedRequest

from . import services
from .forms import (
    AgendaItemForm,
    AttendanceFormSet,
    DecisionForm,
    DecisionStatusForm,
    GuestForm,
    MeetingForm,
    MinutesGenerateForm,
    ProgressChangeForm,
    RemarkForm,
)
from .minutes import latest_ready_minutes, meeting_when
from .models import (
    AgendaItem,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    MinutesVersion,
    SnapshotRow,
    Timeline,
)

VERSION_URLS = {
    "status": "meetings:minutes_status",
    "retry": "meetings:minutes_retry",
    "download": "meetings:minutes_version_download",
}


def _require_manager(request: HttpRequest) -> None:
    if not request.user.has_perm("meetings.manage"):
        raise PermissionDenied


# Public pages -----------------------------------------------------------------------------------


@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.select_related("committee", "plan")
    sees_all = request.user.has_perm("meetings.see_all_meetings")
    if not sees_all:
        meetings = meetings.with_published_minutes()
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "meetings": meetings,
            "sees_all": sees_all,
            "timelines": Timeline.objects.filter(is_public=True),
        },
    )


def _meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("committee", "plan"), pk=pk)
    if not request.user.has_perm("meetings.read_meeting", meeting):
        # Unpublished meetings do not exist for the public.
        raise Http404
    return meeting


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


def _detail_context(request: HttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    manager = request.user.has_perm("meetings.manage")
    if manager and not meeting.is_held:
        services.agenda_follow_ups_sync(meeting)
    attendances = list(meeting.attendances.select_related("institution", "member"))
    items = list(
        meeting.agenda_items.select_related(
            "timeline", "decision__meeting", "activity__commitment"
        ).prefetch_related("timeline__steps")
    )
    decisions = list(meeting.decisions.select_related("owner").prefetch_related("commitments"))
    context: dict[str, Any] = {
        "meeting": meeting,
        "when": meeting_when(meeting.starts_at),
        "manager": manager,
        "participants": [a for a in attendances if a.attended],
        "absentees": [a for a in attendances if not a.attended],
        "agenda_items": items,
        "timelines": [item.timeline for item in items if item.timeline],
        "decisions": decisions,
        "table": services.progress_table(meeting),
        "downloads": [
            (code, label, latest_ready_minutes(meeting, code)) for code, label in LANGUAGES
        ],
    }
    if manager:
        context.update(
            {
                "attendance_formset": AttendanceFormSet(
                    queryset=meeting.attendances.select_related("institution"), prefix="att"
                ),
                "guest_form": GuestForm(prefix="guest"),
                "agenda_form": AgendaItemForm(prefix="agenda"),
                "decision_form": DecisionForm(prefix="decision", meeting=meeting),
                "progress_form": ProgressChangeForm(prefix="change", meeting=meeting),
                "generate_form": MinutesGenerateForm(initial={"language": get_language()}),
                "blocked_activities": services.blocked_activities_proposed(meeting),
                "decision_statuses": Decision.Status.choices,
                "versions": meeting.minutes.select_related("requested_by", "same_data_as"),
                "version_urls": VERSION_URLS,
                "meeting_updates": ProgressUpdate.objects.filter(
                    source=ProgressUpdate.Source.MEETING,
                    source_reference=services.meeting_reference(meeting),
                ).select_related("activity__commitment", "author"),
            }
        )
        context.update(forms)
    return context


def _render_detail(
    request: HttpRequest, meeting: Meeting, status: int = 400, **forms: Any
) -> HttpResponse:
    """The meeting page again, with the invalid form bound: errors next to the fields, and
    what was typed kept."""
    messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "meetings/meeting_detail.html",
        _detail_context(request, meeting, **forms),
        status=status,
    )


@require_safe
def minutes_download(request: HttpRequest, pk: int, language: str) -> FileResponse:
    meeting = _meeting_or_404(request, pk)
    version = latest_ready_minutes(meeting, language)
    if version is None:
        raise Http404
    return minutes_response(version)


def minutes_response(version: MinutesVersion) -> FileResponse:
    date = version.meeting.date.isoformat()
    name = f"minutes-{version.meeting.committee.kind}-{date}-{version.language}.pdf"
    return FileResponse(
        version.pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@require_safe
def committee_list(request: HttpRequest) -> HttpResponse:
    """The committees, their current members with the kind of organisation, and the steering
    committee's parity between government and civil society."""
    today = timezone.localdate()
    members: dict[int, list[CommitteeMember]] = {}
    for member in CommitteeMember.objects.current(today).select_related("institution"):
        members.setdefault(member.committee_id, []).append(member)
    rows = [
        (committee, committee.parity(today), members.get(committee.pk, []))
        for committee in Committee.objects.all()
    ]
    return render(request, "meetings/committee_list.html", {"committees": rows, "today": today})


@require_safe
def timeline_list(request: HttpRequest) -> HttpResponse:
    timelines = Timeline.objects.filter(is_public=True).select_related("plan")
    timelines = timelines.prefetch_related("steps")
    return render(request, "meetings/timeline_list.html", {"timelines": timelines})


@require_safe
def timeline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = Timeline.objects.select_related("plan").prefetch_related(
        "steps",
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("meeting__committee"),
        ),
    )
    timeline: Timeline = get_object_or_404(queryset, pk=pk)
    if not timeline.is_public and not request.user.has_perm("meetings.manage"):
        raise Http404
    readable = [
        item.meeting
        for item in timeline.agenda_items.all()
        if request.user.has_perm("meetings.read_meeting", item.meeting)
    ]
    return render(
        request, "meetings/timeline_detail.html", {"timeline": timeline, "meetings": readable}
    )


# The secretariat --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            meeting = services.meeting_create(
                committee=data["committee"],
                plan=data["plan"],
                starts_at=form.starts_at,
                mode=data["mode"],
                place=data["place"],
                agenda=form.agenda_titles(),
                user=request.user,
            )
        attendees = meeting.attendances.count()
        messages.success(
            request,
            _("Meeting created, with %(count)s members to mark present or absent.")
            % {"count": attendees},
        )
        return redirect(meeting)
    status = 400 if form.is_bound else 200
    return render(request, "meetings/meeting_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting.starts_at, meeting.mode = form.starts_at, data["mode"]
        if not meeting.is_held:
            meeting.committee, meeting.plan = data["committee"], data["plan"]
        set_translated(meeting, "place", data["place"])
        try:
            meeting.full_clean()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            meeting.save()
            if not meeting.is_held:
                services.attendance_prefill(meeting)
            messages.success(request, _("Meeting saved."))
            return redirect(meeting)
    status = 400 if form.is_bound else 200
    return render(
        request, "meetings/meeting_form.html", {"form": form, "meeting": meeting}, status=status
    )


@login_required
@require_POST
def attendance_save(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    meeting = get_object_or_404(Meeting.objects.select_related("committee", "plan"), pk=pk)
    formset = AttendanceFormSet(
        request.POST, queryset=meeting.attendances.select_related("institution"), prefix="att"
    )
    if not formset.is_valid():
        return _render_detail(request, meeting, attendance_formset=formset)
    formset.save()
    messages.success(request, _("Attendance saved."))
    return redirect(f"{meeting.get_absolute_url()}#attendance")


@login_required
@require_POST
def guest_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    meeting = get_object_or_404(Meeting.objects.select_related("committee", "plan"), pk=pk)
    form = GuestForm(request.POST, prefix="guest")
    if not form.is_valid():
        return _render_detail(request, meeting, guest_form=form)
    services.attendance_guest_add(meeting=meeting, **form.cleaned_data)
    messages.success(request, _("Participant added."))
    return redirect(f"{meeting.get_absolute_url()}#attendance")


@login_required
@require_POST
def agenda_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    meeting = get_object_or_404(Meeting.objects.select_related("committee", "plan"), pk=pk)
    form = AgendaItemForm(request.POST, prefix="agenda")
    if not form.is_valid():
        return _render_detail(request, meeting, agenda_form=form)
    services.agenda_item_add(
        meeting=meeting,
        title=form.cleaned_data["title"],
        notes=form.cleaned_data["notes"],
        timeline=form.cleaned_data["timeline"],
    )
    messages.success(request, _("Agenda item added."))
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@login_required
@require_http_methods(["GET", "POST"])
def agenda_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    item: AgendaItem = get_object_or_404(
        AgendaItem.objects.select_related("meeting__committee"), pk=pk
    )
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        set_translated(item, "title", form.cleaned_data["title"])
        set_translated(item, "notes", form.cleaned_data["notes"])
        item.save()
        messages.success(request, _("Agenda item saved."))
        return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")
    status = 400 if form.is_bound else 200
    return render(
        request, "meetings/agenda_item_form.html", {"form": form, "item": item}, status=status
    )


@login_required
@require_POST
def agenda_add_activity(request: AuthenticatedRequest, pk: int, activity_pk: int) -> HttpResponse:
    _require_manager(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    activity = get_object_or_404(Activity.objects.select_related("commitment"), pk=activity_pk)
    try:
        services.agenda_item_add_blocked_activity(meeting=meeting, activity=activity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The blocked activity is on the agenda."))
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@login_required
@require_POST
def decision_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    meeting = get_object_or_404(Meeting.objects.select_related("committee", "plan"), pk=pk)
    form = DecisionForm(request.POST, prefix="decision", meeting=meeting)
    if not form.is_valid():
        return _render_detail(request, meeting, decision_form=form)
    data = form.cleaned_data
    services.decision_add(
        meeting=meeting,
        text=data["text"],
        owner=data["owner"],
        owner_detail=data["owner_detail"],
        due_date=data["due_date"],
        commitments=list(data["commitments"]),
    )
    messages.success(request, _("Decision recorded; it stays on the agenda until closed."))
    return redirect(f"{meeting.get_absolute_url()}#decisions")


@login_required
@require_POST
def decision_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    form = DecisionStatusForm(request.POST)
    back = request.POST.get("next") or f"{decision.meeting.get_absolute_url()}#decisions"
    if not back.startswith("/"):
        back = decision.meeting.get_absolute_url()
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect(back)
    services.decision_status_set(
        decision=decision, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
    )
    messages.success(
        request, _("Decision now: %(status)s.") % {"status": decision.get_status_display()}
    )
    return redirect(back)


@login_required
@require_POST
def meeting_hold(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        meeting = services.meeting_hold(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    flagged = meeting.snapshot.rows.filter(no_progress=True).count()
    messages.success(
        request,
        _(
            "The meeting is marked held and its progress table frozen "
            "(%(flagged)s commitments without progress since the previous meeting)."
        )
        % {"flagged": flagged},
    )
    return redirect(f"{meeting.get_absolute_url()}#progress")


@login_required
@require_POST
def progress_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    meeting = get_object_or_404(Meeting.objects.select_related("committee", "plan"), pk=pk)
    form = ProgressChangeForm(request.POST, prefix="change", meeting=meeting)
    if not form.is_valid():
        return _render_detail(request, meeting, progress_form=form)
    activity = form.cleaned_data["activity"]
    old = activity.progress
    try:
        services.meeting_progress_change(
            meeting=meeting,
            activity=activity,
            new_progress=form.cleaned_data["progress"],
            narrative=form.cleaned_data["narrative"],
            user=request.user,
        )
    except (ValidationError, ActivityChanged) as error:
        errors = getattr(error, "messages", [str(error)])
        form.add_error("progress", " ".join(errors))
        return _render_detail(request, meeting, progress_form=form)
    messages.success(
        request,
        _("Progress of “%(activity)s” recorded: %(old)s %% → %(new)s %%, source: this meeting.")
        % {"activity": activity.title, "old": old, "new": form.cleaned_data["progress"]},
    )
    return redirect(f"{meeting.get_absolute_url()}#progress")


@login_required
@require_POST
def remark_save(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    row: SnapshotRow = get_object_or_404(
        SnapshotRow.objects.select_related("snapshot__meeting"), pk=pk
    )
    form = RemarkForm(request.POST)
    form.is_valid()
    services.snapshot_remark_set(
        row=row, remark=form.cleaned_data.get("remark", ""), language=(get_language() or "fr")[:2]
    )
    messages.success(request, _("Remark saved."))
    return redirect(f"{row.snapshot.meeting.get_absolute_url()}#row-{row.pk}")


@login_required
@require_POST
def minutes_generate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MinutesGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language."))
        return redirect(f"{meeting.get_absolute_url()}#minutes")
    version = services.minutes_generation_request(
        meeting=meeting, language=form.cleaned_data["language"], user=request.user
    )
    messages.info(request, _("Generation started: follow it below."))
    return redirect(f"{meeting.get_absolute_url()}#version-{version.pk}")


@login_required
@require_POST
def minutes_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    publish = request.POST.get("publish") == "1"
    try:
        if publish:
            services.minutes_publish(meeting=meeting, user=request.user)
        else:
            services.minutes_unpublish(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The minutes are public.") if publish else _("The minutes are no longer public."),
        )
    return redirect(f"{meeting.get_absolute_url()}#minutes")


@login_required
@require_safe
def minutes_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The partial the page polls (htmx) until the version is ready or failed."""
    _require_manager(request)
    version = get_object_or_404(MinutesVersion, pk=pk)
    return render(request, "_version_row.html", {"version": version, "version_urls": VERSION_URLS})


@login_required
@require_POST
def minutes_retry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    version = get_object_or_404(MinutesVersion.objects.select_related("meeting"), pk=pk)
    try:
        services.minutes_version_retry(version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("Generation started again."))
    return redirect(f"{version.meeting.get_absolute_url()}#version-{version.pk}")


@login_required
@require_safe
def minutes_version_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    _require_manager(request)
    version = get_object_or_404(
        MinutesVersion.objects.select_related("meeting__committee"),
        pk=pk,
        status=MinutesVersion.Status.READY,
    )
    return minutes_response(version)
