from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ogp_portal.typing import AuthenticatedRequest
from ogp_portal.viewutils import client_address, error_text, form_status, safe_next

from . import kinds, services
from .forms import FollowForm, PreferencesForm
from .models import Follow, Notification, Preference, Profile


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    rows = Notification.objects.filter(user=request.user).prefetch_related("target")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    entries = [(notification, services.describe(notification)) for notification in page]
    return render(
        request, "notifications/notification_list.html", {"page": page, "entries": entries}
    )


@login_required
@require_POST
def notification_read(request: AuthenticatedRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("notification") if value.isdigit()]
    count = services.mark_read(request.user, ids or None)
    messages.success(
        request,
        translation.ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return HttpResponseRedirect(safe_next(request, reverse("notifications:list")))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    current = dict(Preference.objects.filter(user=request.user).values_list("kind", "frequency"))
    profile = Profile.objects.filter(user=request.user).first()
    initial = {"language": profile.language if profile else translation.get_language()}
    form = PreferencesForm(request.POST or None, current=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=request.user,
            language=form.cleaned_data["language"],
            frequencies=form.frequencies(),
        )
        messages.success(request, _("Your notification preferences are saved."))
        return HttpResponseRedirect(reverse("notifications:preferences"))
    return render(
        request,
        "notifications/preferences.html",
        {"form": form},
        status=form_status(form) if request.method == "POST" else 200,
    )


@csrf_exempt  # the token is the credential; mail programs post here (RFC 8058 one-click)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every mail. A GET only shows what would stop (link checkers open links),
    with one button; a POST, from that button or from the mail program, stops it."""
    try:
        payload = services.unsubscribe_payload(token)
        if request.method == "POST":
            done = services.unsubscribe(token)
            return render(request, "notifications/unsubscribe.html", {"done": done})
    except ValidationError as error:
        return render(
            request, "notifications/unsubscribe.html", {"error": error_text(error)}, status=400
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {"what": _unsubscribe_subject(payload), "token": token},
    )


def _unsubscribe_subject(payload: list[Any]) -> str:
    if payload[0] == "f":
        follow = Follow.objects.filter(pk=payload[1]).first()
        return _("following %(target)s") % {"target": follow.target} if follow else ""
    labels = [str(kinds.get(key).label) for key in payload[2] if key in services._known()]
    return ", ".join(labels)


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Follow a plan or a commitment by e-mail; the pages carry the form, this answers it."""
    data = request.POST if request.method == "POST" else None
    form = FollowForm(data, initial={"target": request.GET.get("target", "")})
    target = _target(form.data.get("target") if data else request.GET.get("target", ""))
    if target is None:
        return render(
            request,
            "notifications/follow.html",
            {"form": form, "error": _("There is nothing to follow here.")},
            status=400 if data else 404,
        )
    if data is not None and form.is_valid():
        try:
            services.follow_request(
                email=form.cleaned_data["email"],
                target=target,
                language=translation.get_language() or "fr",
                client=client_address(request) or "",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "We sent a message to %(email)s: open its link to confirm that you follow "
                    "%(target)s."
                )
                % {"email": form.cleaned_data["email"], "target": target},
            )
            return HttpResponseRedirect(target.get_absolute_url())  # type: ignore[attr-defined]
    return render(
        request,
        "notifications/follow.html",
        {"form": form, "target": target},
        status=form_status(form) if data is not None else 200,
    )


def _target(value: str | None) -> models.Model | None:
    """``app_label.model:pk`` of a followable row, or None."""
    label, _sep, pk = (value or "").partition(":")
    model = kinds.followable(label)
    if model is None or not pk.isdigit() or len(pk) > 18:
        return None
    return model._default_manager.filter(pk=int(pk)).first()


@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation mail: a GET shows one button, its POST confirms."""
    if request.method == "POST":
        try:
            followed = services.follow_confirm(token)
        except ValidationError as error:
            return render(
                request, "notifications/follow_confirm.html", {"error": error_text(error)},
                status=400,
            )  # fmt: skip
        messages.success(
            request,
            _("You now follow %(target)s: you will receive its news by e-mail.")
            % {"target": followed.target},
        )
        return HttpResponseRedirect(followed.target.get_absolute_url())  # type: ignore[union-attr]
    return render(request, "notifications/follow_confirm.html", {"token": token})
