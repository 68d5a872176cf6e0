"""Pages anyone can read."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ..models import Commitment, Evidence, Plan
from ..permissions import can_download_evidence
from ..summaries import commitment_row, plan_summary
from ..timeline import commitment_timeline
from ..validators import CONTENT_TYPES, extension_of


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The public front page: the current plan's commitments and their progress."""
    plan = Plan.objects.current()
    if plan is None:
        raise Http404("No action plan has been published yet.")
    return _render_plan(request, plan)


@require_safe
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _render_plan(request, get_object_or_404(Plan, code=code))


def _render_plan(request: HttpRequest, plan: Plan) -> HttpResponse:
    context = {"summary": plan_summary(plan), "plans": Plan.objects.all()}
    return render(request, "commitments/plan_detail.html", context)


@require_safe
def commitment_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.with_progress_data(), plan__code=code, number=number
    )
    context = {
        "commitment": commitment,
        "row": commitment_row(commitment),
        "focal_points": commitment.focal_point_assignments.current().select_related("institution"),
        "timeline": commitment_timeline(commitment, request.user),
        "can_update": request.user.has_perm("commitments.update_commitment", commitment),
    }
    return render(request, "commitments/commitment_detail.html", context)


@require_safe
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files are never public files: each download checks who asks."""
    evidence = get_object_or_404(Evidence.objects.select_related("update__activity"), pk=pk)
    if not evidence.file or not can_download_evidence(request.user, evidence):
        if request.user.is_authenticated and evidence.file:
            raise PermissionDenied
        raise Http404
    name = evidence.file.name.rsplit("/", 1)[-1]
    content_type = CONTENT_TYPES.get(extension_of(name), "application/octet-stream")
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
