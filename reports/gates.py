"""What each step of a report's workflow needs: the one rule behind the checklist the
secretariat's page shows before the click and the refusal of ``services.report_stage_change``
(the same list of what is missing)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commitments.models import Commitment

from .generation import ready_from_current_data
from .models import FILLED_STATES, Report, ReportComment, ReportVersion


def stage_missing(
    report: Report,
    stage: str,
    *,
    transmitted_on: datetime.date | None = None,
    transmitted_how: str = "",
    today: datetime.date | None = None,
) -> list[str]:
    """What ``report`` lacks to move to ``stage``, one sentence per unmet condition; empty when
    it may move. One step back is always allowed."""
    today = today or timezone.localdate()
    if stage == report.previous_stage:
        return []
    if stage != report.next_stage:
        return [
            _("A report moves one stage at a time (now: %(stage)s).")
            % {"stage": report.get_stage_display()}
        ]
    if stage == Report.Stage.REVIEW:
        return pdf_from_current_data_missing(report)
    if stage == Report.Stage.CONSULTATION:
        return _sheets_missing(report) + consultation_dates_missing(report)
    if stage == Report.Stage.VALIDATED:
        return (
            _consultation_not_over(report, today)
            + _comments_unsettled(report)
            + pdf_from_current_data_missing(report)
        )
    if stage == Report.Stage.PUBLISHED:
        return _validated_version_missing(report)
    return _transmission_missing(transmitted_on, transmitted_how, today)


def pdf_from_current_data_missing(report: Report) -> list[str]:
    if ready_from_current_data(report):
        return []
    if not report.versions.filter(status=ReportVersion.Status.READY).exists():
        return [_("Generate the report's PDF: no version is ready yet.")]
    return [_("Generate the PDF again: no ready version was made from the current data.")]


def _sheets_missing(report: Report) -> list[str]:
    accounted = set(
        report.sheets.filter(state__in=FILLED_STATES).values_list("commitment_id", flat=True)
    )
    accounted |= set(report.sheet_exemptions.values_list("commitment_id", flat=True))
    commitments = Commitment.objects.filter(plan=report.plan).active().order_by("number")
    return [
        _(
            "Commitment %(number)s (%(title)s): the sheet is not submitted and no exception is "
            "recorded."
        )
        % {"number": commitment.number, "title": commitment.title}
        for commitment in commitments
        if commitment.pk not in accounted
    ]


def consultation_dates_missing(report: Report) -> list[str]:
    """The consultation's dates, and its length against the plan's minimum."""
    days, minimum = report.consultation_days, report.plan.consultation_min_days
    if days is None:
        return [_("Set the opening and closing dates of the public consultation.")]
    if days < minimum:
        return [
            ngettext(
                "The public consultation lasts %(days)s day from its opening to its closing "
                "day; the plan asks for at least %(minimum)s.",
                "The public consultation lasts %(days)s days from its opening to its closing "
                "day; the plan asks for at least %(minimum)s.",
                days,
            )
            % {"days": days, "minimum": minimum}
        ]
    return []


def _consultation_not_over(report: Report, today: datetime.date) -> list[str]:
    closes = report.consultation_closes_on
    if closes is None:
        return [_("Set the opening and closing dates of the public consultation.")]
    if today <= closes:
        return [
            _("The public consultation closes on %(date)s: wait until it is over.")
            % {"date": date_format(closes, "SHORT_DATE_FORMAT")}
        ]
    return []


def _comments_unsettled(report: Report) -> list[str]:
    missing = []
    comments = report.comments.select_related("author").order_by("created_at", "pk")
    for comment in comments:
        if comment.is_settled:
            continue
        if comment.moderation == ReportComment.Moderation.PENDING:
            text = _("The comment by %(author)s (%(date)s) awaits moderation.")
        elif comment.moderation == ReportComment.Moderation.REJECTED:
            text = _(
                "The comment by %(author)s (%(date)s) was not published and no reason is recorded."
            )
        else:
            text = _("The comment by %(author)s (%(date)s) has no answer.")
        date = date_format(timezone.localdate(comment.created_at), "SHORT_DATE_FORMAT")
        missing.append(text % {"author": comment.author_label, "date": date})
    return missing


def _validated_version_missing(report: Report) -> list[str]:
    version = report.validated_version
    if version is None or version.status != ReportVersion.Status.READY:
        return [
            _("No validated version is recorded: go back to the consultation and validate again.")
        ]
    return []


def _transmission_missing(
    transmitted_on: datetime.date | None, transmitted_how: str, today: datetime.date
) -> list[str]:
    missing = []
    if transmitted_on is None:
        missing.append(_("Give the date on which the report was sent to the OGP."))
    elif transmitted_on > today:
        missing.append(_("The date of transmission cannot be in the future."))
    if not transmitted_how.strip():
        missing.append(
            _(
                "Say how the report was sent to the OGP (for example, an e-mail to the OGP "
                "support unit)."
            )
        )
    return missing
