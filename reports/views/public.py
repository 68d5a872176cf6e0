"""Published reports, the consultation and committee comments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from documents.views import pdf_download
from ogp_portal.i18n import LANGUAGE_CHOICES
from ogp_portal.viewutils import client_address

from ..feeds import reports_feed_link
from ..forms import CommentForm
from ..models import Report, ReportComment, ReportVersion
from ..services import TooManyComments, report_comment_add


@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    reports = Report.objects.visible_to(request.user).select_related("plan")
    reports = reports.prefetch_related("versions")
    context = {"reports": reports, "feeds": [reports_feed_link()]}
    return render(request, "reports/report_list.html", context)


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.visible_to(request.user).select_related("plan"), pk=pk
    )
    kind = _comment_kind(request, report)
    if kind is None and request.method == "POST":
        raise PermissionDenied
    form, status = None, 200
    if kind is not None:
        public = kind == ReportComment.Kind.PUBLIC
        form = CommentForm(request.POST or None, report=report, public=public)
        if request.method == "POST" and form.is_valid():
            status = _add_comment(request, report, kind, form)
            if status == 201:
                messages.success(request, _thanks(kind))
                return redirect(report.get_absolute_url())
    context = _detail_context(request, report, form)
    return render(request, "reports/report_detail.html", context, status=status)


def _add_comment(request: HttpRequest, report: Report, kind: str, form: CommentForm) -> int:
    """201 when the comment is saved; otherwise the error is on the form, and the status the
    page shows it with."""
    fields = {k: v for k, v in form.cleaned_data.items() if k != "website"}
    try:
        report_comment_add(
            report=report,
            kind=kind,
            author=request.user if request.user.is_authenticated else None,
            sender=client_address(request) or "",
            **fields,
        )
    except TooManyComments:
        form.add_error(None, _too_many_message())
        return 429
    except ValidationError as error:
        form.add_error(None, error)
        return 200
    return 201


def _comment_kind(request: HttpRequest, report: Report) -> str | None:
    if report.takes_public_comments(timezone.localdate()):
        return ReportComment.Kind.PUBLIC
    if report.stage == Report.Stage.REVIEW and request.user.has_perm(
        "reports.comment_as_committee"
    ):
        return ReportComment.Kind.COMMITTEE
    return None


def _too_many_message() -> str:
    return _(
        "You have sent several comments in the last hour. To protect the consultation from "
        "automated sending, please wait an hour before sending another one: what you typed is "
        "kept below."
    )


def _thanks(kind: str) -> str:
    if kind == ReportComment.Kind.PUBLIC:
        return _("Thank you: your comment will appear once moderated.")
    return _("Your comment was added.")


def _detail_context(request: HttpRequest, report: Report, form: CommentForm | None) -> dict:
    comments = ReportComment.objects.visible_to(request.user).filter(report=report)
    versions = ReportVersion.objects.visible_to(request.user).filter(report=report)
    downloads = [(code, label, versions.offered(report, code)) for code, label in LANGUAGE_CHOICES]
    return {
        "report": report,
        "stages": report.stage_changes.all(),
        "downloads": [(c, label, v) for c, label, v in downloads if v],
        "comments": comments.select_related("commitment", "author"),
        "form": form,
        "feeds": [reports_feed_link()],
    }


@require_safe
def report_download(request: HttpRequest, pk: int, language: str) -> HttpResponseBase:
    """The PDF the report's page offers: once validated, exactly the validated version."""
    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
    versions = ReportVersion.objects.visible_to(request.user).filter(report=report)
    version = versions.offered(report, language)
    if version is None:
        raise Http404
    return pdf_response(request, version)


def pdf_response(request: HttpRequest, version: ReportVersion) -> HttpResponseBase:
    name = f"{version.report.plan.code}-{version.language}-v{version.number()}.pdf"
    return pdf_download(request, version, name)
