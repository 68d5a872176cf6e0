"""What the meetings tell people (docs/notifications.md): a decision assigned to its owner, due
soon or overdue (the owner's members with an account and the secretariat), and minutes
published (the plan's followers). Each ``describe_*`` runs in the recipient's language."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commitments.roles import secretariat_users
from notifications import kinds, services
from notifications.models import Notification

from .models import CommitteeMember, Decision, Meeting


def owner_users(decision: Decision) -> list[User]:
    """The people who answer for a decision's owner: those with an account who hold a current
    seat for that organisation on the committee that took the decision."""
    if decision.owner_id is None:
        return []
    seats = CommitteeMember.objects.current().filter(
        committee_id=decision.meeting.committee_id,
        institution_id=decision.owner_id,
        user__isnull=False,
    )
    return [seat.user for seat in seats.select_related("user")]


# Telling ---------------------------------------------------------------------------------


def decision_assigned(decision: Decision) -> list[Notification]:
    if decision.owner_id is None:
        return []
    return services.notify(
        "decision_assigned",
        key=f"decision_assigned:{decision.pk}:{decision.owner_id}",
        target=decision,
        users=[*owner_users(decision), *secretariat_users()],
    )


def decision_reminder(decision: Decision, kind: str) -> list[Notification]:
    """``decision_due_soon`` or ``decision_overdue``: once per decision and due date."""
    return services.notify(
        kind,
        key=f"{kind}:{decision.pk}:{decision.due_date}",
        target=decision,
        users=[*owner_users(decision), *secretariat_users()],
    )


def minutes_published(meeting: Meeting) -> list[Notification]:
    return services.notify(
        "minutes_published",
        key=f"minutes_published:{meeting.pk}",
        target=meeting,
        followers_of=[meeting.plan],
    )


# Reading ---------------------------------------------------------------------------------


def _decision_facts(decision: Decision) -> dict[str, object]:
    meeting = decision.meeting
    return {
        "decision": decision.text,
        "committee": meeting.committee.name,
        "date": date_format(meeting.date, "DATE_FORMAT"),
        "owner": ", ".join(
            part
            for part in (decision.owner.name if decision.owner else "", decision.owner_detail)
            if part
        ),
        "due": date_format(decision.due_date, "DATE_FORMAT") if decision.due_date else "",
    }


def _decision_url(decision: Decision) -> str:
    return f"{decision.meeting.get_absolute_url()}#decision-{decision.pk}"


def _decision_body(first: str, decision: Decision) -> str:
    facts = _decision_facts(decision)
    lines = [first % facts, f"“{facts['decision']}”"]
    if facts["owner"]:
        lines.append(_("Owner: %(owner)s") % facts)
    if facts["due"]:
        lines.append(_("Due date: %(due)s") % facts)
    return "\n".join(lines)


def describe_assigned(notification: Notification) -> kinds.Message:
    decision: Decision = notification.target  # type: ignore[assignment]
    return kinds.Message(
        subject=_("A decision of the committee is assigned to you"),
        body=_decision_body(
            _("%(committee)s, meeting of %(date)s: a decision is assigned to %(owner)s."),
            decision,
        ),
        url=_decision_url(decision),
    )


def describe_due_soon(notification: Notification) -> kinds.Message:
    decision: Decision = notification.target  # type: ignore[assignment]
    days = (decision.due_date - timezone.localdate()).days if decision.due_date else 0
    days = max(days, 0)
    return kinds.Message(
        subject=ngettext(
            "A decision is due in %(days)d day", "A decision is due in %(days)d days", days
        )
        % {"days": days},
        body=_decision_body(
            _("%(committee)s, meeting of %(date)s: this decision is still open."), decision
        ),
        url=_decision_url(decision),
    )


def describe_overdue(notification: Notification) -> kinds.Message:
    decision: Decision = notification.target  # type: ignore[assignment]
    return kinds.Message(
        subject=_("A decision of the committee is overdue"),
        body=_decision_body(
            _(
                "%(committee)s, meeting of %(date)s: this decision is past its due date and "
                "still open."
            ),
            decision,
        ),
        url=_decision_url(decision),
    )


def describe_minutes(notification: Notification) -> kinds.Message:
    meeting: Meeting = notification.target  # type: ignore[assignment]
    values = {
        "committee": meeting.committee.name,
        "date": date_format(meeting.date, "DATE_FORMAT"),
        "plan": meeting.plan.title,
    }
    return kinds.Message(
        subject=_("Minutes published: %(committee)s, %(date)s") % values,
        body=_(
            "The minutes of the meeting of %(committee)s on %(date)s, about the plan "
            "“%(plan)s”, are published: attendance, points discussed, decisions and the "
            "progress table."
        )
        % values,
        url=meeting.get_absolute_url(),
    )


def register() -> None:
    for kind in [
        kinds.Kind(
            "decision_assigned",
            gettext_lazy("A committee's decision is assigned to my organisation"),
            describe_assigned,
        ),
        kinds.Kind(
            "decision_due_soon",
            gettext_lazy("A committee's decision is due soon"),
            describe_due_soon,
        ),
        kinds.Kind(
            "decision_overdue", gettext_lazy("A committee's decision is overdue"), describe_overdue
        ),
        kinds.Kind(
            "minutes_published",
            gettext_lazy("Minutes published for a plan I follow"),
            describe_minutes,
            audience="address",
        ),
    ]:
        kinds.register(kind)
