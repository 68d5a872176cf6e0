"""The blocker register, for the secretariat and the committee members: every activity that is
or was blocked, and what the meetings made of it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import require_perm

from .. import summaries
from ..forms import BlockerFilterForm


@login_required
@require_safe
def blocker_list(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request, "meetings.see_blockers")
    form = BlockerFilterForm(request.GET or None)
    filters = form.filters() if request.GET else summaries.BlockerFilters()
    context = {
        "form": form,
        "filters": filters,
        "blockages": summaries.blocker_register(request.user, filters),
    }
    return render(request, "meetings/blocker_list.html", context)
