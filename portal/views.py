"""Pages over every app: the site-wide search, the content still missing in Arabic or English,
the accessibility statement."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import form_status, require_perm

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
