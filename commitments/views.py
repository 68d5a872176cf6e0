from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import Plan
from .summaries import plan_summary


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
