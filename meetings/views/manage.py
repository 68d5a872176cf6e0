"""The secretariat's side of a meeting: create and edit it, take attendance, build the agenda,
record decisions, mark it held (freezing its table), record changes of progress decided there,
generate and publish the minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commitments.models import Activity, Commitment
from commitments.services import ActivityChanged
from documents.views import announce, requested_message, retried_message, version_row
from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import error_text, form_status, require_perm, safe_next

from .. import services
from ..forms import (
    AgendaItemForm,
    AttendanceFormSet,
    CorrectionForm,
    DecisionForm,
    DecisionStatusForm,
    GuestForm,
    MeetingForm,
    MinutesGenerateForm,
    ProgressChangeForm,
    RemarkForm,
)
from ..models import AgendaItem, Decision, Meeting, MinutesVersion, SnapshotRow
from .page import VERSION_URLS, render_meeting
from .public import minutes_response

MANAGE = "meetings.manage"


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("committee", "plan"), pk=pk)


def _back(meeting: Meeting, anchor: str) -> HttpResponse:
    return redirect(f"{meeting.get_absolute_url()}#{anchor}")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request, MANAGE)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = services.meeting_create(
            committee=data["committee"],
            plan=data["plan"],
            starts_at=form.starts_at,
            mode=data["mode"],
            place=data["place"],
            agenda=form.agenda_titles(),
            user=request.user,
        )
        messages.success(
            request,
            _("Meeting created, with %(count)s members to mark present or absent.")
            % {"count": meeting.attendances.count()},
        )
        return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form}, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                meeting=meeting,
                committee=data["committee"],
                plan=data["plan"],
                starts_at=form.starts_at,
                mode=data["mode"],
                place=data["place"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect(meeting)
    context = {"form": form, "meeting": meeting}
    return render(request, "meetings/meeting_form.html", context, status=form_status(form))


@login_required
@require_POST
def attendance_save(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    formset = AttendanceFormSet(
        request.POST, queryset=meeting.attendances.select_related("institution"), prefix="att"
    )
    if not formset.is_valid():
        return render_meeting(request, meeting, status=400, attendance_formset=formset)
    formset.save()
    messages.success(request, _("Attendance saved."))
    return _back(meeting, "attendance")


@login_required
@require_POST
def guest_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    form = GuestForm(request.POST, prefix="guest")
    if not form.is_valid():
        return render_meeting(request, meeting, status=400, guest_form=form)
    services.attendance_guest_add(meeting=meeting, **form.cleaned_data)
    messages.success(request, _("Participant added."))
    return _back(meeting, "attendance")


@login_required
@require_POST
def agenda_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    form = AgendaItemForm(request.POST, prefix="agenda")
    if not form.is_valid():
        return render_meeting(request, meeting, status=400, agenda_form=form)
    services.agenda_item_add(
        meeting=meeting,
        title=form.cleaned_data["title"],
        notes=form.cleaned_data["notes"],
        timeline=form.cleaned_data["timeline"],
    )
    messages.success(request, _("Agenda item added."))
    return _back(meeting, "agenda")


@login_required
@require_http_methods(["GET", "POST"])
def agenda_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    item: AgendaItem = get_object_or_404(
        AgendaItem.objects.select_related("meeting__committee"), pk=pk
    )
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.agenda_item_update(
            item=item, title=data["title"], notes=data["notes"], timeline=data["timeline"]
        )
        messages.success(request, _("Agenda item saved."))
        return _back(item.meeting, f"item-{item.pk}")
    context = {"form": form, "item": item}
    return render(request, "meetings/agenda_item_form.html", context, status=form_status(form))


@login_required
@require_POST
def agenda_add_activity(request: AuthenticatedRequest, pk: int, activity_pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    activity = get_object_or_404(Activity.objects.select_related("commitment"), pk=activity_pk)
    try:
        services.agenda_item_add_blocked_activity(meeting=meeting, activity=activity)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The blocked activity is on the agenda."))
    return _back(meeting, "agenda")


@login_required
@require_POST
def agenda_add_commitment(
    request: AuthenticatedRequest, pk: int, commitment_pk: int
) -> HttpResponse:
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    commitment = get_object_or_404(Commitment, pk=commitment_pk)
    try:
        services.agenda_item_add_stale_commitment(meeting=meeting, commitment=commitment)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The commitment is on the agenda."))
    return _back(meeting, "agenda")


@login_required
@require_POST
def decision_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    form = DecisionForm(request.POST, prefix="decision", meeting=meeting)
    if not form.is_valid():
        return render_meeting(request, meeting, status=400, decision_form=form)
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
    return _back(meeting, "decisions")


@login_required
@require_POST
def decision_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    back = safe_next(request, f"{decision.meeting.get_absolute_url()}#decisions")
    form = DecisionStatusForm(request.POST)
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
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    try:
        meeting = services.meeting_hold(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
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
    return _back(meeting, "progress")


@login_required
@require_POST
def progress_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    form = ProgressChangeForm(request.POST, prefix="change", meeting=meeting)
    if not form.is_valid():
        return render_meeting(request, meeting, status=400, progress_form=form)
    activity, new = form.cleaned_data["activity"], form.cleaned_data["progress"]
    old = activity.progress
    try:
        services.meeting_progress_change(
            meeting=meeting,
            activity=activity,
            new_progress=new,
            narrative=form.cleaned_data["narrative"],
            user=request.user,
        )
    except (ValidationError, ActivityChanged) as error:
        errors = getattr(error, "messages", [str(error)])
        form.add_error("progress", " ".join(errors))
        return render_meeting(request, meeting, status=400, progress_form=form)
    messages.success(
        request,
        _("Progress of “%(activity)s” recorded: %(old)s %% → %(new)s %%, source: this meeting.")
        % {"activity": activity.title, "old": old, "new": new},
    )
    return _back(meeting, "progress")


@login_required
@require_POST
def remark_save(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    row: SnapshotRow = get_object_or_404(
        SnapshotRow.objects.select_related("snapshot__meeting"), pk=pk
    )
    form = RemarkForm(request.POST)
    form.is_valid()
    services.snapshot_remark_set(
        row=row, remark=form.cleaned_data.get("remark", ""), language=(get_language() or "fr")[:2]
    )
    messages.success(request, _("Remark saved."))
    return _back(row.snapshot.meeting, f"row-{row.pk}")


@login_required
@require_POST
def correction_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    form = CorrectionForm(request.POST, prefix="correction")
    if form.is_valid():
        try:
            services.correction_add(
                meeting=meeting, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Correction added: it shows with the minutes."))
            return _back(meeting, "record")
    return render_meeting(request, meeting, status=400, correction_form=form)


@login_required
@require_POST
def minutes_generate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    form = MinutesGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language."))
        return _back(meeting, "minutes")
    version, created = services.minutes_generation_request(
        meeting=meeting, language=form.cleaned_data["language"], user=request.user
    )
    announce(request, version, requested_message(created))
    return _back(meeting, f"version-{version.pk}")


@login_required
@require_POST
def minutes_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    meeting = _meeting(pk)
    publish = request.POST.get("publish") == "1"
    try:
        if publish:
            services.minutes_publish(meeting=meeting, user=request.user)
        else:
            services.minutes_unpublish(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("The minutes are public.") if publish else _("The minutes are no longer public."),
        )
    return _back(meeting, "minutes")


@login_required
@require_safe
def minutes_version_hx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The row the page polls (htmx) until the version is ready or failed."""
    require_perm(request, MANAGE)
    return version_row(request, get_object_or_404(MinutesVersion, pk=pk), VERSION_URLS)


@login_required
@require_POST
def minutes_retry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    version = get_object_or_404(MinutesVersion.objects.select_related("meeting"), pk=pk)
    try:
        followed = services.minutes_version_retry(version=version, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        followed = version
    else:
        announce(request, followed, retried_message(version, followed))
    return _back(version.meeting, f"version-{followed.pk}")


@login_required
@require_safe
def minutes_version_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    require_perm(request, MANAGE)
    versions = MinutesVersion.objects.ready().select_related("meeting__committee")
    return minutes_response(request, get_object_or_404(versions, pk=pk))
