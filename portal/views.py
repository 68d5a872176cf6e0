"""The secretariat's page of content still missing in Arabic or English, over every app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import require_perm

from .translations import missing_translations


@login_required
@require_safe
def missing_translations_page(request: AuthenticatedRequest) -> HttpResponse:
    """What content is still missing in Arabic or English (pages show French instead)."""
    require_perm(request, "commitments.view_secretariat_overview")
    context = {"missing": missing_translations()}
    return render(request, "portal/missing_translations.html", context)
