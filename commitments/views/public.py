"""Pages anyone can read: the dashboard and its drill-down, institutions, the method."""

from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ogp_portal.collation import sort_key

from ..charts import level_bar_chart, progress_line_chart
from ..dashboard import DashboardFilters, build_dashboard, dashboard_panels
from ..feeds import commitment_feed_link, plan_feed_link
from ..forms import DashboardFilterForm
from ..history import commitment_history
from ..irm import irm_comparison
from ..models import (
    Activity,
    Axis,
    Commitment,
    Evidence,
    Institution,
    Plan,
    ProgressUpdate,
    current_plan,
)
from ..progress import mean_progress, rounded_percent
from ..spreadsheets import XLSX_CONTENT_TYPE, export_csv, export_xlsx
from ..summaries import commitment_row, commitment_rows, plan_figures
from ..validators import CONTENT_TYPES, extension_of


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The public front page: the current plan's dashboard."""
    plans = list(Plan.objects.all())  # newest first, for the plan switcher too
    plan = current_plan(plans)
    if plan is None:
        raise Http404("No action plan has been published yet.")
    return _dashboard(request, plan, plans)


@require_safe
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    # Every plan, for the plan switcher, in the query that finds this one (a handful of rows).
    plans = list(Plan.objects.all())
    plan = next((plan for plan in plans if plan.code == code), None)
    if plan is None:
        raise Http404("No plan has this code.")
    return _dashboard(request, plan, plans)


def _dashboard(request: HttpRequest, plan: Plan, plans: list[Plan]) -> HttpResponse:
    prefetch_related_objects([plan], "axes")  # read by the filters and by the figures
    form = DashboardFilterForm(request.GET or None, plan=plan)
    filters = form.filters() if request.GET else DashboardFilters()
    dashboard = build_dashboard(plan, filters, request.GET.get("page"), institutions=form.leads)
    levels = [(f.level, f.label, f.count) for f in dashboard.by_level]
    panels = dashboard_panels(plan, request.user)
    markers = [marker for panel in panels for marker in panel.markers]
    context = {
        "dashboard": dashboard,
        "page": dashboard.page,
        "summary": dashboard.summary,
        "form": form,
        "filters": filters,
        "plans": plans,  # for the plan switcher
        "panels": panels,
        "markers": markers,
        "history_chart": progress_line_chart(
            dashboard.history, title=_("Progress over time"), markers=markers
        ),
        "level_chart": level_bar_chart(levels, title=_("Commitments by completion level")),
        "feeds": [plan_feed_link(plan)],
    }
    return render(request, "commitments/plan_dashboard.html", context)


@require_safe
def axis_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    axis: Axis = get_object_or_404(
        Axis.objects.select_related("plan"), plan__code=code, number=number
    )
    figures = [row for row in plan_figures(axis.plan).rows if row.axis_id == axis.pk]
    rows = commitment_rows(figures)
    percent = rounded_percent(mean_progress(row.progress for row in rows))
    context = {"axis": axis, "rows": rows, "percent": percent}
    return render(request, "commitments/axis_detail.html", context)


@require_safe
def commitment_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.with_progress_data()
        .select_related("irm_assessment")
        .prefetch_related("supporting_institutions"),
        plan__code=code,
        number=number,
    )
    assignments = commitment.focal_point_assignments.select_related(
        "institution", "user__notification_profile"
    )
    context = {
        "commitment": commitment,
        "row": commitment_row(commitment),
        "focal_points": assignments.current(),
        "former_focal_points": assignments.ended().filter(name_published=True),
        "irm": irm_comparison(commitment),
        "history": commitment_history(commitment, request.user),
        "can_update": request.user.has_perm("commitments.update_commitment", commitment),
        "feeds": [commitment_feed_link(commitment)],
    }
    return render(request, "commitments/commitment_detail.html", context)


@require_safe
def activity_detail(request: HttpRequest, code: str, number: int, pk: int) -> HttpResponse:
    """The bottom of the drill-down: an activity and the updates and evidence behind it."""
    activity = get_object_or_404(
        Activity.objects.select_related("commitment__plan"),
        commitment__plan__code=code,
        commitment__number=number,
        pk=pk,
    )
    updates = (
        ProgressUpdate.objects.visible_to(request.user)
        .filter(activity=activity)
        .select_related("author")
        .prefetch_related("evidence")
    )
    return render(
        request, "commitments/activity_detail.html", {"activity": activity, "updates": updates}
    )


@require_safe
def institution_list(request: HttpRequest) -> HttpResponse:
    plan = _plan_from_query(request)
    rows = commitment_rows(plan_figures(plan).rows) if plan else []
    institutions: dict[int, dict] = {}
    for row in rows:
        lead = row.commitment.lead_institution
        entry = institutions.setdefault(lead.pk, {"institution": lead, "rows": []})
        entry["rows"].append(row)
    figures = sorted(
        (
            {
                **entry,
                "percent": rounded_percent(mean_progress(r.progress for r in entry["rows"])),
            }
            for entry in institutions.values()
        ),
        key=lambda e: sort_key(e["institution"].name),
    )
    context = {"plan": plan, "plans": Plan.objects.all(), "institutions": figures}
    return render(request, "commitments/institution_list.html", context)


@require_safe
def institution_detail(request: HttpRequest, code: str) -> HttpResponse:
    institution = get_object_or_404(Institution, code=code)
    plan = _plan_from_query(request)
    figures = plan_figures(plan).rows if plan else []
    rows = commitment_rows([row for row in figures if row.lead_institution_id == institution.pk])
    supported = (
        Commitment.objects.filter(supporting_institutions=institution, plan=plan)
        if plan
        else Commitment.objects.none()
    )
    context = {
        "institution": institution,
        "plan": plan,
        "plans": Plan.objects.only("code", "title"),  # for the plan switcher
        "rows": rows,
        "supported": supported,
        "percent": rounded_percent(mean_progress(r.progress for r in rows)),
    }
    return render(request, "commitments/institution_detail.html", context)


def _plan_from_query(request: HttpRequest) -> Plan | None:
    code = request.GET.get("plan")
    if code:
        return get_object_or_404(Plan, code=code)
    return Plan.objects.current()


@require_safe
def methodology(request: HttpRequest) -> HttpResponse:
    plan = _plan_from_query(request)
    return render(request, "commitments/methodology.html", {"plan": plan})


@require_safe
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files are never public files: each download checks who asks. To whoever may
    not see it, the file does not exist (a 403 would tell them it does)."""
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user).exclude(file=""), pk=pk)
    name = evidence.file.name.rsplit("/", 1)[-1]
    content_type = CONTENT_TYPES.get(extension_of(name), "application/octet-stream")
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """A plan's commitments and activities, with their OGP ids, as CSV or XLSX."""
    plan = get_object_or_404(Plan, code=code)
    if fmt == "csv":
        content, content_type = export_csv(plan), "text/csv; charset=utf-8"
    else:
        content, content_type = export_xlsx(plan), XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{plan.code}.{fmt}"'
    return response
