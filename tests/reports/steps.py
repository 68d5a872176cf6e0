"""Takes a report through the gates of its workflow the honest way: the services, each given
what its gate asks for (sheets filled during the draft, a PDF made from the current data, the
consultation's dates, comments answered, how it was sent to the OGP)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commitments.models import Commitment
from reports.gates import stage_missing
from reports.generation import REPORT
from reports.models import AssessmentSheet, Report
from reports.services import report_consultation_schedule, report_stage_change
from tests.reports.factories import AssessmentSheetFactory, ReportVersionFactory

# A consultation long over: from the opening day to the closing day included, 15 days.
PAST_CONSULTATION = (datetime.date(2023, 4, 3), datetime.date(2023, 4, 17))


def ready_version(report, language="fr"):
    """A version generated now (the worker's work, synchronously)."""
    return REPORT.generate(ReportVersionFactory(report=report, language=language).pk)


def submit_every_sheet(report) -> None:
    """Every active commitment's focal point submits their sheet (during the draft)."""
    filled = set(report.sheets.values_list("commitment_id", flat=True))
    for commitment in Commitment.objects.filter(plan=report.plan).active():
        if commitment.pk not in filled:
            AssessmentSheetFactory(
                report=report,
                commitment=commitment,
                state=AssessmentSheet.State.SUBMITTED,
                results=f"Résultats de l'engagement {commitment.number}",
                submitted_at=timezone.now(),
            )


def consultation_for(days: int) -> tuple[datetime.date, datetime.date]:
    """A consultation opening today and lasting ``days`` days (closing day included)."""
    today = timezone.localdate()
    return today, today + datetime.timedelta(days=days - 1)


def close_the_consultation(report) -> None:
    """Time passes: the consultation's dates move back so that it ended yesterday."""
    report.refresh_from_db()
    shift = report.consultation_closes_on - timezone.localdate() + datetime.timedelta(days=1)
    Report.objects.filter(pk=report.pk).update(
        consultation_opens_on=report.consultation_opens_on - shift,
        consultation_closes_on=report.consultation_closes_on - shift,
    )
    report.refresh_from_db()


def walk(report, *stages, user, consultation=PAST_CONSULTATION):
    """Move ``report`` through ``stages``, doing first what each gate needs."""
    for stage in stages:
        extra = {}
        if stage == Report.Stage.REVIEW:
            submit_every_sheet(report)
            ready_version(report)
        elif stage == Report.Stage.CONSULTATION and not report.consultation_closes_on:
            report_consultation_schedule(
                report=report, opens_on=consultation[0], closes_on=consultation[1], user=user
            )
        elif stage == Report.Stage.TRANSMITTED:
            extra = {
                "transmitted_on": timezone.localdate(),
                "transmitted_how": "E-mail to the OGP support unit",
            }
        report_stage_change(report=report, stage=stage, user=user, **extra)
    report.refresh_from_db()


def refused(report, stage, user, **details) -> list[str]:
    """What the service says is missing when it refuses the step (and that nothing moved)."""
    before = (report.stage, report.stage_changes.count())
    with pytest.raises(ValidationError) as error:
        report_stage_change(report=report, stage=stage, user=user, **details)
    report.refresh_from_db()
    assert (report.stage, report.stage_changes.count()) == before
    assert stage_missing(report, stage, **details) == error.value.messages
    return error.value.messages


def page(client, report) -> str:
    return client.get(f"/en/secretariat/reports/{report.pk}/").content.decode()
