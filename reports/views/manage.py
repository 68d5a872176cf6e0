"""The secretariat's report pages: generation with its progress bar, versions, the workflow
and what its next step needs, the consultation, moderation and answers, the self-assessment
sheets and their exceptions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commitments.models import Commitment
from documents.views import announce, requested_message, retried_message, version_row
from ogp_portal.i18n import CONTENT_LANGUAGES
from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import error_text, require_perm

from ..forms import (
    AnswerForm,
    ConsultationForm,
    ExemptionForm,
    GenerateForm,
    ReportForm,
    SheetReviewForm,
    StageForm,
)
from ..gates import stage_missing
from ..models import AssessmentSheet, Report, ReportComment, ReportVersion
from ..services import (
    CONSULTATION_SCHEDULABLE,
    report_comment_answer,
    report_comment_moderate,
    report_consultation_schedule,
    report_create,
    report_generation_request,
    report_stage_change,
    report_version_retry,
    sheet_exemption_record,
    sheet_review,
)
from .public import pdf_response

VERSION_URLS = {
    "status": "reports:version_hx",
    "retry": "reports:version_retry",
    "download": "reports:version_download",
}


MANAGE = "reports.manage"


@login_required
@require_http_methods(["GET", "POST"])
def manage_list(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request, MANAGE)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        titles = {f"title_{code}": data[f"title_{code}"] or "" for code in CONTENT_LANGUAGES}
        report = report_create(
            plan=data["plan"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            sheet_deadline=data["sheet_deadline"],
            user=request.user,
            **titles,
        )
        messages.success(request, _("The report was created."))
        return redirect("reports:manage_detail", pk=report.pk)
    reports = Report.objects.select_related("plan")
    return render(request, "reports/manage_list.html", {"reports": reports, "form": form})


@login_required
@require_safe
def manage_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    report: Report = get_object_or_404(Report.objects.select_related("plan"), pk=pk)
    return render(request, "reports/manage_detail.html", _manage_context(report))


def _manage_context(report: Report, **extra: object) -> dict:
    commitments = Commitment.objects.filter(plan=report.plan).active().order_by("number")
    sheets = {s.commitment_id: s for s in report.sheets.all()}
    exemptions = {e.commitment_id: e for e in report.sheet_exemptions.select_related("granted_by")}
    comments = report.comments.select_related("author", "commitment")
    next_stage = report.next_stage
    return {
        "report": report,
        "versions": report.versions.select_related("requested_by", "same_data_as"),
        "version_urls": VERSION_URLS,
        "generate_form": GenerateForm(initial={"language": get_language()}),
        "next_stage": next_stage,
        "next_missing": stage_missing(report, next_stage) if next_stage else [],
        "previous_stage": report.previous_stage,
        "stage_form": StageForm(),
        "consultation_form": ConsultationForm(
            initial={
                "opens_on": report.consultation_opens_on,
                "closes_on": report.consultation_closes_on,
            }
        ),
        "consultation_schedulable": report.stage in CONSULTATION_SCHEDULABLE,
        "stages": report.stage_changes.select_related("changed_by"),
        "pending_comments": comments.filter(moderation=ReportComment.Moderation.PENDING),
        "moderated_comments": comments.exclude(moderation=ReportComment.Moderation.PENDING),
        "sheet_rows": [(c, sheets.get(c.pk), exemptions.get(c.pk)) for c in commitments],
        "sheets_missing": sum(
            1 for c in commitments if not (sheets.get(c.pk) and sheets[c.pk].is_filled)
        ),
        **extra,
    }


def _refused(request: AuthenticatedRequest, report: Report, **extra: object) -> HttpResponse:
    """The page again, with what was refused (status 400)."""
    context = _manage_context(report, **extra)
    return render(request, "reports/manage_detail.html", context, status=400)


@login_required
@require_POST
def generate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    report = get_object_or_404(Report, pk=pk)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language."))
        return redirect("reports:manage_detail", pk=pk)
    version, created = report_generation_request(
        report=report, language=form.cleaned_data["language"], user=request.user
    )
    announce(request, version, requested_message(created))
    return redirect(f"{report_url(report)}#version-{version.pk}")


def report_url(report: Report) -> str:
    return reverse("reports:manage_detail", args=[report.pk])


@login_required
@require_safe
def version_hx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The row the page polls (htmx) until the version is ready or failed."""
    require_perm(request, MANAGE)
    return version_row(request, get_object_or_404(ReportVersion, pk=pk), VERSION_URLS)


@login_required
@require_POST
def version_retry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    version = get_object_or_404(ReportVersion, pk=pk)
    try:
        followed = report_version_retry(version=version, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        followed = version
    else:
        announce(request, followed, retried_message(version, followed))
    return redirect(f"{report_url(version.report)}#version-{followed.pk}")


@login_required
@require_safe
def version_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    require_perm(request, MANAGE)
    version = get_object_or_404(
        ReportVersion.objects.select_related("report__plan"),
        pk=pk,
        status=ReportVersion.Status.READY,
    )
    return pdf_response(request, version)


@login_required
@require_POST
def stage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The next step (or one back); refused, the page shows again what is missing."""
    require_perm(request, MANAGE)
    report = get_object_or_404(Report.objects.select_related("plan"), pk=pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return redirect("reports:manage_detail", pk=pk)
    data = form.cleaned_data
    try:
        report_stage_change(
            report=report,
            stage=data["stage"],
            user=request.user,
            note=data["note"],
            transmitted_on=data["transmitted_on"],
            transmitted_how=data["transmitted_how"],
        )
    except ValidationError as error:
        refusal = (Report.Stage(data["stage"]).label, error.messages)
        return _refused(request, report, refusal=refusal, stage_form=form)
    messages.success(
        request, _("The report is now at: %(stage)s.") % {"stage": report.get_stage_display()}
    )
    return redirect("reports:manage_detail", pk=pk)


@login_required
@require_POST
def consultation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    report = get_object_or_404(Report.objects.select_related("plan"), pk=pk)
    form = ConsultationForm(request.POST)
    if form.is_valid():
        try:
            report_consultation_schedule(report=report, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consultation's dates were saved."))
            return redirect(f"{report_url(report)}#consultation-title")
    return _refused(request, report, consultation_form=form)


@login_required
@require_POST
def exemption(request: AuthenticatedRequest, pk: int, commitment_pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    report = get_object_or_404(Report, pk=pk)
    commitment = get_object_or_404(Commitment, pk=commitment_pk, plan_id=report.plan_id)
    form = ExemptionForm(request.POST)
    form.is_valid()
    try:
        sheet_exemption_record(
            report=report,
            commitment=commitment,
            user=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The exception was recorded."))
    return redirect(f"{report_url(report)}#sheets-title")


@login_required
@require_POST
def moderate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    comment = get_object_or_404(ReportComment, pk=pk)
    try:
        report_comment_moderate(
            comment=comment,
            approve=request.POST.get("approve") == "1",
            user=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Comment moderated."))
    return redirect("reports:manage_detail", pk=comment.report_id)


@login_required
@require_POST
def answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    comment = get_object_or_404(ReportComment, pk=pk)
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        report_comment_answer(
            comment=comment, user=request.user, answer=form.cleaned_data.get("answer", "")
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The answer was saved."))
    return redirect(f"{report_url(comment.report)}#comment-{comment.pk}")


@login_required
@require_POST
def review_sheet(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    sheet = get_object_or_404(AssessmentSheet, pk=pk)
    form = SheetReviewForm(request.POST)
    form.is_valid()
    try:
        sheet_review(
            sheet=sheet,
            user=request.user,
            accept=form.cleaned_data.get("accept", False),
            note=form.cleaned_data.get("review_note", ""),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Sheet reviewed."))
    return redirect("reports:manage_detail", pk=sheet.report_id)
