"""The secretariat's co-creation pages: moderation and screening of the proposals, events,
proposals collected outside the portal, draft commitments and the adoption of the plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from commitments.models import Commitment, Plan
from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import error_text, form_status, require_perm, safe_next

from .. import services, summaries
from ..forms import add_service_errors
from ..manage_forms import (
    DraftForm,
    EventForm,
    RecordForm,
    ScreenForm,
    ScreeningFilterForm,
)
from ..models import Event, Process, Proposal

MANAGE = "cocreation.manage"


def _manage_url(process_pk: int) -> str:
    return reverse("cocreation:manage", args=[process_pk])


# The process: moderation queue and screening list -----------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    process: Process = get_object_or_404(Process.objects.select_related("plan"), pk=pk)
    if request.method == "POST":
        services.process_proposals_open(
            process=process, accepts_proposals=request.POST.get("accepts_proposals") == "1"
        )
        if process.accepts_proposals:
            messages.success(request, _("The public can send proposals online again."))
        else:
            messages.success(request, _("The online form is closed: no new proposal."))
        return redirect(_manage_url(process.pk))
    return render(request, "cocreation/manage_process.html", _manage_context(request, process))


def _manage_context(request: HttpRequest, process: Process) -> dict[str, Any]:
    proposals = process.proposals.select_related("theme", "institution", "event")
    published = proposals.filter(moderation=Proposal.Moderation.PUBLISHED)
    filter_form = ScreeningFilterForm(request.GET or None, process=process)
    counts = dict(published.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "process": process,
        "pending": proposals.filter(moderation=Proposal.Moderation.PENDING),
        "rejected_count": proposals.filter(moderation=Proposal.Moderation.REJECTED).count(),
        "filter_form": filter_form,
        "proposals": published.filter(**filter_form.filters()),
        "status_counts": [
            (value, label, counts.get(value, 0)) for value, label in Proposal.Status.choices
        ],
        "published_count": sum(counts.values()),
    }


# One proposal ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def screen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    proposal = get_object_or_404(
        Proposal.objects.select_related("process", "event", "theme", "institution", "merged_into"),
        pk=pk,
    )
    form = ScreenForm(request.POST or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_screen(proposal=proposal, user=request.user, **data)
        except ValidationError as error:
            proposal.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is now: %(status)s.")
                % {"title": proposal.title, "status": proposal.get_status_display()},
            )
            return redirect(_manage_url(proposal.process_id))
    return render(
        request,
        "cocreation/manage_screen.html",
        _screen_context(proposal, form),
        status=form_status(form),
    )


def _screen_context(proposal: Proposal, form: ScreenForm) -> dict[str, Any]:
    scores = proposal.scores.select_related("user").order_by("-value")
    return {
        "proposal": proposal,
        "process": proposal.process,
        "form": form,
        "answers": proposal.answers.select_related("institution", "author"),
        "scores": scores,
        "score_summary": scores.aggregate(mean=Avg("value"), count=Count("pk")),
        "merged_proposals": proposal.merged_proposals.all(),
    }


@login_required
@require_POST
def moderate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    proposal = get_object_or_404(Proposal, pk=pk)
    publish = request.POST.get("publish") == "1"
    services.proposal_moderate(proposal=proposal, publish=publish, user=request.user)
    if publish:
        messages.success(request, _("“%(title)s” is published.") % {"title": proposal.title})
    else:
        messages.success(
            request, _("“%(title)s” will not be published.") % {"title": proposal.title}
        )
    return redirect(safe_next(request, _manage_url(proposal.process_id)))


# Events ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def events(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    process: Process = get_object_or_404(Process, pk=pk)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = _event_save(form, process)
        messages.success(request, _("Event “%(title)s” added.") % {"title": event.title})
        return redirect("cocreation:events", pk=process.pk)
    event_list = process.events.annotate(proposal_count=Count("proposals"))
    return render(
        request,
        "cocreation/manage_events.html",
        {"process": process, "events": event_list, "form": form},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    event: Event = get_object_or_404(Event.objects.select_related("process"), pk=pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        _event_save(form, event.process)
        messages.success(request, _("Event “%(title)s” saved.") % {"title": event.title})
        return redirect("cocreation:events", pk=event.process_id)
    return render(
        request,
        "cocreation/manage_event_form.html",
        {"process": event.process, "event": event, "form": form},
        status=form_status(form),
    )


def _event_save(form: EventForm, process: Process) -> Event:
    return services.event_save(
        event=form.save(commit=False), process=process, title=form.cleaned_data["title"]
    )


# A proposal collected outside the portal ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    process: Process = get_object_or_404(Process, pk=pk)
    form = RecordForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_record(
                process=process, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("“%(title)s” is recorded and published.") % {"title": proposal.title}
            )
            return redirect(_manage_url(process.pk))
    return render(
        request,
        "cocreation/manage_record.html",
        {"process": process, "form": form},
        status=form_status(form),
    )


# Draft commitments and adoption -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def drafts(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    process: Process = get_object_or_404(Process.objects.select_related("plan"), pk=pk)
    form = DraftForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.draft_commitment_create(
                proposals=list(data["proposals"]),
                title=data["title"],
                lead_institution=data["lead_institution"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Draft commitment “%(title)s” created.") % {"title": commitment}
            )
            return redirect("cocreation:drafts", pk=process.pk)
    return render(
        request,
        "cocreation/manage_drafts.html",
        _drafts_context(process, form),
        status=form_status(form),
    )


def _drafts_context(process: Process, form: DraftForm) -> dict[str, Any]:
    plan = process.plan
    commitments: QuerySet[Commitment] = Commitment.objects.none()
    if plan is not None:
        commitments = (
            plan.commitments.filter(
                Q(status=Commitment.Status.DRAFT) | Q(proposals__process=process)
            )
            .distinct()
            .select_related("lead_institution")
            .prefetch_related("proposals")
            .order_by("number")
        )
    return {
        "process": process,
        "plan": plan,
        "in_co_creation": plan is not None and plan.status == Plan.Status.CO_CREATION,
        "ranked": summaries.ranked_proposals(process),
        "commitments": commitments,
        "draft_count": sum(1 for c in commitments if c.status == Commitment.Status.DRAFT),
        "form": form,
        "selected": form.selected(),
    }


@login_required
@require_POST
def adopt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    process: Process = get_object_or_404(Process.objects.select_related("plan"), pk=pk)
    try:
        if process.plan is None:
            raise ValidationError(_("The co-creation needs a draft plan (in co-creation) first."))
        count = services.plan_adopt(plan=process.plan, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s commitment adopted: the plan is now in implementation.",
                "%(count)s commitments adopted: the plan is now in implementation.",
                count,
            )
            % {"count": count},
        )
    return redirect("cocreation:drafts", pk=process.pk)
