"""generate_report and generate_minutes share documents.commands: the same output, and the same
answer when the generation fails (the failure is kept on the version, as the worker keeps it)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import documents.pdf
from meetings.models import MinutesVersion
from reports.models import ReportVersion
from tests.factories import ActivityFactory, CommitmentFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    commitment = CommitmentFactory()
    ActivityFactory(commitment=commitment)
    return commitment.plan


def broken(html: str) -> bytes:
    raise RuntimeError("disk full")


@pytest.mark.parametrize("kind", ["report", "minutes"])
def test_both_commands_write_the_pdf_and_say_so(kind, plan, tmp_path, capsys, fake_pdf):
    out = tmp_path / f"{kind}.pdf"
    if kind == "report":
        call_command("generate_report", "--plan", plan.code, "--out", str(out))
    else:
        meeting = MeetingFactory(plan=plan)
        call_command("generate_minutes", "--meeting", str(meeting.pk), "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    # The fake layout's blank page per part: the report's cover, contents, summaries, its one
    # commitment and the annexes.
    pages = 5 if kind == "report" else 1
    assert f"{out}: {pages} pages, data " in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["report", "minutes"])
def test_both_commands_answer_a_failure_the_same_way(kind, plan, tmp_path, monkeypatch):
    monkeypatch.setattr(documents.pdf, "html_to_pdf", broken)
    monkeypatch.setattr(documents.pdf, "lay_out", broken)  # the report's parts
    out = tmp_path / f"{kind}.pdf"
    with pytest.raises(CommandError, match=r"^Generation failed: RuntimeError: disk full$"):
        if kind == "report":
            call_command("generate_report", "--plan", plan.code, "--out", str(out))
        else:
            meeting = MeetingFactory(plan=plan)
            call_command("generate_minutes", "--meeting", str(meeting.pk), "--out", str(out))
    model = ReportVersion if kind == "report" else MinutesVersion
    assert model.objects.get().error == "RuntimeError: disk full"
    assert not out.exists()
