"""Pages over every app: the site-wide search, the OGP repository, the content still missing in
Arabic or English, the accessibility statement."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from commitments.models import Plan
from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import form_status, require_perm

from .forms import RepositoryFilterForm
from .repository import Entry, EntryFilters, filtered, repository_entries
from .requirements import plan_checks
from .search import SearchForm, site_search
from .translations import missing_translations


@login_required
@require_safe
def missing_translations_page(request: AuthenticatedRequest) -> HttpResponse:
    """What content is still missing in Arabic or English (pages show French instead)."""
    require_perm(request, "commitments.view_secretariat_overview")
    context = {"missing": missing_translations()}
    return render(request, "portal/missing_translations.html", context)


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """The site-wide search, grouped by kind; a bad query is said next to the field (400)."""
    form = SearchForm(request.GET or None)
    groups = []
    if form.is_valid():
        data = form.cleaned_data
        groups = site_search(data["q"], request.user, data["kind"], request.GET.get("page"))
    context = {"form": form, "groups": groups, "total": sum(group.count for group in groups)}
    return render(request, "portal/search.html", context, status=form_status(form))


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: what conforms, the known limits, how to report a problem."""
    return render(request, "portal/accessibility.html", {"contact": settings.CONTACT_EMAIL})


@require_safe
def plan_repository(request: HttpRequest, code: str) -> HttpResponse:
    """A plan's OGP repository: its public documents and evidence, and the minimum
    requirements checked against them."""
    plan = get_object_or_404(Plan, code=code)
    entries = repository_entries(plan)
    context = _repository_context(request, plan, entries)
    context["checks"] = plan_checks(plan, entries)
    return render(request, "portal/repository.html", context)


@require_safe
def repository(request: HttpRequest) -> HttpResponse:
    """The whole portal's repository, and each plan's requirements at a glance."""
    entries = repository_entries()
    context = _repository_context(request, None, entries)
    # Each plan judged on its own repository, as its page shows it.
    context["plan_checks"] = [
        (plan, plan_checks(plan, repository_entries(plan))) for plan in Plan.objects.all()
    ]
    return render(request, "portal/repository.html", context)


def _repository_context(request: HttpRequest, plan: Plan | None, entries: list[Entry]) -> dict:
    form = RepositoryFilterForm(request.GET or None, plan=plan, entries=entries)
    filters = form.filters() if request.GET else EntryFilters()
    return {
        "plan": plan,
        "form": form,
        "filters": filters,
        "entries": filtered(entries, filters),
        "total": len(entries),
    }
