"""What the commitments domain tells people (docs/notifications.md): updates submitted to the
secretariat, validated or returned to the focal points, validated figures to the followers,
hand-overs to both focal points, and the week's escalations to the secretariat and to the lead
institutions' contacts. Each ``describe_*`` runs in the recipient's language."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from notifications import kinds, services
from notifications.models import Notification

from .models import (
    Commitment,
    Escalation,
    FocalPointAssignment,
    Institution,
    Plan,
    ProgressUpdate,
    StalenessReminder,
)
from .roles import secretariat_users


def focal_points(commitment: Commitment) -> list[User]:
    """The commitment's current focal points, titular and alternates."""
    return [
        assignment.user
        for assignment in commitment.focal_point_assignments.current().select_related("user")
    ]


# Telling ---------------------------------------------------------------------------------


def update_submitted(update: ProgressUpdate) -> None:
    services.notify(
        "update_submitted",
        key=f"update_submitted:{update.pk}",
        target=update,
        users=secretariat_users(),
    )


def update_decided(update: ProgressUpdate) -> None:
    """Validated or returned: the commitment's focal points hear it, with the note."""
    kind = (
        "update_validated" if update.state == ProgressUpdate.State.VALIDATED else "update_returned"
    )
    services.notify(
        kind,
        key=f"{kind}:{update.pk}",
        target=update,
        users=focal_points(update.activity.commitment),
    )


def update_counted(update: ProgressUpdate) -> None:
    """A figure became public: the followers of its commitment and of its plan hear it."""
    commitment = update.activity.commitment
    services.notify(
        "followed_update",
        key=f"followed_update:{update.pk}",
        target=update,
        followers_of=[commitment, commitment.plan],
    )


def hand_over(assignment: FocalPointAssignment, previous: list[FocalPointAssignment]) -> None:
    services.notify(
        "hand_over",
        key=f"hand_over:{assignment.pk}",
        target=assignment,
        users=[assignment.user, *(old.user for old in previous)],
        data={"previous": [old.user.get_full_name() or old.user.username for old in previous]},
    )


def escalated(escalations: list[Escalation], week: str) -> None:
    """The week's digest: all of them to the secretariat, and to each lead institution's
    contact those it leads."""
    services.notify(
        "escalation",
        key=f"escalation:{week}",
        users=secretariat_users(),
        data=_escalation_data(escalations, week),
    )
    by_institution: dict[Institution, list[Escalation]] = defaultdict(list)
    for escalation in escalations:
        institution = escalation.commitment.lead_institution
        if institution.contact_email:
            by_institution[institution].append(escalation)
    for institution, own in by_institution.items():
        services.notify(
            "escalation_institution",
            key=f"escalation_institution:{week}:{institution.pk}",
            target=institution,
            addresses=[(institution.contact_email, institution.contact_language)],
            data=_escalation_data(own, week),
        )


def staleness_reminded(reminder: StalenessReminder, users: list[User]) -> None:
    """A stale commitment's focal points are asked for an update (``staleness_reminders_send``)."""
    services.notify(
        "staleness_reminder",
        key=f"staleness_reminder:{reminder.pk}",
        target=reminder,
        users=users,
    )


def _escalation_data(escalations: list[Escalation], week: str) -> dict[str, object]:
    return {
        "week": week,
        "commitments": [e.commitment_id for e in escalations],
        "days": {str(e.commitment_id): e.days_since_update for e in escalations},
    }


# Reading ---------------------------------------------------------------------------------


def _figures(update: ProgressUpdate) -> dict[str, object]:
    activity = update.activity
    return {
        "number": activity.commitment.number,
        "commitment": activity.commitment.title,
        "activity": activity.title,
        "old": update.old_progress,
        "new": update.new_progress,
        "status": update.get_new_status_display(),
    }


def describe_submitted(notification: Notification) -> kinds.Message:
    update: ProgressUpdate = notification.target  # type: ignore[assignment]
    figures = _figures(update)
    author = update.author.get_full_name() or update.author.username if update.author else ""
    return kinds.Message(
        subject=_("Commitment %(number)s: an update awaits validation") % figures,
        body=_(
            "%(author)s recorded %(old)s %% → %(new)s %% (%(status)s) for the activity "
            "“%(activity)s” of commitment %(number)s “%(commitment)s”."
        )
        % {**figures, "author": author},
        url=reverse("commitments:validation_queue"),
    )


def describe_returned(notification: Notification) -> kinds.Message:
    update: ProgressUpdate = notification.target  # type: ignore[assignment]
    figures = _figures(update)
    return kinds.Message(
        subject=_("Commitment %(number)s: your update was returned") % figures,
        body=_(
            "The secretariat returned the update of the activity “%(activity)s” (%(new)s %%) "
            "with this note:\n%(note)s\nCorrect it and submit it again from the update form."
        )
        % {**figures, "note": update.review_note},
        url=reverse("commitments:update", args=[update.activity.commitment_id]),
    )


def describe_validated(notification: Notification) -> kinds.Message:
    update: ProgressUpdate = notification.target  # type: ignore[assignment]
    figures = _figures(update)
    body = (
        _(
            "The secretariat validated the update of the activity “%(activity)s”: %(new)s %% "
            "(%(status)s) is now its public figure."
        )
        % figures
    )
    if update.review_note:
        body += "\n" + _("Note: %(note)s") % {"note": update.review_note}
    return kinds.Message(
        subject=_("Commitment %(number)s: your update was validated") % figures,
        body=body,
        url=update.activity.commitment.get_absolute_url(),
    )


def describe_followed(notification: Notification) -> kinds.Message:
    update: ProgressUpdate = notification.target  # type: ignore[assignment]
    figures = _figures(update)
    return kinds.Message(
        subject=_("Commitment %(number)s: “%(activity)s” is at %(new)s %%") % figures,
        body=_(
            "A validated update of commitment %(number)s “%(commitment)s”: the activity "
            "“%(activity)s” went from %(old)s %% to %(new)s %% (%(status)s)."
        )
        % figures,
        url=update.activity.commitment.get_absolute_url(),
    )


def describe_hand_over(notification: Notification) -> kinds.Message:
    assignment: FocalPointAssignment = notification.target  # type: ignore[assignment]
    commitment = assignment.commitment
    values = {
        "number": commitment.number,
        "commitment": commitment.title,
        "person": assignment.user.get_full_name() or assignment.user.username,
        "role": assignment.get_role_display().lower(),
        "date": _date(assignment.start_date),
        "previous": ", ".join(notification.data.get("previous", [])),
    }
    if values["previous"]:
        body = (
            _(
                "From %(date)s, %(person)s is the %(role)s focal point of commitment %(number)s "
                "“%(commitment)s”, taking over from %(previous)s."
            )
            % values
        )
    else:
        body = (
            _(
                "From %(date)s, %(person)s is the %(role)s focal point of commitment %(number)s "
                "“%(commitment)s”."
            )
            % values
        )
    return kinds.Message(
        subject=_("Commitment %(number)s has a new focal point") % values,
        body=body,
        url=commitment.get_absolute_url(),
    )


def describe_staleness_reminder(notification: Notification) -> kinds.Message:
    reminder: StalenessReminder = notification.target  # type: ignore[assignment]
    commitment = reminder.commitment
    context = {
        "commitment": commitment,
        "days": reminder.days_since_update,
        "threshold": commitment.plan.staleness_threshold_days,
    }
    return kinds.Message(
        subject=_("Commitment %(number)s has not been updated recently")
        % {"number": commitment.number},
        body=render_to_string("commitments/email/staleness_reminder.txt", context).strip(),
        url=reverse("commitments:update", args=[commitment.pk]),
    )


def _escalated_lines(notification: Notification) -> tuple[int, str]:
    """How many commitments the digest lists, and a line for each (plan, number, title, days
    since the update) with the link to its page."""
    data = notification.data
    days: dict[str, int | None] = data.get("days", {})
    commitments = (
        Commitment.objects.filter(pk__in=data.get("commitments", []))
        .select_related("plan")
        .order_by("plan__start_date", "plan__code", "number")
    )
    lines = []
    for commitment in commitments:
        since = days.get(str(commitment.pk))
        if since is None:
            state = _("never updated")
        else:
            state = ngettext(
                "not updated for %(days)d day", "not updated for %(days)d days", since
            ) % {"days": since}
        values = {
            "plan": commitment.plan.code,
            "number": commitment.number,
            "title": commitment.title,
            "state": state,
        }
        line = _("%(plan)s, commitment %(number)s “%(title)s”: %(state)s") % values
        lines.append(f"- {line}\n  {services.absolute(commitment.get_absolute_url())}")
    return len(lines), "\n".join(lines)


def describe_escalation(notification: Notification) -> kinds.Message:
    count, lines = _escalated_lines(notification)
    intro = _(
        "Still not updated on the Open Government Portal although their focal points were "
        "reminded (week %(week)s):"
    ) % {"week": notification.data.get("week", "")}
    return kinds.Message(
        subject=ngettext(
            "%(count)d commitment still stale after its reminder",
            "%(count)d commitments still stale after their reminder",
            count,
        )
        % {"count": count},
        body=f"{intro}\n{lines}",
        url=reverse("commitments:overview"),
    )


def describe_escalation_institution(notification: Notification) -> kinds.Message:
    institution: Institution = notification.target  # type: ignore[assignment]
    count, lines = _escalated_lines(notification)
    values = {"institution": institution.name, "count": count}
    intro = (
        _(
            "The focal points of these commitments led by %(institution)s were reminded, and their "
            "progress has still not been updated on the Open Government Portal:"
        )
        % values
    )
    outro = _(
        "Please see with them that the progress of the activities is recorded, with evidence."
    )
    return kinds.Message(
        subject=ngettext(
            "%(institution)s: %(count)d commitment awaits its progress update",
            "%(institution)s: %(count)d commitments await their progress update",
            count,
        )
        % values,
        body=f"{intro}\n{lines}\n{outro}",
        url=reverse("commitments:institution_detail", args=[institution.code]),
    )


def _date(value: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


def submitted_interval() -> datetime.timedelta | None:
    minutes = settings.NOTIFY_SUBMITTED_EVERY_MINUTES
    return datetime.timedelta(minutes=minutes) if minutes > 0 else None


def register() -> None:
    for kind in [
        kinds.Kind(
            "update_submitted",
            gettext_lazy("An update awaits validation (secretariat)"),
            describe_submitted,
            min_interval=submitted_interval,
        ),
        kinds.Kind("update_returned", gettext_lazy("My update was returned"), describe_returned),
        kinds.Kind("update_validated", gettext_lazy("My update was validated"), describe_validated),
        kinds.Kind(
            "followed_update",
            gettext_lazy("A validated update of what I follow"),
            describe_followed,
            audience="address",
        ),
        kinds.Kind(
            "hand_over", gettext_lazy("A commitment changes focal point"), describe_hand_over
        ),
        kinds.Kind(
            "staleness_reminder",
            gettext_lazy("My commitment has not been updated recently"),
            describe_staleness_reminder,
        ),
        kinds.Kind(
            "escalation",
            gettext_lazy("Commitments still stale after their reminder (secretariat, weekly)"),
            describe_escalation,
        ),
        kinds.Kind(
            "escalation_institution",
            gettext_lazy("Commitments of an institution still stale after their reminder"),
            describe_escalation_institution,
            audience="address",
        ),
    ]:
        kinds.register(kind)
    kinds.register_followable(Plan)
    kinds.register_followable(Commitment)
