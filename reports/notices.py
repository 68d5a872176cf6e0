"""What the reports tell people (docs/notifications.md): the sheets asked for, returned,
accepted and near their deadline (the commitment's focal points), each stage of the report
(the committee members with an account), the consultation opened and the report published
(the plan's followers), a comment published or not (its author). Each ``describe_*`` runs in
the recipient's language."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.models import Commitment
from commitments.notices import focal_points
from meetings.models import CommitteeMember
from notifications import kinds, services
from notifications.models import Notification

from .models import AssessmentSheet, Report, ReportComment, ReportStageChange


def committee_users() -> list[User]:
    """The committee members with an account who hold a current seat, on any committee."""
    seats = CommitteeMember.objects.current().filter(user__isnull=False).select_related("user")
    return list({seat.user_id: seat.user for seat in seats}.values())


# Telling ---------------------------------------------------------------------------------


def sheet_requested(report: Report, commitment: Commitment) -> list[Notification]:
    return services.notify(
        "sheet_requested",
        key=f"sheet_requested:{report.pk}:{commitment.pk}",
        target=report,
        users=focal_points(commitment),
        data={"commitment": commitment.pk},
    )


def sheet_deadline(report: Report, commitment: Commitment) -> list[Notification]:
    """Once per sheet and deadline: a deadline moved is reminded again."""
    return services.notify(
        "sheet_deadline",
        key=f"sheet_deadline:{report.pk}:{commitment.pk}:{report.sheet_deadline}",
        target=report,
        users=focal_points(commitment),
        data={"commitment": commitment.pk},
    )


def sheet_reviewed(sheet: AssessmentSheet) -> list[Notification]:
    """Accepted or returned: each review is an event (a sheet may be returned several times)."""
    kind = "sheet_accepted" if sheet.state == AssessmentSheet.State.REVIEWED else "sheet_returned"
    moment = sheet.reviewed_at.isoformat() if sheet.reviewed_at else ""
    return services.notify(
        kind,
        key=f"{kind}:{sheet.pk}:{moment}",
        target=sheet,
        users=focal_points(sheet.commitment),
    )


def stage_changed(change: ReportStageChange) -> list[Notification]:
    """The committee members hear of every stage but the draft, which they cannot see."""
    if change.stage == Report.Stage.DRAFT:
        return []
    return services.notify(
        "report_stage_changed",
        key=f"report_stage_changed:{change.pk}",
        target=change,
        users=committee_users(),
    )


def consultation_opened(report: Report, change: ReportStageChange) -> list[Notification]:
    """``change``: the report's entry into its current consultation, told once."""
    return services.notify(
        "report_consultation_opened",
        key=f"report_consultation_opened:{change.pk}",
        target=report,
        followers_of=[report.plan],
    )


def report_published(report: Report, change: ReportStageChange) -> list[Notification]:
    return services.notify(
        "report_published",
        key=f"report_published:{change.pk}",
        target=report,
        followers_of=[report.plan],
    )


def comment_moderated(comment: ReportComment) -> list[Notification]:
    """Its author: by their account, else at the address they gave (the comment form says
    what it is used for), in the language they wrote in."""
    published = {"published": comment.moderation == ReportComment.Moderation.APPROVED}
    if comment.author is not None:
        kind = "my_report_comment_moderated"
        return services.notify(
            kind,
            key=f"{kind}:{comment.pk}:{comment.moderation}",
            target=comment,
            users=[comment.author],
            data=published,
        )
    kind = "report_comment_moderated"
    return services.notify(
        kind,
        key=f"{kind}:{comment.pk}:{comment.moderation}",
        target=comment,
        addresses=[(comment.email, comment.language)] if comment.email else [],
        data=published,
    )


# Reading ---------------------------------------------------------------------------------


def _date(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _data_commitment(notification: Notification) -> Commitment | None:
    return Commitment.objects.filter(pk=notification.data.get("commitment")).first()


def _sheet_url(report: Report, commitment: Commitment) -> str:
    return reverse("reports:sheet_edit", args=[report.pk, commitment.pk])


def _sheet_values(report: Report, commitment: Commitment) -> dict[str, object]:
    return {"number": commitment.number, "commitment": commitment.title, "report": report.title}


def describe_requested(notification: Notification) -> kinds.Message:
    report: Report = notification.target  # type: ignore[assignment]
    commitment = _data_commitment(notification)
    if commitment is None:
        return kinds.Message(str(kinds.get(notification.kind).label), "", "")
    values = _sheet_values(report, commitment)
    body = (
        _(
            "The self-assessment report “%(report)s” is being drafted: fill in the "
            "self-assessment sheet of commitment %(number)s “%(commitment)s” and submit it to "
            "the secretariat."
        )
        % values
    )
    if report.sheet_deadline:
        body += "\n" + _("Deadline: %(date)s") % {"date": _date(report.sheet_deadline)}
    return kinds.Message(
        subject=_("Commitment %(number)s: your self-assessment sheet is awaited") % values,
        body=body,
        url=_sheet_url(report, commitment),
    )


def describe_deadline(notification: Notification) -> kinds.Message:
    report: Report = notification.target  # type: ignore[assignment]
    commitment = _data_commitment(notification)
    if commitment is None or report.sheet_deadline is None:
        return kinds.Message(str(kinds.get(notification.kind).label), "", "")
    values = {**_sheet_values(report, commitment), "date": _date(report.sheet_deadline)}
    return kinds.Message(
        subject=_("Commitment %(number)s: the self-assessment sheet is due on %(date)s") % values,
        body=_(
            "The self-assessment sheet of commitment %(number)s “%(commitment)s” for the "
            "report “%(report)s” is due on %(date)s and not submitted yet."
        )
        % values,
        url=_sheet_url(report, commitment),
    )


def describe_returned(notification: Notification) -> kinds.Message:
    sheet: AssessmentSheet = notification.target  # type: ignore[assignment]
    values = {**_sheet_values(sheet.report, sheet.commitment), "note": sheet.review_note}
    return kinds.Message(
        subject=_("Commitment %(number)s: your self-assessment sheet was returned") % values,
        body=_(
            "The secretariat returned the self-assessment sheet of commitment %(number)s "
            "“%(commitment)s” (report “%(report)s”) with this note:\n%(note)s\nComplete it and "
            "submit it again."
        )
        % values,
        url=_sheet_url(sheet.report, sheet.commitment),
    )


def describe_accepted(notification: Notification) -> kinds.Message:
    sheet: AssessmentSheet = notification.target  # type: ignore[assignment]
    values = _sheet_values(sheet.report, sheet.commitment)
    body = (
        _(
            "The secretariat accepted the self-assessment sheet of commitment %(number)s "
            "“%(commitment)s” for the report “%(report)s”."
        )
        % values
    )
    if sheet.review_note:
        body += "\n" + _("Note: %(note)s") % {"note": sheet.review_note}
    return kinds.Message(
        subject=_("Commitment %(number)s: your self-assessment sheet was accepted") % values,
        body=body,
        url=_sheet_url(sheet.report, sheet.commitment),
    )


def describe_stage(notification: Notification) -> kinds.Message:
    change: ReportStageChange = notification.target  # type: ignore[assignment]
    values = {
        "report": change.report.title,
        "stage": change.get_stage_display(),
        "date": _date(timezone.localdate(change.changed_at)),
    }
    body = _("The report “%(report)s” moved to the stage “%(stage)s” on %(date)s.") % values
    if change.note:
        body += "\n" + _("Note: %(note)s") % {"note": change.note}
    return kinds.Message(
        subject=_("%(report)s: now at the stage %(stage)s") % values,
        body=body,
        url=change.report.get_absolute_url(),
    )


def describe_consultation(notification: Notification) -> kinds.Message:
    report: Report = notification.target  # type: ignore[assignment]
    values = {"report": report.title, "plan": report.plan.title}
    body = _("The draft report “%(report)s” on the plan “%(plan)s” is open for comments.") % values
    if report.consultation_opens_on and report.consultation_closes_on:
        body += "\n" + _("Anyone may comment from %(opens)s to %(closes)s included.") % {
            "opens": _date(report.consultation_opens_on),
            "closes": _date(report.consultation_closes_on),
        }
    return kinds.Message(
        subject=_("Public consultation open: %(report)s") % values,
        body=body,
        url=report.get_absolute_url(),
    )


def describe_published(notification: Notification) -> kinds.Message:
    report: Report = notification.target  # type: ignore[assignment]
    values = {"report": report.title, "plan": report.plan.title}
    return kinds.Message(
        subject=_("Report published: %(report)s") % values,
        body=_("The self-assessment report “%(report)s” on the plan “%(plan)s” is published.")
        % values,
        url=report.get_absolute_url(),
    )


def describe_comment(notification: Notification) -> kinds.Message:
    comment: ReportComment = notification.target  # type: ignore[assignment]
    values = {"report": comment.report.title}
    quoted = comment.body if len(comment.body) <= 500 else comment.body[:500] + "…"
    if notification.data.get("published"):
        subject = _("Your comment on %(report)s is published") % values
        body = _("Your comment is now shown on the report's page:") + f"\n“{quoted}”"
    else:
        subject = _("Your comment on %(report)s was not published") % values
        body = _("The secretariat did not publish your comment:") + f"\n“{quoted}”"
        if comment.response:
            body += "\n" + _("Reason: %(reason)s") % {"reason": comment.response}
    return kinds.Message(subject=subject, body=body, url=comment.report.get_absolute_url())


def register() -> None:
    for kind in [
        kinds.Kind(
            "sheet_requested",
            gettext_lazy("A self-assessment sheet is awaited"),
            describe_requested,
        ),
        kinds.Kind(
            "sheet_deadline",
            gettext_lazy("The deadline of a self-assessment sheet approaches"),
            describe_deadline,
        ),
        kinds.Kind(
            "sheet_returned",
            gettext_lazy("My self-assessment sheet was returned"),
            describe_returned,
        ),
        kinds.Kind(
            "sheet_accepted",
            gettext_lazy("My self-assessment sheet was accepted"),
            describe_accepted,
        ),
        kinds.Kind(
            "report_stage_changed",
            gettext_lazy("A self-assessment report changes stage (committees)"),
            describe_stage,
        ),
        kinds.Kind(
            "report_consultation_opened",
            gettext_lazy("A public consultation opens on a plan I follow"),
            describe_consultation,
            audience="address",
        ),
        kinds.Kind(
            "report_published",
            gettext_lazy("A report is published on a plan I follow"),
            describe_published,
            audience="address",
        ),
        kinds.Kind(
            "my_report_comment_moderated",
            gettext_lazy("My comment on a report was published or not"),
            describe_comment,
        ),
        kinds.Kind(
            "report_comment_moderated",
            gettext_lazy("A comment I sent on a report was published or not"),
            describe_comment,
            audience="address",
        ),
    ]:
        kinds.register(kind)
