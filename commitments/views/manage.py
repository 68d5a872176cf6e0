"""The secretariat's pages: the validation queue (validate or return updates), the overview,
focal point hand-overs and the spreadsheet import."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import error_text, require_perm

from ..forms import BulkValidateForm, HandOverForm, ImportForm, ReturnUpdateForm
from ..imports import plan_import
from ..models import Activity, Commitment, Plan, ProgressUpdate
from ..services import (
    ReviewOutcome,
    focal_point_hand_over,
    progress_update_return,
    progress_update_validate,
    progress_updates_validate,
)
from ..spreadsheets import SpreadsheetError, read_table
from ..summaries import secretariat_overview


@login_required
@require_safe
def validation_queue(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request, "commitments.validate_update")
    # "Select all" without JavaScript: the same queue, every box ticked.
    return _queue(request, BulkValidateForm(), select_all=request.GET.get("select") == "all")


def _queue(
    request: AuthenticatedRequest, bulk_form: BulkValidateForm, select_all: bool = False
) -> HttpResponse:
    pending = (
        ProgressUpdate.objects.pending()
        .select_related("activity__commitment__plan", "author")
        .prefetch_related("evidence")
        .order_by("created_at")
    )
    context = {
        "pending": pending,
        "return_form": ReturnUpdateForm(),
        "bulk_form": bulk_form,
        "selected": bulk_form.selected() if bulk_form.is_bound else set(),
        "select_all": select_all,
    }
    status = 400 if bulk_form.is_bound else 200
    return render(request, "commitments/validation_queue.html", context, status=status)


@login_required
@require_POST
def updates_validate(request: AuthenticatedRequest) -> HttpResponse:
    """Validate the ticked updates one by one; the queue then lists what was validated and
    what was refused, and why."""
    require_perm(request, "commitments.validate_update")
    form = BulkValidateForm(request.POST)
    if not form.is_valid():
        return _queue(request, form)
    outcomes = progress_updates_validate(
        update_ids=form.cleaned_data["update"],
        reviewer=request.user,
        note=form.cleaned_data["note"],
    )
    _report_outcomes(request, outcomes, form.unreadable)
    return redirect("commitments:validation_queue")


def _report_outcomes(
    request: AuthenticatedRequest, outcomes: list[ReviewOutcome], unreadable: list[str]
) -> None:
    """One summary message, then each refusal with its reason, then each validated update."""
    validated = [o for o in outcomes if o.validated]
    refusals = [
        _("Refused: “%(value)s” is no update of the queue.") % {"value": Truncator(value).chars(20)}
        for value in unreadable
    ] + [_refusal_text(o) for o in outcomes if not o.validated]
    if refusals:
        # Translators: the two parts of "3 updates validated; 1 refused."
        summary = _("%(validated)s; %(refused)s.") % {
            "validated": ngettext(
                "%(count)s update validated", "%(count)s updates validated", len(validated)
            )
            % {"count": len(validated)},
            "refused": ngettext("%(count)s refused", "%(count)s refused", len(refusals))
            % {"count": len(refusals)},
        }
        messages.warning(request, summary)
    else:
        summary = ngettext(
            "%(count)s update validated.", "%(count)s updates validated.", len(validated)
        )
        messages.success(request, summary % {"count": len(validated)})
    for text in refusals:
        messages.error(request, text)
    for outcome in validated:
        if outcome.update is not None:
            messages.success(request, _validated_text(outcome.update))


def _refusal_text(outcome: ReviewOutcome) -> str:
    update = outcome.update
    if update is None:
        return _("Refused: update %(id)s: %(reason)s") % {
            "id": outcome.update_id,
            "reason": outcome.reason,
        }
    return _("Refused: commitment %(number)s, “%(activity)s”: %(reason)s") % {
        "number": update.activity.commitment.number,
        "activity": update.activity.title,
        "reason": outcome.reason,
    }


def _validated_text(update: ProgressUpdate) -> str:
    return _("Validated: commitment %(number)s, “%(activity)s” is now at %(progress)s %%.") % {
        "number": update.activity.commitment.number,
        "activity": update.activity.title,
        "progress": update.new_progress,
    }


@login_required
@require_POST
def update_validate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, "commitments.validate_update")
    update = get_object_or_404(ProgressUpdate.objects.select_related("activity"), pk=pk)
    try:
        progress_update_validate(update=update, reviewer=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Validated: “%(activity)s” is now at %(progress)s %%.")
            % {"activity": update.activity.title, "progress": update.new_progress},
        )
    return redirect("commitments:validation_queue")


@login_required
@require_POST
def update_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, "commitments.validate_update")
    update = get_object_or_404(ProgressUpdate.objects.select_related("activity"), pk=pk)
    form = ReturnUpdateForm(request.POST)
    if form.is_valid():
        try:
            progress_update_return(
                update=update, reviewer=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("Returned to the focal point: “%(activity)s”.") % {"activity": update.activity},
            )
            return redirect("commitments:validation_queue")
    else:
        messages.error(request, _("Say why the update is returned."))
    return redirect("commitments:validation_queue")


@login_required
@require_safe
def overview(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request, "commitments.view_secretariat_overview")
    plan = get_object_or_404(Plan, code=request.GET["plan"]) if "plan" in request.GET else None
    plan = plan or Plan.objects.current()
    if plan is None:
        raise PermissionDenied
    incoherent = (
        Activity.objects.incoherent()
        .filter(commitment__plan=plan)
        .select_related("commitment__plan")
        .order_by("commitment__number", "position")
    )
    context = {
        "overview": secretariat_overview(plan),
        "plan": plan,
        "plans": Plan.objects.all(),
        "incoherent": incoherent,
    }
    return render(request, "commitments/secretariat_overview.html", context)


@login_required
def hand_over(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("plan"), pk=pk)
    require_perm(request, "commitments.hand_over_commitment", commitment)
    form = HandOverForm(request.POST or None, initial={"institution": commitment.lead_institution})
    if request.method == "POST" and form.is_valid():
        try:
            focal_point_hand_over(commitment=commitment, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("start_date" if hasattr(error, "error_dict") else None, error.messages)
        else:
            messages.success(request, _("The commitment has a new focal point."))
            return redirect(commitment.get_absolute_url())
    assignments = commitment.focal_point_assignments.select_related(
        "user__notification_profile", "institution"
    )
    context = {"commitment": commitment, "form": form, "assignments": assignments}
    return render(request, "commitments/hand_over.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def spreadsheet_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a plan's spreadsheet. A dry run (the default) lists each change and each refused
    row and writes nothing; its preview is kept in the session, and "Apply" writes exactly the
    previewed changes (or nothing, if the portal changed meanwhile)."""
    require_perm(request, "commitments.import_plan")
    if "apply" in request.POST:
        return _apply_preview(request, request.POST["apply"])
    form = ImportForm(request.POST or None, request.FILES or None)
    report, preview = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_table(upload.name, upload.file)
        except SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            plan = form.cleaned_data["plan"] or _plan_named_by(rows, form)
            if plan is not None:
                dry_run = form.cleaned_data["dry_run"]
                report = plan_import(plan=plan, rows=rows, author=request.user, dry_run=dry_run)
                if report.applied:
                    messages.success(request, _("The spreadsheet was imported."))
                elif dry_run and report.changes and not report.errors:
                    preview = _keep_preview(request, plan, rows, report.digest)
    context = {"form": form, "report": report, "preview": preview}
    return render(request, "commitments/spreadsheet_import.html", context)


PREVIEWS = "import_previews"


def _plan_named_by(rows: list[dict[str, str]], form: ImportForm) -> Plan | None:
    """The plan the file's ``plan`` column names, when no plan was chosen."""
    codes = {row.get("plan", "").strip() for row in rows} - {""}
    plan = Plan.objects.filter(code=next(iter(codes))).first() if len(codes) == 1 else None
    if plan is None:
        form.add_error(
            "plan", _("Choose the plan: the file names none, several or an unknown one.")
        )
    return plan


def _keep_preview(
    request: AuthenticatedRequest, plan: Plan, rows: list[dict[str, str]], digest: str
) -> dict[str, str]:
    token = secrets.token_urlsafe(16)
    request.session[PREVIEWS] = {
        token: {"plan": plan.pk, "rows": rows, "digest": digest},
    }
    return {"token": token, "plan": plan.code}


def _apply_preview(request: AuthenticatedRequest, token: str) -> HttpResponse:
    previews = request.session.get(PREVIEWS, {})
    kept = previews.pop(token, None)
    request.session[PREVIEWS] = previews
    form = ImportForm()
    plan = Plan.objects.filter(pk=kept["plan"]).first() if kept else None
    if kept is None or plan is None:
        messages.error(
            request, _("This preview has expired or was applied already: send the file again.")
        )
        return render(request, "commitments/spreadsheet_import.html", {"form": form})
    report = plan_import(
        plan=plan, rows=kept["rows"], author=request.user, dry_run=False, expected=kept["digest"]
    )
    if report.applied:
        messages.success(request, _("The spreadsheet was imported."))
        return redirect("commitments:import")
    if report.stale:
        messages.error(
            request,
            _("The portal's data changed since the preview: check the new preview below."),
        )
        # The refused run was rolled back: its list is the new preview, against today's data.
        preview = _keep_preview(request, plan, kept["rows"], report.digest)
        context = {"form": form, "report": report, "preview": preview}
        return render(request, "commitments/spreadsheet_import.html", context)
    return render(request, "commitments/spreadsheet_import.html", {"form": form, "report": report})
