"""A focal point's workspace: the commitments they hold, and updating them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import require_perm

from ..forms import ActivityUpdateForm
from ..models import Activity, Commitment, ProgressUpdate
from ..services import ActivityChanged, progress_updates_submit
from ..summaries import commitment_row


@login_required
def workspace(request: AuthenticatedRequest) -> HttpResponse:
    commitments = (
        Commitment.objects.held_by(request.user).with_progress_data().order_by("plan", "number")
    )
    updates = (
        ProgressUpdate.objects.filter(activity__commitment__in=commitments)
        .exclude(state=ProgressUpdate.State.SUPERSEDED)
        .select_related("activity__commitment", "reviewed_by")
    )
    context = {
        "rows": [commitment_row(c) for c in commitments],
        "pending": updates.filter(state=ProgressUpdate.State.SUBMITTED),
        "returned": _unanswered_returns(updates.filter(state=ProgressUpdate.State.RETURNED)),
    }
    return render(request, "commitments/workspace.html", context)


def _unanswered_returns(returned: QuerySet[ProgressUpdate]) -> list[ProgressUpdate]:
    """Returned updates the focal point has not answered with a newer update yet."""
    return [
        u for u in returned if not u.activity.updates.filter(created_at__gt=u.created_at).exists()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def commitment_update(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("plan"), pk=pk)
    require_perm(request, "commitments.update_commitment", commitment)
    activities = list(commitment.activities.all())
    if request.method == "POST":
        forms = [_bound(request, activity) for activity in activities]
        if all(form.is_valid() for form in forms):
            changed = [form for form in forms if form.has_update()]
            if not changed:
                messages.info(request, _("Nothing was changed."))
            elif _submit(request, changed):
                return redirect("commitments:update", pk=commitment.pk)
    else:
        forms = [ActivityUpdateForm(activity=activity) for activity in activities]
    context = {
        "commitment": commitment,
        "forms": forms,
        "invalid": any(form.errors for form in forms),
        "row": commitment_row(commitment),
    }
    return render(request, "commitments/commitment_update.html", context)


def _bound(request: AuthenticatedRequest, activity: Activity) -> ActivityUpdateForm:
    return ActivityUpdateForm(request.POST, request.FILES, activity=activity)


def _submit(request: AuthenticatedRequest, forms: list[ActivityUpdateForm]) -> bool:
    try:
        updates = progress_updates_submit(
            entries=[form.entry() for form in forms], author=request.user
        )
    except ActivityChanged as conflict:
        form = next(f for f in forms if f.activity.pk == conflict.activity.pk)
        _show_conflict(request, form, conflict.activity)
        return False
    except ValidationError as error:
        form = next(f for f in forms if f.activity.pk == error.activity.pk)  # type: ignore[attr-defined]
        form.add_error(None, error.messages)
        return False
    waiting = sum(u.state == ProgressUpdate.State.SUBMITTED for u in updates)
    recorded = len(updates) - waiting
    if waiting:
        messages.success(
            request,
            ngettext(
                "%(count)d update sent to the secretariat for validation.",
                "%(count)d updates sent to the secretariat for validation.",
                waiting,
            )
            % {"count": waiting},
        )
    if recorded:
        messages.success(
            request,
            ngettext("%(count)d update recorded.", "%(count)d updates recorded.", recorded)
            % {"count": recorded},
        )
    return True


def _show_conflict(
    request: AuthenticatedRequest, form: ActivityUpdateForm, current: Activity
) -> None:
    """Keep what was typed, but with the newer version, and say what changed meanwhile."""
    latest = (
        current.updates.exclude(state=ProgressUpdate.State.SUPERSEDED)
        .select_related("author")
        .first()
    )
    data = form.data.copy()  # type: ignore[attr-defined]
    data[form.add_prefix("version")] = str(current.version)
    form.data = data
    message = _(
        "Someone else updated this activity while you were editing it. Check the newer value "
        "below and submit again to replace it."
    )
    form.add_error(None, message)
    form.newer_update = latest  # type: ignore[attr-defined]
