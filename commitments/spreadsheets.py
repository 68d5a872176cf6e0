"""A plan's commitments and activities as a spreadsheet (CSV or XLSX), one row per activity.

The export's columns are the import's format, so a file exported and imported back changes
nothing. Columns marked read-only are figures the portal computes; an import ignores them.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .models import Commitment, Plan
from .summaries import commitment_row

COLUMNS = [
    "plan",
    "commitment_number",
    "ogp_id",
    "axis_number",
    "commitment_title_fr",
    "commitment_title_ar",
    "commitment_title_en",
    "lead_institution",
    "supporting_institutions",
    "ogp_values",
    "commitment_status",
    "start_date",
    "end_date",
    "activity_position",
    "activity_title_fr",
    "activity_title_ar",
    "activity_title_en",
    "weight",
    "activity_status",
    "blocked_reason",
    "progress",
    "planned_start",
    "planned_end",
    # Import only, exported empty: a link to the evidence of this row's change (needed to mark
    # an activity complete).
    "evidence_url",
    # Read-only: computed by the portal, ignored on import.
    "commitment_progress",
    "completion_level",
    "last_update",
]
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READ_ONLY = {"commitment_progress", "completion_level", "last_update"}
# Columns a file may leave out (files exported before they existed).
OPTIONAL = {"evidence_url"}
LIST_SEPARATOR = ";"


class SpreadsheetError(ValueError):
    """The file cannot be read as a table in the export's format."""


def plan_rows(plan: Plan) -> list[dict[str, Any]]:
    commitments = (
        Commitment.objects.filter(plan=plan)
        .with_progress_data()
        .prefetch_related("supporting_institutions")
        .order_by("number")
    )
    rows = []
    for commitment in commitments:
        figures = commitment_row(commitment)
        base = {
            "plan": plan.code,
            "commitment_number": commitment.number,
            "ogp_id": commitment.ogp_id,
            "axis_number": commitment.axis.number if commitment.axis else "",
            "commitment_title_fr": commitment.title_fr,
            "commitment_title_ar": commitment.title_ar or "",
            "commitment_title_en": commitment.title_en or "",
            "lead_institution": commitment.lead_institution.code,
            "supporting_institutions": LIST_SEPARATOR.join(
                sorted(i.code for i in commitment.supporting_institutions.all())
            ),
            "ogp_values": LIST_SEPARATOR.join(commitment.ogp_values),
            "commitment_status": commitment.status,
            "start_date": commitment.start_date or "",
            "end_date": commitment.end_date or "",
            "commitment_progress": figures.progress,
            "completion_level": figures.completion_level,
            "last_update": figures.last_update_at.date() if figures.last_update_at else "",
        }
        activities = list(commitment.activities.all())
        for activity in activities:
            rows.append(
                {
                    **base,
                    "activity_position": activity.position,
                    "activity_title_fr": activity.title_fr,
                    "activity_title_ar": activity.title_ar or "",
                    "activity_title_en": activity.title_en or "",
                    "weight": activity.weight,
                    "activity_status": activity.status,
                    "blocked_reason": activity.blocked_reason,
                    "progress": activity.progress,
                    "planned_start": activity.planned_start or "",
                    "planned_end": activity.planned_end or "",
                }
            )
        if not activities:
            rows.append(base)
    return rows


def _text(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def export_csv(plan: Plan) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in plan_rows(plan):
        writer.writerow({column: _text(row.get(column, "")) for column in COLUMNS})
    # A byte order mark, so that spreadsheet programs read the Arabic as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(plan: Plan) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = plan.code[:31]
    sheet.append(COLUMNS)
    for row in plan_rows(plan):
        sheet.append([_cell(row.get(column, "")) for column in COLUMNS])
        for cell in sheet[sheet.max_row]:
            # openpyxl would store a text starting with "=" as a formula: keep it text.
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as text, keyed by column name; the header must be ours."""
    if name.lower().endswith(".xlsx"):
        records = _xlsx_records(content)
    elif name.lower().endswith(".csv"):
        records = _csv_records(content)
    else:
        raise SpreadsheetError(_("Send a .csv or .xlsx file."))
    try:
        header = [str(cell or "").strip() for cell in next(records)]
    except StopIteration as error:
        raise SpreadsheetError(_("The file is empty.")) from error
    missing = [c for c in COLUMNS if c not in READ_ONLY | OPTIONAL and c not in header]
    if missing:
        raise SpreadsheetError(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    rows = []
    for values in records:
        if not any(v not in (None, "") for v in values):
            continue
        rows.append(
            {column: _as_text(value) for column, value in zip(header, values, strict=False)}
        )
    return rows


def _as_text(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value).strip()


def _csv_records(content: bytes) -> Iterator[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(_("The CSV file must be encoded in UTF-8.")) from error
    return iter(list(csv.reader(io.StringIO(text))))


def _xlsx_records(content: bytes) -> Iterator[list[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from error
    except Exception as error:  # zipfile and XML errors vary with the damage
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from error
    sheet = workbook.worksheets[0]
    return iter([list(row) for row in sheet.iter_rows(values_only=True)])
