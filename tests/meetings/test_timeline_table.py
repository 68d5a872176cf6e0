"""A timeline's table (dashboard, timelines, co-creation) is written in Python
(``{% timeline_table timeline %}``): the same HTML, whitespace aside, as the template it
replaced, kept here as the reference, whatever the steps hold and in every language."""

import datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from meetings.models import TimelineStep
from meetings.templatetags.meetings import timeline_table
from tests.commitments.test_commitment_table import normalized
from tests.meetings.factories import TimelineFactory, TimelineStepFactory

pytestmark = pytest.mark.django_db

# templates/meetings/_timeline_table.html as it was before it was written in Python.
REFERENCE = Template(
    "{% load meetings %}" + (Path(__file__).parent / "timeline_table_reference.html").read_text()
)
Status, Precision = TimelineStep.Status, TimelineStep.Precision


@pytest.fixture
def timeline():
    """A title with markup and no Arabic translation; steps planned by the month or the day,
    over one month or several, done, late, with a note, with markup."""
    today = timezone.localdate()
    timeline = TimelineFactory(title_fr='Rapport <b>"2023"</b> & co', title_ar="")
    TimelineStepFactory(
        timeline=timeline,
        title_fr="Collecte",
        title_ar="جمع",
        starts_on=datetime.date(2023, 4, 1),
        ends_on=datetime.date(2023, 5, 31),
        status=Status.DONE,
        done_on=datetime.date(2023, 5, 30),
        note_fr="Avec la société civile <i>&</i>",
    )
    TimelineStepFactory(
        timeline=timeline,
        title_fr="<script>x</script> Validation",
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today - datetime.timedelta(days=3),
        precision=Precision.DAY,
        status=Status.IN_PROGRESS,
    )
    TimelineStepFactory(
        timeline=timeline,
        title_fr="Publication",
        starts_on=today + datetime.timedelta(days=10),
        precision=Precision.DAY,
    )
    TimelineStepFactory(
        timeline=timeline,
        title_fr="Bilan",
        starts_on=datetime.date(2023, 11, 1),
        ends_on=datetime.date(2024, 2, 1),
    )
    return timeline


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_table_is_the_template_s(timeline, language):
    with translation.override(language):
        expected = REFERENCE.render(Context({"timeline": timeline, "actual": True}))
        written = timeline_table(timeline)
    assert expected.count('class="stale"') == 2  # the two steps past their end, not done
    assert normalized(written) == normalized(expected)


def test_an_empty_timeline_has_its_head_and_no_row():
    timeline = TimelineFactory()
    expected = REFERENCE.render(Context({"timeline": timeline, "actual": True}))
    assert normalized(timeline_table(timeline)) == normalized(expected)
    assert "<tr data-step" not in timeline_table(timeline)
