"""CSV and XLSX export of a plan, and the import that reads the same format back."""

import csv
import io

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from commitments.imports import plan_import
from commitments.models import Activity, Commitment, Plan, ProgressUpdate
from commitments.spreadsheets import COLUMNS, SpreadsheetError, export_csv, export_xlsx, read_table
from tests.conftest import make_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(demo):
    return Plan.objects.get(code="PAN-2021-2023")


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_export_has_every_activity_with_ogp_ids(plan, anonymous):
    response = anonymous.get("/fr/plans/PAN-2021-2023/export.csv")
    assert response["Content-Disposition"] == 'attachment; filename="PAN-2021-2023.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == Activity.objects.filter(commitment__plan=plan).count()
    first = rows[0]
    assert (first["ogp_id"], first["commitment_number"]) == ("MO0025", "1")
    assert first["commitment_title_ar"] == "تعزيز شفافية الميزانية"
    xlsx = anonymous.get("/fr/plans/PAN-2021-2023/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert sheet.max_row == len(rows) + 1


@pytest.mark.parametrize(("name", "export"), [("plan.xlsx", export_xlsx), ("plan.csv", export_csv)])
def test_exported_file_imports_back_without_a_change(plan, secretariat, name, export):
    content = export(plan)
    before = row_counts()
    rows = read_table(name, content)
    report = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=True)
    assert (report.errors, report.changes) == ([], 0)
    report = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=False)
    assert report.applied and report.changes == 0
    assert row_counts() == before
    # The same cells again (an XLSX file's bytes also hold the time it was written).
    assert read_table(name, export(plan)) == rows


def test_import_records_changes_and_progress_as_updates(plan, secretariat):
    rows = read_table("plan.csv", export_csv(plan))
    target = next(r for r in rows if r["commitment_number"] == "3" and r["progress"] == "0")
    target["progress"] = "35"
    target["activity_status"] = "in_progress"
    for row in rows:
        if row["commitment_number"] == "1":
            row["commitment_title_en"] = "Budget transparency (revised)"
    new = dict(rows[-1], activity_position="99", activity_title_fr="Nouvelle activité",
               activity_title_ar="", activity_title_en="", progress="0",
               activity_status="not_started", blocked_reason="")  # fmt: skip
    rows.append(new)

    dry = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=True)
    assert dry.errors == [] and not dry.applied
    assert dry.progress_updates == 1 and dry.created["activities"] == 1
    assert not ProgressUpdate.objects.filter(source="import").exists()

    report = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=False)
    assert report.applied
    assert report.updated["commitments"] == 1
    update = ProgressUpdate.objects.get(source="import")
    assert (update.new_progress, update.author, update.state) == (35, secretariat, "validated")
    assert Commitment.objects.get(plan=plan, number=1).title_en == "Budget transparency (revised)"
    assert Activity.objects.filter(title_fr="Nouvelle activité").exists()


def test_dry_run_lists_row_errors_and_writes_nothing(plan, secretariat):
    rows = read_table("plan.csv", export_csv(plan))
    rows[0]["progress"] = "140"
    rows[1]["lead_institution"] = "NOPE"
    rows[2]["axis_number"] = "42"
    rows[3]["activity_status"] = "blocked"
    rows[3]["blocked_reason"] = ""
    rows[4]["plan"] = "PAN-2018-2020"
    before = row_counts()
    report = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=False)
    assert not report.applied
    assert {(e.line, e.column) for e in report.errors} == {
        (2, "progress"),
        (3, "lead_institution"),
        (4, "axis_number"),
        (5, "blocked_reason"),
        (6, "plan"),
    }
    assert row_counts() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.txt", b"x", "Send a .csv or .xlsx file."),
        ("plan.csv", b"", "The file is empty."),
        ("plan.csv", b"plan,commitment_number\nX,1\n", "Missing columns"),
        ("plan.xlsx", b"not a workbook", "not a readable XLSX"),
        ("plan.csv", "é".encode("latin-1"), "UTF-8"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name, content, message):
    with translation.override("en"), pytest.raises(SpreadsheetError, match=message):
        read_table(name, content)


def test_import_page_for_the_secretariat(plan, secretariat, focal_point):
    staff = Client()
    staff.force_login(secretariat)
    upload = make_upload("plan.xlsx", export_xlsx(plan))
    response = staff.post(
        "/en/secretariat/import/", {"plan": plan.pk, "file": upload, "dry_run": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "there is nothing to change" in html, html[html.find("import-report") :][:2000]
    bad = make_upload("plan.csv", b"plan\n")
    response = staff.post("/en/secretariat/import/", {"plan": plan.pk, "file": bad})
    assert "Missing columns" in response.content.decode()
    outsider = Client()
    outsider.force_login(focal_point)
    assert outsider.get("/en/secretariat/import/").status_code == 403


def test_rows_of_one_commitment_must_agree(plan, secretariat):
    rows = read_table("plan.csv", export_csv(plan))
    rows[1]["commitment_title_en"] = "Changed on one row only"
    report = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [(3, "commitment_title_en")]
    assert "Differs from line 2" in report.errors[0].message


def test_a_title_that_looks_like_a_formula_stays_text(plan, secretariat):
    Commitment.objects.filter(plan=plan, number=2).update(title_en='=HYPERLINK("http://x")')
    content = export_xlsx(plan)
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [c for c in sheet["G"] if c.value == '=HYPERLINK("http://x")']
    assert cells and all(c.data_type == "s" for c in cells)
    report = plan_import(
        plan=plan, rows=read_table("p.xlsx", content), author=secretariat, dry_run=True
    )
    assert (report.errors, report.changes) == ([], 0)


def test_the_dry_run_lists_each_change_old_and_new(plan, secretariat):
    rows = read_table("plan.csv", export_csv(plan))
    line, target = next(
        (n, r)
        for n, r in enumerate(rows, start=2)
        if r["commitment_number"] == "3" and r["progress"] == "0"
    )
    target["progress"] = "35"
    target["activity_status"] = "in_progress"
    first_line = next(n for n, r in enumerate(rows, start=2) if r["commitment_number"] == "1")
    old_title = rows[first_line - 2]["commitment_title_en"]
    for row in rows:
        if row["commitment_number"] == "1":
            row["commitment_title_en"] = "Budget transparency (revised)"
    with translation.override("en"):
        dry = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=True)
    changes = {(c.line, c.field): (c.old, c.new) for c in dry.change_list}
    assert changes[(first_line, "title [en]")] == (old_title, "Budget transparency (revised)")
    assert changes[(line, "progress (%)")] == ("0", "35")
    assert changes[(line, "status")] == ("Not started", "In progress")
    assert len(dry.change_list) == 3
    # The real run applies exactly that list: the same digest, the same changes.
    report = plan_import(
        plan=plan, rows=rows, author=secretariat, dry_run=False, expected=dry.digest
    )
    assert report.applied and report.digest == dry.digest


def test_the_real_run_refuses_when_the_portal_changed_since_the_preview(plan, secretariat):
    rows = read_table("plan.csv", export_csv(plan))
    rows[0]["commitment_title_en"] = "Budget transparency (revised)"
    for row in rows:
        if row["commitment_number"] == rows[0]["commitment_number"]:
            row["commitment_title_en"] = "Budget transparency (revised)"
    dry = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=True)
    Commitment.objects.filter(plan=plan, number=2).update(title_en="Changed meanwhile")
    before = row_counts()
    report = plan_import(
        plan=plan, rows=rows, author=secretariat, dry_run=False, expected=dry.digest
    )
    assert not report.applied and report.stale
    assert row_counts() == before
    assert Commitment.objects.get(plan=plan, number=2).title_en == "Changed meanwhile"


def test_the_page_previews_then_applies_what_it_showed(plan, secretariat):
    rows = read_table("plan.csv", export_csv(plan))
    number = rows[0]["commitment_number"]
    for row in rows:
        if row["commitment_number"] == number:
            row["commitment_title_en"] = "Budget transparency (revised)"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    staff = Client()
    staff.force_login(secretariat)
    # No plan chosen: the file names it.
    upload = make_upload("plan.csv", buffer.getvalue().encode())
    response = staff.post("/en/secretariat/import/", {"file": upload, "dry_run": "on"})
    html = response.content.decode()
    assert response.status_code == 200, html
    assert 'data-testid="changes"' in html and "Budget transparency (revised)" in html
    token = response.context["preview"]["token"]
    assert (
        Commitment.objects.get(plan=plan, number=number).title_en != "Budget transparency (revised)"
    )
    response = staff.post("/en/secretariat/import/", {"apply": token}, follow=True)
    assert "The spreadsheet was imported" in response.content.decode()
    assert (
        Commitment.objects.get(plan=plan, number=number).title_en == "Budget transparency (revised)"
    )
    # A preview is applied once.
    response = staff.post("/en/secretariat/import/", {"apply": token})
    assert response.status_code == 200
    assert "preview has expired" in response.content.decode()


def test_completing_an_activity_by_import_needs_a_link_to_evidence(plan, secretariat):
    rows = read_table("plan.csv", export_csv(plan))
    line, row = next((n, r) for n, r in enumerate(rows, start=2) if r["progress"] == "0")
    row["progress"], row["activity_status"] = "100", "completed"
    report = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [(line, "evidence_url")]
    row["evidence_url"] = "https://www.mmsp.gov.ma/rapport-2023.pdf"
    report = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=False)
    assert report.applied, report.errors
    update = ProgressUpdate.objects.get(source="import")
    assert update.evidence.get().url == "https://www.mmsp.gov.ma/rapport-2023.pdf"


HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "'quoted"]


def test_no_export_holds_a_live_formula_and_the_round_trip_changes_nothing(plan, secretariat):
    activity = Activity.objects.filter(commitment__plan=plan).order_by("pk").first()
    hostile = '=HYPERLINK("http://evil","clic")'
    # The original column (checked by a constraint) and the French one, as a save writes them.
    Activity.objects.filter(pk=activity.pk).rewrite(False).update(
        status="blocked", blocked_reason=hostile, blocked_reason_fr=hostile
    )
    for number, text in enumerate(HOSTILE, start=2):
        Commitment.objects.filter(plan=plan, number=number).update(title_en=text)
    rows = list(csv.DictReader(io.StringIO(export_csv(plan).decode("utf-8-sig"))))
    cells = [value for row in rows for value in row.values()]
    risky = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert risky == []
    assert '\'=HYPERLINK("http://evil","clic")' in cells
    assert "''quoted" in cells
    assert any(row["progress"].isdigit() for row in rows)  # numbers stay numbers

    sheet = load_workbook(io.BytesIO(export_xlsx(plan))).active
    texts = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts if c.value[:1] in ("=", "+", "-", "@", "\t"))
    progress = COLUMNS.index("progress")
    assert all(row[progress].data_type == "n" for row in sheet.iter_rows(min_row=2))

    for name, export in (("plan.csv", export_csv), ("plan.xlsx", export_xlsx)):
        rows = read_table(name, export(plan))
        with translation.override("en"):
            report = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=True)
        changed = [(c.subject, c.field, c.old, c.new) for c in report.change_list]
        # Everything comes back as it was but the leading tab: the import trims every cell.
        assert changed == [("Commitment 6", "title [en]", "\tcmd", "cmd")], name


def test_the_page_shows_a_new_preview_when_the_portal_changed_meanwhile(plan, secretariat):
    rows = read_table("plan.csv", export_csv(plan))
    number = rows[0]["commitment_number"]
    for row in rows:
        if row["commitment_number"] == number:
            row["commitment_title_en"] = "Budget transparency (revised)"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    staff = Client()
    staff.force_login(secretariat)
    upload = make_upload("plan.csv", buffer.getvalue().encode())
    response = staff.post("/en/secretariat/import/", {"file": upload, "dry_run": "on"})
    token = response.context["preview"]["token"]
    Commitment.objects.filter(plan=plan, number=2).update(title_en="Changed meanwhile")
    response = staff.post("/en/secretariat/import/", {"apply": token})
    html = response.content.decode()
    assert "changed since the preview" in html
    new_token = response.context["preview"]["token"]
    assert new_token != token
    # The new preview is against today's data: it shows that the file would undo the change.
    changes = [(c.subject, c.old) for c in response.context["report"].change_list]
    assert ("Commitment 2", "Changed meanwhile") in changes
    assert Commitment.objects.get(plan=plan, number=2).title_en == "Changed meanwhile"
    response = staff.post("/en/secretariat/import/", {"apply": new_token}, follow=True)
    assert "The spreadsheet was imported" in response.content.decode()
