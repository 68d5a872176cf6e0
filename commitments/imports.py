"""The secretariat loads a plan's commitments and activities from a spreadsheet in the export's
format. A dry run checks every row and writes nothing; a real run writes all rows or none.

Progress is never overwritten: a row whose progress or status differs from the activity's
records a validated progress update whose source is the import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ogp_portal.i18n import CONTENT_LANGUAGES

from .forms import SpreadsheetRowForm
from .models import Activity, Commitment, Plan, ProgressUpdate
from .services import progress_update_record, upsert
from .spreadsheets import COLUMNS, READ_ONLY

if TYPE_CHECKING:
    from django.contrib.auth.models import User

COMMITMENT_COLUMNS = [
    c
    for c in COLUMNS
    if c not in READ_ONLY
    and c.split("_")[0] not in {"activity", "weight", "blocked", "progress", "planned"}
]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: {"commitments": 0, "activities": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"commitments": 0, "activities": 0})
    progress_updates: int = 0
    applied: bool = False

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + self.progress_updates


class _Rollback(Exception):
    pass


def plan_import(
    *, plan: Plan, rows: list[dict[str, str]], author: User, dry_run: bool
) -> ImportReport:
    report = ImportReport(rows=len(rows))
    importer = _Importer(plan, author, report)
    try:
        with transaction.atomic():
            for line, row in enumerate(rows, start=2):  # line 1 is the header
                importer.row(line, row)
            if dry_run or report.errors:
                raise _Rollback
    except _Rollback:
        report.applied = False
    else:
        report.applied = True
    return report


class _Importer:
    def __init__(self, plan: Plan, author: User, report: ImportReport) -> None:
        self.plan, self.author, self.report = plan, author, report
        self.seen: dict[str, set[int]] = {"commitments": set(), "activities": set()}
        self.first_rows: dict[str, tuple[int, dict[str, str]]] = {}

    def row(self, line: int, row: dict[str, str]) -> None:
        if self.disagrees(line, row):
            return
        form = SpreadsheetRowForm(row, plan=self.plan)
        if not form.is_valid():
            for column, messages in form.errors.items():
                for message in messages:
                    self.report.errors.append(RowError(line, column, str(message)))
            return
        data = form.cleaned_data
        try:
            with transaction.atomic():
                commitment = self.commitment(data)
                if data["activity_position"] is not None:
                    self.activity(commitment, data)
        except ValidationError as error:
            for column, texts in _by_field(error).items():
                for text in texts:
                    self.report.errors.append(RowError(line, column, text))

    def disagrees(self, line: int, row: dict[str, str]) -> bool:
        """Every row of a commitment must repeat the same commitment columns: a value changed
        on one row only is a mistake to point out, not something to guess about."""
        number = row.get("commitment_number", "")
        values = {column: row.get(column, "") for column in COMMITMENT_COLUMNS}
        if number not in self.first_rows:
            self.first_rows[number] = (line, values)
            return False
        first_line, first_values = self.first_rows[number]
        for column in COMMITMENT_COLUMNS:
            if values[column] != first_values[column]:
                self.report.errors.append(
                    RowError(
                        line,
                        column,
                        _(
                            "Differs from line %(line)d for the same commitment: give the same "
                            "value on every row of a commitment."
                        )
                        % {"line": first_line},
                    )
                )
        return any(values[c] != first_values[c] for c in COMMITMENT_COLUMNS)

    def commitment(self, data: dict[str, Any]) -> Commitment:
        values: dict[str, Any] = {
            "ogp_id": data["ogp_id"],
            "axis": data["axis_number"],
            "lead_institution": data["lead_institution"],
            "status": data["commitment_status"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
        }
        values |= {f"title_{lang}": data[f"commitment_title_{lang}"] for lang in CONTENT_LANGUAGES}
        for name in Commitment.OGP_VALUE_FIELDS:
            values[name] = name.removeprefix("value_") in data["ogp_values"]
        commitment, created, changed = upsert(
            Commitment, {"plan": self.plan, "number": data["commitment_number"]}, values
        )
        supporting = {institution.pk for institution in data["supporting_institutions"]}
        if set(commitment.supporting_institutions.values_list("pk", flat=True)) != supporting:
            commitment.supporting_institutions.set(supporting)
            changed = True
        self.count("commitments", commitment, created, changed)
        return commitment

    def activity(self, commitment: Commitment, data: dict[str, Any]) -> None:
        values: dict[str, Any] = {
            "weight": data["weight"],
            "planned_start": data["planned_start"],
            "planned_end": data["planned_end"],
        }
        values |= {f"title_{lang}": data[f"activity_title_{lang}"] for lang in CONTENT_LANGUAGES}
        activity, created, changed = upsert(
            Activity, {"commitment": commitment, "position": data["activity_position"]}, values
        )
        self.count("activities", activity, created, changed)
        status, reason = data["activity_status"], data["blocked_reason"].strip()
        if status != Activity.Status.BLOCKED:
            reason = ""
        if (activity.progress, activity.status, activity.blocked_reason) != (
            data["progress"],
            status,
            reason,
        ):
            progress_update_record(
                activity=activity,
                author=self.author,
                new_progress=data["progress"],
                new_status=status,
                blocked_reason=reason,
                source=ProgressUpdate.Source.IMPORT,
                state=ProgressUpdate.State.VALIDATED,
                narrative="Import",
            )
            self.report.progress_updates += 1

    def count(self, kind: str, obj: Any, created: bool, changed: bool) -> None:
        """Each object once, however many rows repeat it."""
        if obj.pk in self.seen[kind]:
            return
        self.seen[kind].add(obj.pk)
        if created:
            self.report.created[kind] += 1
        elif changed:
            self.report.updated[kind] += 1


# The service's field names, as the spreadsheet's columns say them.
COLUMN_OF_FIELD = {"status": "activity_status", "new_status": "activity_status",
                   "new_progress": "progress"}  # fmt: skip


def _by_field(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            COLUMN_OF_FIELD.get(name, name): [str(m) for m in messages]
            for name, messages in error.message_dict.items()
        }
    return {"row": error.messages}
