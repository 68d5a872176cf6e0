"""Co-creation pages for everyone (the co-creations, their proposals and figures, the proposal
form), for committee members (priority scores) and for institutions (their answers)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import client_address, require_perm

from .. import services, summaries
from ..forms import AnswerForm, ProposalFilterForm, ProposalForm, ScoreForm, add_service_errors
from ..models import InstitutionAnswer, Process, Proposal, Score
from ..permissions import institutions_of

PROPOSALS_PER_PAGE = 25


def _process_or_404(request: HttpRequest, pk: int) -> Process:
    processes = Process.objects.visible_to(request.user).select_related("plan", "timeline")
    return get_object_or_404(processes, pk=pk)


def _published(process: Process) -> QuerySet[Proposal]:
    return Proposal.objects.published().filter(process=process)


# Everyone ---------------------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    processes = Process.objects.visible_to(request.user).select_related("plan")
    processes = processes.order_by("-accepts_proposals", "-pk")
    rows = [(process, summaries.statistics(process)) for process in processes]
    return render(request, "cocreation/process_list.html", {"rows": rows})


@require_safe
def process_detail(request: HttpRequest, pk: int) -> HttpResponse:
    process = _process_or_404(request, pk)
    form = ProposalFilterForm(request.GET or None, process=process)
    filters = form.filters() if request.GET else {}
    for name in form.errors:
        label = form.fields[name].label if name in form.fields else name
        messages.warning(
            request,
            _("The filter “%(filter)s” had an unknown value and was ignored.") % {"filter": label},
        )
    proposals = _published(process).filter(**filters).select_related("theme", "institution")
    context = {
        "process": process,
        "timeline": process.timeline,
        "events": process.events.all(),
        "form": form,
        "filtered": bool(filters),
        "page": Paginator(proposals, PROPOSALS_PER_PAGE).get_page(request.GET.get("page")),
        "published_count": _published(process).count(),
    }
    return render(request, "cocreation/process_detail.html", context)


@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    process = _process_or_404(request, pk)
    if request.method == "GET" and request.GET.get("sent"):
        return render(request, "cocreation/proposal_thanks.html", {"process": process})
    if not process.accepts_proposals:
        status = 200 if request.method == "GET" else 403
        return render(
            request, "cocreation/proposal_closed.html", {"process": process}, status=status
        )
    form = ProposalForm(request.POST if request.method == "POST" else None, process=process)
    if request.method == "GET":
        return _proposal_form(request, process, form, status=200)
    thanks = f"{reverse('cocreation:propose', args=[process.pk])}?sent=1"
    if form.is_from_a_robot:
        return redirect(thanks)  # the same answer as a real success, and nothing saved
    if not form.is_valid():
        return _proposal_form(request, process, form)
    fields = {k: v for k, v in form.cleaned_data.items() if k != "website"}
    try:
        services.proposal_submit(
            process=process,
            sender=client_address(request) or "",
            language=translation.get_language() or "",
            **fields,
        )
    except services.TooManyProposals:
        form.add_error(None, _too_many_message())
        return _proposal_form(request, process, form, status=429)
    except ValidationError as error:
        add_service_errors(form, error)
        return _proposal_form(request, process, form)
    return redirect(thanks)


def _too_many_message() -> str:
    return _(
        "You have sent several proposals in the last hour. To protect the form from automated "
        "sending, please wait an hour before sending another one: what you typed is kept below."
    )


def _proposal_form(
    request: HttpRequest, process: Process, form: ProposalForm, status: int = 400
) -> HttpResponse:
    return render(
        request, "cocreation/proposal_form.html", {"process": process, "form": form}, status=status
    )


@require_safe
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = Proposal.objects.visible_to(request.user).select_related(
        "process__plan",
        "theme",
        "institution",
        "event",
        "merged_into",
        "draft_commitment__plan",
    )
    proposal = get_object_or_404(queryset, pk=pk)
    manager = request.user.has_perm("cocreation.manage")
    context = {
        "proposal": proposal,
        "process": proposal.process,
        "manager": manager,
        "answers": proposal.answers.select_related("institution"),
        "merged_here": proposal.merged_proposals.published(),
    }
    return render(request, "cocreation/proposal_detail.html", context)


@require_safe
def statistics(request: HttpRequest, pk: int) -> HttpResponse:
    process = _process_or_404(request, pk)
    return render(
        request,
        "cocreation/process_statistics.html",
        {"process": process, "stats": summaries.statistics(process)},
    )


# Committee members ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def priorities(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, "cocreation.score")
    process = _process_or_404(request, pk)
    if request.method == "GET":
        return _priorities_page(request, process)
    posted = _posted_proposal_pk(request.POST.get("proposal", ""))
    form = ScoreForm(request.POST, process=process, auto_id=f"id_score_{posted}_%s")
    if form.is_valid():
        proposal = form.cleaned_data["proposal"]
        try:
            services.score_set(
                proposal=proposal, user=request.user, value=form.cleaned_data["value"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your score for “%(title)s” is saved: %(value)s.")
                % {"title": proposal.title, "value": form.cleaned_data["value"]},
            )
            return redirect(f"{request.path}#proposal-{proposal.pk}")
    return _priorities_page(request, process, form)


def _priorities_page(
    request: AuthenticatedRequest, process: Process, failed: ScoreForm | None = None
) -> HttpResponse:
    mine = dict(
        Score.objects.filter(user=request.user, proposal__process=process).values_list(
            "proposal_id", "value"
        )
    )
    failed_pk = _posted_proposal_pk(failed.data.get("proposal", "")) if failed else None
    rows = []
    for proposal in summaries.ranked_proposals(process):
        form = failed if failed is not None and failed_pk == proposal.pk else None
        form = form or ScoreForm(
            process=process,
            initial={"proposal": proposal.pk, "value": mine.get(proposal.pk)},
            auto_id=f"id_score_{proposal.pk}_%s",
        )
        rows.append((proposal, mine.get(proposal.pk), form))
    shown = any(form is failed for _proposal, _mine, form in rows)
    context = {
        "process": process,
        "rows": rows,
        # A score for a proposal that is not on the list: its error goes above the list.
        "orphan": failed if failed is not None and not shown else None,
    }
    if failed is not None:
        messages.error(request, _("Your score was not saved: see the error below."))
    return render(
        request, "cocreation/priorities.html", context, status=200 if failed is None else 400
    )


def _posted_proposal_pk(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


# Institutions -----------------------------------------------------------------------------------


@login_required
@require_safe
def institution_proposals(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request, "cocreation.view_institution_proposals")
    return _institution_page(request)


def _institution_page(
    request: AuthenticatedRequest,
    failed: tuple[Proposal, AnswerForm] | None = None,
) -> HttpResponse:
    proposals = Proposal.objects.published().filter(institution__isnull=False)
    institutions = institutions_of(request.user)
    if not request.user.has_perm("cocreation.manage"):
        proposals = proposals.filter(institution__in=institutions)
    proposals = proposals.select_related("process", "theme", "institution").prefetch_related(
        Prefetch("answers", queryset=InstitutionAnswer.objects.select_related("institution"))
    )
    rows = []
    for proposal in proposals.order_by("process", "institution__name", "-submitted_at"):
        answer = next(
            (a for a in proposal.answers.all() if a.institution_id == proposal.institution_id),
            None,
        )
        form: AnswerForm
        if failed is not None and failed[0].pk == proposal.pk:
            form = failed[1]
        else:
            form = AnswerForm(
                initial={"text": answer.text if answer else ""},
                auto_id=f"id_answer_{proposal.pk}_%s",
            )
        rows.append((proposal, answer, form))
    context: dict[str, Any] = {"rows": rows, "institutions": institutions}
    return render(
        request,
        "cocreation/institution_proposals.html",
        context,
        status=200 if failed is None else 400,
    )


@login_required
@require_POST
def answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.published().select_related("institution"),
        pk=pk,
        institution__isnull=False,
    )
    require_perm(request, "cocreation.answer_for", proposal.institution)
    assert proposal.institution is not None
    form = AnswerForm(request.POST, auto_id=f"id_answer_{proposal.pk}_%s")
    if form.is_valid():
        try:
            services.institution_answer_save(
                proposal=proposal,
                institution=proposal.institution,
                user=request.user,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The answer to “%(title)s” is saved.") % {"title": proposal.title}
            )
            return redirect(f"{reverse('cocreation:institution_proposals')}#proposal-{pk}")
    messages.error(request, _("The answer was not saved: see the error below."))
    return _institution_page(request, failed=(proposal, form))
