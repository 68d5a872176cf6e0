"""Focal points fill the self-assessment sheets of their commitments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from commitments.models import Commitment
from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import require_perm

from ..forms import ActivityNoteForm, SheetForm
from ..models import AssessmentSheet, Report
from ..services import sheet_save


@login_required
@require_safe
def my_sheets(request: AuthenticatedRequest) -> HttpResponse:
    """The sheets awaited from this focal point: those of the commitments they hold on reports
    being drafted, and those the secretariat returned to them since."""
    commitments = Commitment.objects.held_by(request.user)
    returned = Q(sheets__state=AssessmentSheet.State.RETURNED, sheets__commitment__in=commitments)
    reports = Report.objects.filter(
        Q(stage=Report.Stage.DRAFT) | returned, plan__commitments__in=commitments
    )
    rows = []
    for report in reports.distinct():
        sheets = {s.commitment_id: s for s in report.sheets.filter(commitment__in=commitments)}
        for commitment in commitments.filter(plan=report.plan):
            sheet = sheets.get(commitment.pk)
            if report.stage == Report.Stage.DRAFT or (sheet and not sheet.lock_reason):
                rows.append((report, commitment, sheet))
    return render(request, "reports/my_sheets.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def sheet_edit(request: AuthenticatedRequest, report_pk: int, commitment_pk: int) -> HttpResponse:
    """A sheet to fill; read-only, saying why, once it is locked (a POST is refused)."""
    report = get_object_or_404(Report, pk=report_pk)
    commitment = get_object_or_404(Commitment, pk=commitment_pk, plan=report.plan)
    sheet = AssessmentSheet.objects.filter(report=report, commitment=commitment).first()
    sheet = sheet or AssessmentSheet(report=report, commitment=commitment)
    require_perm(request, "reports.fill_sheet", sheet)
    locked = sheet.lock_reason
    if locked and request.method == "POST":
        messages.error(request, locked)
        return redirect(request.path)
    data = None if locked else request.POST or None
    activities = list(commitment.activities.all())
    notes = {n.activity_id: n for n in sheet.activity_notes.all()} if sheet.pk else {}
    form = SheetForm(data, instance=sheet, disabled=bool(locked))
    note_forms = [
        ActivityNoteForm(
            data,
            prefix=f"n{a.pk}",
            disabled=bool(locked),
            initial={
                "status": notes[a.pk].status if a.pk in notes else a.status,
                "comment": notes[a.pk].comment if a.pk in notes else "",
            },
        )
        for a in activities
    ]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in note_forms):
        submit = "submit" in request.POST
        answers = [(a, f.cleaned_data) for a, f in zip(activities, note_forms, strict=True)]
        try:
            sheet_save(
                sheet=form.save(commit=False), user=request.user, submit=submit, notes=answers
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Sheet submitted to the secretariat.")
                if submit
                else _("Sheet saved as a draft."),
            )
            return redirect("reports:my_sheets")
    context = {
        "report": report,
        "commitment": commitment,
        "sheet": sheet,
        "locked": locked,
        "form": form,
        "notes": list(zip(activities, note_forms, strict=True)),
    }
    return render(request, "reports/sheet_form.html", context)
