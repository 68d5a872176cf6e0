"""A plan's commitments and activities as a spreadsheet (CSV or XLSX), one row per activity.

The export's columns are the import's format, so a file exported and imported back changes
nothing. Columns marked read-only are figures the portal computes; an import ignores them.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .models import Commitment, Plan
from .summaries import commitment_row
from .validators import zip_is_bounded

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
                    # In French, the reference language the other columns are matched in.
                    "blocked_reason": activity.blocked_reason_fr or "",
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


# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP, "CSV
# injection"); the export writes such a text after a quote, which the import removes again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _escaped(value: Any) -> str:
    """A text cell of the CSV that no spreadsheet program evaluates; numbers and dates stay as
    they are."""
    text = _text(value)
    if isinstance(value, str) and text.startswith((*FORMULA_TRIGGERS, QUOTE)):
        return QUOTE + text
    return text


def _unescaped(text: str) -> str:
    if text.startswith(QUOTE) and text[1:].startswith((*FORMULA_TRIGGERS, QUOTE)):
        return text[1:]
    return text


def export_csv(plan: Plan) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in plan_rows(plan):
        writer.writerow({column: _escaped(row.get(column, "")) for column in COLUMNS})
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
            # openpyxl would store a text starting with "=" as a formula: every text that a
            # spreadsheet program could take for one is stored as a text cell.
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def read_table(name: str, content: bytes | IO[bytes]) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as text, keyed by column name; the header must be ours.

    The file is read as a stream and bounded: at most IMPORT_MAX_ROWS rows and
    IMPORT_MAX_COLUMNS columns are read, whatever dimension an XLSX file declares, and an XLSX
    archive must stay within the zip ceilings before it is opened."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    if name.lower().endswith(".xlsx"):
        records = _xlsx_records(stream)
    elif name.lower().endswith(".csv"):
        records = _csv_records(stream)
    else:
        raise SpreadsheetError(_("Send a .csv or .xlsx file."))
    try:
        header = [str(cell or "").strip() for cell in next(records)]
    except StopIteration as error:
        raise SpreadsheetError(_("The file is empty.")) from error
    missing = [c for c in COLUMNS if c not in READ_ONLY | OPTIONAL and c not in header]
    if missing:
        raise SpreadsheetError(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    rows: list[dict[str, str]] = []
    for values in records:
        if not any(v not in (None, "") for v in values):
            continue
        if len(rows) >= settings.IMPORT_MAX_ROWS:
            raise SpreadsheetError(
                _("The file has more than %(count)s rows: split it, or import one plan at a time.")
                % {"count": settings.IMPORT_MAX_ROWS}
            )
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


def _csv_records(stream: IO[bytes]) -> Iterator[list[Any]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        for record in csv.reader(text):
            yield [_unescaped(cell) for cell in record[: settings.IMPORT_MAX_COLUMNS]]
    except UnicodeDecodeError as error:
        raise SpreadsheetError(_("The CSV file must be encoded in UTF-8.")) from error
    except csv.Error as error:
        raise SpreadsheetError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from error
    finally:
        # Leave the upload open for its owner; a generator closed early has nothing to detach.
        with contextlib.suppress(ValueError):
            text.detach()


def _xlsx_records(stream: IO[bytes]) -> Iterator[list[Any]]:
    unreadable = _("The file is not a readable XLSX workbook.")
    try:
        with zipfile.ZipFile(stream) as archive:
            bounded = zip_is_bounded(archive)
        stream.seek(0)
        if not bounded:
            raise SpreadsheetError(_("The workbook unpacks to too much data to be imported."))
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # The dimension a file declares (A1:XFD1048576) is not trusted: count what is there.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True, max_col=settings.IMPORT_MAX_COLUMNS)
        for row in rows:
            yield list(row)
    except SpreadsheetError:
        raise
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise SpreadsheetError(unreadable) from error
    except Exception as error:  # zipfile and XML errors vary with the damage
        raise SpreadsheetError(unreadable) from error
