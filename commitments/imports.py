"""The secretariat loads a plan's commitments and activities from a spreadsheet in the export's
format. A dry run checks every row, lists each field it would change (old → new) and each
refused row with its reason, and writes nothing; a real run writes all rows or none, and when
given the preview's digest it applies exactly the previewed changes or nothing.

Progress is never overwritten: a row whose progress or status differs from the activity's
records a validated progress update whose source is the import.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ogp_portal.i18n import CONTENT_LANGUAGES, FALLBACK

from .forms import SpreadsheetRowForm
from .models import Activity, Commitment, Plan, ProgressUpdate, verbose_name
from .progress_history import refresh_plan_series, series_deferred
from .services import EvidenceInput, evidence_attach, progress_update_record, upsert
from .spreadsheets import COLUMNS, READ_ONLY

if TYPE_CHECKING:
    from django.contrib.auth.models import User

COMMITMENT_COLUMNS = [
    c
    for c in COLUMNS
    if c not in READ_ONLY
    and c.split("_")[0] not in {"activity", "weight", "blocked", "progress", "planned", "evidence"}
]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class Change:
    """One field the import changes, as the preview shows it; ``key`` holds the raw values,
    language-independent, that the digest covers."""

    line: int
    subject: str
    field: str
    old: str
    new: str
    key: tuple[str, ...]


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: {"commitments": 0, "activities": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"commitments": 0, "activities": 0})
    progress_updates: int = 0
    change_list: list[Change] = field(default_factory=list)
    applied: bool = False
    # The portal's data changed between the preview and the real run: nothing was written.
    stale: bool = False

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + self.progress_updates

    @property
    def digest(self) -> str:
        """What the import changes, condensed: equal digests mean the same changes."""
        keys = [change.key for change in self.change_list]
        return hashlib.sha256(json.dumps(keys).encode()).hexdigest()


class _Rollback(Exception):
    pass


def plan_import(
    *,
    plan: Plan,
    rows: list[dict[str, str]],
    author: User,
    dry_run: bool,
    expected: str | None = None,
) -> ImportReport:
    """Import ``rows`` into ``plan``; with ``expected`` (a dry run's digest), the real run
    writes only if it makes exactly the changes that dry run listed."""
    report = ImportReport(rows=len(rows))
    importer = _Importer(plan, author, report)
    try:
        # The plan's progress series is rebuilt once, when the rows are written for good.
        with transaction.atomic(), series_deferred():
            for line, row in enumerate(rows, start=2):  # line 1 is the header
                importer.row(line, row)
            report.stale = expected is not None and expected != report.digest
            if dry_run or report.errors or report.stale:
                raise _Rollback
            refresh_plan_series(plan.pk)  # weights and commitments may have changed too
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
        self.seen_numbers: set[int] = set()
        self.line = 0

    def row(self, line: int, row: dict[str, str]) -> None:
        self.line = line
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
        lookup = {"plan": self.plan, "number": data["commitment_number"]}
        subject = _("Commitment %(number)s") % {"number": data["commitment_number"]}
        first_row = data["commitment_number"] not in self.seen_numbers
        self.seen_numbers.add(data["commitment_number"])
        ref = f"commitment:{data['commitment_number']}"
        if first_row:
            self.diff(subject, ref, Commitment, lookup, values)
        commitment, created, changed = upsert(Commitment, lookup, values)
        supporting = {institution.pk for institution in data["supporting_institutions"]}
        current = set(commitment.supporting_institutions.values_list("pk", flat=True))
        if current != supporting:
            if first_row and not created:
                old = sorted(commitment.supporting_institutions.values_list("code", flat=True))
                new_codes = sorted(i.code for i in data["supporting_institutions"])
                label = verbose_name(Commitment, "supporting_institutions")
                self.note(subject, ref, "supporting_institutions", label, "; ".join(old),
                          "; ".join(new_codes))  # fmt: skip
            commitment.supporting_institutions.set(supporting)
            changed = True
        self.count("commitments", commitment, created, changed)
        return commitment

    def diff(
        self, subject: str, ref: str, model: Any, lookup: dict[str, Any], values: dict[str, Any]
    ) -> None:
        """List what saving ``values`` would change (old → new), before it is saved."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            title = values.get("title_fr") or ""
            self.note(subject, ref, "", _("New"), "", str(title))
            return
        for name, value in values.items():
            old = getattr(obj, name)
            if old != value:
                label = verbose_name(model, name)
                self.note(subject, ref, name, label, _shown(old), _shown(value))

    def note(
        self,
        subject: str,
        ref: str,
        name: str,
        label: str,
        old: str,
        new: str,
        raw: tuple[str, str] | None = None,
    ) -> None:
        """Add a change to the preview; the digest covers ``raw`` (old, new) when the shown
        values are translated labels."""
        key = (str(self.line), ref, name, *(raw or (old, new)))
        self.report.change_list.append(Change(self.line, subject, label, old, new, key))

    def activity(self, commitment: Commitment, data: dict[str, Any]) -> None:
        values: dict[str, Any] = {
            "weight": data["weight"],
            "planned_start": data["planned_start"],
            "planned_end": data["planned_end"],
        }
        values |= {f"title_{lang}": data[f"activity_title_{lang}"] for lang in CONTENT_LANGUAGES}
        lookup = {"commitment": commitment, "position": data["activity_position"]}
        subject = _("Activity %(number)s.%(position)s") % {
            "number": commitment.number,
            "position": data["activity_position"],
        }
        ref = f"activity:{commitment.number}.{data['activity_position']}"
        self.diff(subject, ref, Activity, lookup, values)
        activity, created, changed = upsert(Activity, lookup, values)
        self.count("activities", activity, created, changed)
        status, reason = data["activity_status"], data["blocked_reason"].strip()
        if status != Activity.Status.BLOCKED:
            reason = ""
        before = (
            activity.progress,
            activity.status,
            getattr(activity, "blocked_reason_fr", "") or "",
        )
        evidence_url = data.get("evidence_url") or ""
        changes = before != (data["progress"], status, reason)
        if changes and not evidence_url and activity.needs_evidence_for(data["progress"], status):
            raise ValidationError(
                {
                    "evidence_url": _(
                        "Give a link to the evidence (evidence_url) to mark the activity complete."
                    )
                }
            )
        if changes:
            for name, old, new in zip(
                ("progress", "status", "blocked_reason"),
                before,
                (data["progress"], status, reason),
                strict=True,
            ):
                if old != new:
                    shown = (_shown(old), _shown(new))
                    if name == "status":
                        shown = (_status_label(old), _status_label(new))
                    label = verbose_name(Activity, name)
                    self.note(subject, ref, name, label, *shown, raw=(str(old), str(new)))
            update = progress_update_record(
                activity=activity,
                author=self.author,
                new_progress=data["progress"],
                new_status=status,
                # The file gives the reason in French: the same text keeps its translations.
                blocked_reason=(
                    {
                        code: getattr(activity, f"blocked_reason_{code}")
                        for code in CONTENT_LANGUAGES
                    }
                    if reason and reason == before[2]
                    else {FALLBACK: reason}
                ),
                source=ProgressUpdate.Source.IMPORT,
                state=ProgressUpdate.State.VALIDATED,
                narrative="Import",
            )
            if evidence_url:
                evidence_attach(update=update, item=EvidenceInput(url=evidence_url))
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


def _shown(value: Any) -> str:
    """A value as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _status_label(value: Any) -> str:
    return str(Activity.Status(str(value)).label)


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
