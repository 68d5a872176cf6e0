"""The secretariat's pages: the validation queue (validate or return updates), the overview,
focal point hand-overs and the spreadsheet import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import error_text, require_perm

from ..forms import HandOverForm, ImportForm, ReturnUpdateForm
from ..imports import plan_import
from ..models import Activity, Commitment, Plan, ProgressUpdate
from ..services import focal_point_hand_over, progress_update_return, progress_update_validate
from ..spreadsheets import SpreadsheetError, read_table
from ..summaries import secretariat_overview


@login_required
@require_safe
def validation_queue(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request, "commitments.validate_update")
    pending = (
        ProgressUpdate.objects.pending()
        .select_related("activity__commitment__plan", "author")
        .prefetch_related("evidence")
        .order_by("created_at")
    )
    return render(
        request,
        "commitments/validation_queue.html",
        {"pending": pending, "return_form": ReturnUpdateForm()},
    )


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
    assignments = commitment.focal_point_assignments.select_related("user", "institution")
    context = {"commitment": commitment, "form": form, "assignments": assignments}
    return render(request, "commitments/hand_over.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def spreadsheet_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a plan's spreadsheet; a dry run (the default) lists row errors and writes nothing."""
    require_perm(request, "commitments.import_plan")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_table(upload.name, upload.read())
        except SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            report = plan_import(
                plan=form.cleaned_data["plan"],
                rows=rows,
                author=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            if report.applied:
                messages.success(request, _("The spreadsheet was imported."))
    return render(request, "commitments/spreadsheet_import.html", {"form": form, "report": report})
