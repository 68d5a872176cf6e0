"""The report is generated from live data into a PDF that says what the data says.

The PDF is laid out for real (WeasyPrint) where what it says is the point, once per language;
elsewhere the ``fake_pdf`` layout stands in."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from pypdf import PdfReader

from commitments.models import Commitment, Plan
from commitments.services import (
    EvidenceInput,
    UpdateEntry,
    progress_update_submit,
    progress_update_validate,
)
from commitments.summaries import plan_summary
from documents.models import LaidOutPart
from ogp_portal.celery import app as celery_app
from reports.generation import REPORT
from reports.layout import owner
from reports.models import Report, ReportVersion
from tests.reports.factories import ReportVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(demo):
    return Report.objects.get(plan__code="PAN-2021-2023")


def generate(report, language):
    version = ReportVersionFactory(report=report, language=language)
    return REPORT.generate(version.pk)


def pages_text(version) -> list[str]:
    with version.pdf.open("rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def shows_percent(text: str, percent: int) -> bool:
    # Arabic text comes back right to left: "% 65" rather than "65 %".
    return bool(re.search(rf"(?<!\d){percent} ?%|% ?{percent}(?!\d)", text))


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_pdf_has_every_commitments_title_and_figure(report, language):
    version = generate(report, language)
    assert version.status == ReportVersion.Status.READY
    pages = pages_text(version)
    assert version.pages == len(pages) > 22
    with translation.override(language):
        rows = plan_summary(report.plan).rows
        titles = {row.commitment.number: (row.commitment.title, row.percent) for row in rows}
    assert len(titles) == 22
    body = pages[3:]  # after the cover and the table of contents
    for number, (title, percent) in titles.items():
        section = [page for page in body if title[:60] in page]
        assert section, f"commitment {number} missing in {language}"
        assert any(shows_percent(page, percent) for page in section), (number, percent)
    assert shows_percent(pages[0], 75)  # the cover's overall progress


def test_arabic_pdf_is_right_to_left_with_shaped_arabic(report):
    version = generate(report, "ar")
    with version.pdf.open("rb") as pdf:
        raw = pdf.read()
    reader = PdfReader(io.BytesIO(raw))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages[:6]
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("Arabic" in name for name in fonts), fonts
    text = " ".join(pages_text(version))
    assert "تعزيز شفافية الميزانية" in text


def test_regenerating_from_unchanged_data_says_so(report, fake_pdf):
    first = generate(report, "fr")
    second = generate(report, "fr")
    assert second.data_hash == first.data_hash
    assert second.same_data_as == first
    assert ReportVersion.objects.filter(report=report).count() == 2  # every version is kept


def test_a_later_update_changes_the_next_versions_hash_and_figure(report, secretariat, fake_pdf):
    first = generate(report, "fr")
    commitment = Commitment.objects.get(plan=report.plan, number=3)
    activity = commitment.activities.get(progress=0, position=2)
    focal = commitment.focal_point_assignments.current().get().user
    update = progress_update_submit(
        entry=UpdateEntry(
            activity=activity,
            progress=60,
            evidence=[EvidenceInput(url="https://example.org/charte.pdf")],
        ),
        author=focal,
    )
    progress_update_validate(update=update, reviewer=secretariat)
    second = generate(report, "fr")
    assert second.data_hash != first.data_hash
    assert second.same_data_as is None
    new_percent = plan_summary(report.plan).rows[2].percent
    assert new_percent > 47
    # Commitment 3's part, laid out again for the second version, shows the new figure.
    section = fake_pdf.containing('id="commitment-3"').split('id="commitment-3"')[1]
    assert f'<p class="figure">{new_percent}\u00a0%</p>' in section


def test_generate_report_command_writes_the_same_pdf(
    report, tmp_path, capsys, fake_pdf, monkeypatch
):
    # As in production: tasks go to the broker, yet the command lays the demo's parts out
    # itself (22 commitments in 3 parts, the summaries and the annexes: more than one task's
    # worth, a chord).
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    out = tmp_path / "rapport.pdf"
    call_command("generate_report", "--plan", "PAN-2021-2023", "--lang", "fr", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    version = ReportVersion.objects.get(report=report)
    assert version.status == ReportVersion.Status.READY
    with version.pdf.open("rb") as pdf:
        assert pdf.read() == out.read_bytes()
    assert "pages" in capsys.readouterr().out
    assert version.parts_total == version.parts_done == 5
    assert celery_app.conf.task_always_eager is False
    # The front matter and the footers were laid out by two tasks of their own, after the
    # parts' chord and before the assembly (only those tasks give the footers a role).
    parts = LaidOutPart.objects.filter(owner=owner(report.pk, "fr"))
    assert "footers" in set(parts.values_list("layout__role", flat=True))


def test_generate_report_command_refuses_an_unknown_plan(tmp_path):
    with pytest.raises(CommandError, match="No plan"):
        call_command("generate_report", "--plan", "NOPE", "--out", str(tmp_path / "x.pdf"))


def test_plan_without_a_report_gets_a_draft_covering_its_period(demo, tmp_path, fake_pdf):
    plan = Plan.objects.get(code="PAN-2018-2020")
    Report.objects.filter(plan=plan).delete()
    call_command("generate_report", "--plan", plan.code, "--out", str(tmp_path / "r.pdf"))
    report = Report.objects.get(plan=plan)
    assert (report.period_start, report.period_end) == (plan.start_date, plan.end_date)
    assert report.stage == Report.Stage.DRAFT


def test_the_report_recalls_the_co_creation_and_the_committee_meetings(report):
    version = generate(report, "fr")
    text = " ".join(pages_text(version))
    # The co-creation of the plan, as the minutes of 21 December 2020 report it.
    assert "804" in text and "232" in text and "21 décembre 2020" in text
    # The steering committee of 28 March 2023, with the global progress frozen at it (75 %).
    assert "Comité de pilotage du gouvernement ouvert" in text
    assert "28/03/2023" in text
