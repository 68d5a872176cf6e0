"""The minutes the portal generates for the two seed meetings say what the seeds say: every fact
of the seed, line by line (docs/demo-data.md, "What the generated minutes say"), and nothing the
seed lacks. Each seed's minutes are laid out once (WeasyPrint) and read back with pypdf; the
public meeting page shows the same text, with no PDF generated."""

import io
import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from documents.pdf import render_pdf
from meetings.contexts import build_minutes_context
from meetings.models import Meeting, MinutesVersion
from tests.meetings.seed_minutes import (
    SEED_FILES,
    SEEDS_DIR,
    SHARED_SEEDS_DIR,
    compare,
    html_lines,
    joined,
    normalise,
    seed_facts,
)

pytestmark = pytest.mark.django_db

KINDS = ["steering", "implementation"]
# Headings and column titles of the minutes: layout, as the seeds' own.
LAYOUT = [
    "Minutes",
    "Date of the meeting",
    "Place",
    "Participants",
    "Absent",
    "Agenda",
    "Points discussed",
    "Opening remarks",
    "Commitments",
    "Completion rate",
    "Unfinished activities",
    "Remarks",
    "Calendar",
    "Steps",
    "Decisions",
]
_LAID_OUT: dict[str, list[str]] = {}


def seed_meeting(kind: str) -> Meeting:
    return Meeting.objects.select_related("committee", "plan").get(committee__kind=kind)


def labels(meeting: Meeting) -> list[str]:
    """The minutes' own words in French: headings, and the header naming committee and plan."""
    with translation.override("fr"):
        header = gettext("Meeting of the %(committee)s") % {"committee": meeting.committee.name}
        return [*(gettext(label) for label in LAYOUT), header, meeting.plan.title]


def pdf_lines(kind: str) -> list[str]:
    """The French minutes of the seed's meeting, laid out once per module, read back by line."""
    if kind not in _LAID_OUT:
        with translation.override("fr"):
            context = build_minutes_context(seed_meeting(kind), "fr")
            pdf = render_pdf("meetings/minutes_pdf.html", {"minutes": context})
        pages = PdfReader(io.BytesIO(pdf)).pages
        _LAID_OUT[kind] = [line for page in pages for line in page.extract_text().splitlines()]
    return _LAID_OUT[kind]


def record_of(page: str) -> str:
    """The minutes as the meeting page shows them (the portal's own figures are outside)."""
    found = re.search(r'<article id="record".*?</article>', page, flags=re.S)
    assert found, "the page shows no minutes"
    return found.group(0)


def computed_of(page: str) -> str:
    found = re.search(r'<aside id="computed".*?</aside>', page, flags=re.S)
    assert found, "the page shows no figures of the portal"
    return found.group(0)


@pytest.mark.parametrize("kind", KINDS)
def test_the_generated_minutes_hold_every_fact_of_the_seed(demo, kind):
    meeting = seed_meeting(kind)
    assert compare(kind, pdf_lines(kind), labels(meeting)).missing == []


@pytest.mark.parametrize("kind", KINDS)
def test_the_generated_minutes_say_nothing_the_seed_lacks(demo, kind):
    meeting = seed_meeting(kind)
    assert compare(kind, pdf_lines(kind), labels(meeting)).added == []


def test_the_global_figure_is_in_the_minutes_only_as_the_seed_states_it(demo):
    steering, implementation = joined(pdf_lines("steering")), joined(pdf_lines("implementation"))
    assert "Avancement global" not in steering and "74,64" not in steering
    # "Avancement global du Plan d'action national : 84%", once; the mean (83,3 %) is the portal's.
    assert implementation.count("84 %") == 1 and "83,3" not in implementation


def test_the_comparison_catches_what_the_seed_lacks_and_what_it_misses(demo):
    added = [
        "Avancement global du plan d'action national : 75 %",
        "Le relevé des conclusions ne donne pas d'avancement global : 74,64 % est la moyenne",
        "Responsable : Ministère de Transition Numérique · Statut : Ouverte",
    ]
    meeting = seed_meeting("steering")
    assert compare("steering", pdf_lines("steering") + added, labels(meeting)).added == added
    without = [line for line in pdf_lines("steering") if "BENNANI" not in line]
    missing = compare("steering", without, labels(meeting)).missing
    assert missing == ["Mme. Houdna BENNANI, Association démocratique des femmes du Maroc"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_public_page_shows_the_minutes_as_text_without_a_pdf(demo, kind):
    meeting = seed_meeting(kind)
    assert not MinutesVersion.objects.filter(meeting=meeting).exists()
    page = Client().get(f"/fr/meetings/{meeting.pk}/").content.decode()
    comparison = compare(kind, html_lines(record_of(page)), labels(meeting))
    assert comparison.missing == [] and comparison.added == []


def test_the_page_gives_the_portals_own_figures_beside_the_minutes(demo):
    steering = Client().get(f"/fr/meetings/{seed_meeting('steering').pk}/").content.decode()
    record, computed = record_of(steering), computed_of(steering)
    assert "Avancement global" not in record and "74,64" not in record
    assert re.search(r'data-testid="global-progress">75&nbsp;%', computed)
    with translation.override("fr"):
        marked = gettext("Computed by the portal, not part of the minutes")
    assert marked in computed
    assert "74,64 %" in normalise(computed)  # the note on the method
    implementation = Client().get(f"/fr/meetings/{seed_meeting('implementation').pk}/")
    computed = normalise(computed_of(implementation.content.decode()))
    assert "83,3 %" in computed


def test_the_seeds_are_read_as_their_facts():
    steering, implementation = seed_facts("steering"), seed_facts("implementation")
    people = [fact for fact in steering if fact.startswith(("M. ", "Mme. "))]
    assert len(people) == 20
    assert "Représentante de la Direction Générale des Collectivités Territoriales" in steering
    assert len([fact for fact in steering if re.match(r"\d+ \D.* \d+ % ", fact)]) == 22
    assert steering[-1].startswith("Organisation d'un atelier de deux jours")
    assert "Mme. Hajar HADI, suppléante point focal engagement 10" in implementation
    rows = [fact for fact in implementation if re.match(r"\d+ \d+ % ", fact)]
    assert [int(row.split()[0]) for row in rows] == [3, 4, 6, 7, 10, 11, 13, 14, 15, 17, 18]
    assert rows[3].endswith("dans le cadre de son budget annuel de l'année 2021.")


def test_the_seed_copy_equals_the_shared_seeds():
    """tests/meetings/seeds is a copy of ../shared/seeds: where the shared folder is present,
    they must not have drifted apart."""
    if not SHARED_SEEDS_DIR.exists():
        pytest.skip("../shared/seeds is not beside this clone")
    for name in SEED_FILES.values():
        assert (SEEDS_DIR / name).read_bytes() == (SHARED_SEEDS_DIR / name).read_bytes()
