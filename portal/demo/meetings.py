"""The demo's committees, their members and the two meetings of the seed minutes.

The minutes give who attended (or was absent from) one meeting, not when each seat began: the
seats start on that meeting's date, the earliest date the minutes attest.

The meetings (steering committee of 28 March 2023, implementation committee of 21 December 2020)
are transcribed in ``demo_meetings.json``; its ``notes`` say what is inferred rather than read.
Like the rest of the demo, loading them twice writes nothing the second time.
"""

from __future__ import annotations

import calendar
import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.utils import translation
from django.utils.formats import number_format

from commitments.models import (
    Activity,
    Commitment,
    FocalPointAssignment,
    Institution,
    Plan,
    ProgressUpdate,
)
from commitments.progress import mean_progress
from commitments.services import upsert
from meetings.models import (
    AgendaItem,
    AgendaStep,
    Attendance,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    ProgressSnapshot,
    SnapshotActivity,
    SnapshotRow,
    Timeline,
    TimelineStep,
)
from meetings.services import meeting_progress_change
from meetings.summaries import meeting_reference
from ogp_portal.i18n import CONTENT_LANGUAGES, translations_of

from . import loader
from .loader import LoadReport, read, translated

STEERING_SEEN = datetime.date(2023, 3, 28)
IMPLEMENTATION_SEEN = datetime.date(2020, 12, 21)

# Relevé des conclusions du comité de pilotage, 28 mars 2023: participants, then absentees
# (named only by their organisation). MTNRA is the ministry in charge: the secretariat.
STEERING = [
    ("Mme.", "Sarah LAMRANI", "MTNRA", "secretariat"),
    ("Mme.", "Quiame EL MOUSTAMIDE", "MTNRA", "secretariat"),
    ("Mme.", "Mahassine EL AMRANI OMARI", None, "member"),
    ("M.", "Lhoussine FERDAOUS", "MRP", "member"),
    ("Mme.", "Asmae REGURAGUI", "MJ", "member"),
    ("Mme.", "Hajar CHERKAOUI", "MDB", "member"),
    ("Mme.", "Basma MELLOUK", "MDB", "member"),
    ("Mme.", "Fatima Zahra BENDUICH", "MTEDD", "member"),
    ("M.", "Rachid ELAOUI", "MSISF", "member"),
    ("M.", "Noureddine LASFAR", "ADD", "member"),
    ("M.", "Yassir CHOKAIRI", "INPPLC", "member"),
    ("M.", "Abdelaziz JANATI", "OPEMH", "member"),
    ("M.", "Aïmane AMALIK", "A4C", "member"),
    ("M.", "Saouidi SALLAHI", "FSDC", "member"),
    ("M.", "Abdelmalek ASRIH", "ACB", "member"),
    ("M.", "Ahmed ANNJAR", "ALSD", "member"),
    ("M.", "Rezzouki ELMILOUD", "ACDC", "member"),
    ("M.", "Said CHAKRI", "AMCDD", "member"),
    ("M.", "Yassine ERRIKH", "AMBC", "member"),
    ("Mme.", "Houdna BENNANI", "ADFM", "member"),
    # "Représentante" / "Représentant": the civility tells the minutes which word to write.
    ("Mme.", "", "DGCT", "member"),
    ("M.", "", "MENPS", "member"),
    ("M.", "", "MSPS", "member"),
    ("Mme.", "", "AFBDT", "member"),
]
EXPERT_CAPACITY = {
    "fr": "Experte dans le domaine du gouvernement ouvert",
    "ar": "خبيرة في مجال الحكومة المنفتحة",
    "en": "Expert in the field of open government",
}

COMMITTEES = {
    Committee.Kind.STEERING: {
        "name_fr": "Comité de pilotage du gouvernement ouvert",
        "name_ar": "لجنة القيادة للحكومة المنفتحة",
        "name_en": "Open government steering committee",
    },
    Committee.Kind.IMPLEMENTATION: {
        "name_fr": "Comité d'implémentation du plan d'action national",
        "name_ar": "لجنة تنفيذ خطة العمل الوطنية",
        "name_en": "National action plan implementation committee",
    },
}


def load_committees() -> int:
    created = 0
    committees = {
        kind: upsert(Committee, {"kind": kind}, names)[0] for kind, names in COMMITTEES.items()
    }
    institutions = {i.code: i for i in Institution.objects.all()}
    for civility, name, code, role in STEERING:
        _obj, is_new, _changed = upsert(
            CommitteeMember,
            {
                "committee": committees[Committee.Kind.STEERING],
                "name": name,
                "institution": institutions.get(code) if code else None,
            },
            {
                "civility": civility,
                **translated("capacity", None if code else EXPERT_CAPACITY),
                "role": role,
                "start_date": STEERING_SEEN,
            },
        )
        created += is_new
    # The implementation committee gathers the focal points named on 21 December 2020.
    civilities = {
        person["name"]: person.get("civility") or ""
        for row in read("pan_2018_2020.json")["commitments"]
        for person in row.get("focal_points", [])
    }
    assignments = FocalPointAssignment.objects.filter(
        commitment__plan__code="PAN-2018-2020"
    ).select_related("user", "institution")
    for assignment in assignments:
        user = assignment.user
        _obj, is_new, _changed = upsert(
            CommitteeMember,
            {
                "committee": committees[Committee.Kind.IMPLEMENTATION],
                "name": user.get_full_name(),
                "institution": assignment.institution,
            },
            {
                "civility": civilities.get(user.get_full_name(), ""),
                "role": CommitteeMember.Role.MEMBER,
                "seat": assignment.role,
                "start_date": IMPLEMENTATION_SEEN,
                "user": user,
            },
        )
        created += is_new
    return created


# The two meetings of the seed minutes ------------------------------------------------------------

MEETINGS_FILE = Path(__file__).resolve().parent / "demo_meetings.json"
PLAN_FILES = {"PAN-2021-2023": "pan_2021_2023.json", "PAN-2018-2020": "pan_2018_2020.json"}
DEMO_AUTHOR = "secretariat"
# The minutes give no end time: a meeting is marked held, and its minutes published, at the end
# of its day.
DAY_END = datetime.time(23, 59)


def load_meetings(report: LoadReport | None = None) -> LoadReport:
    """Both seed meetings, held, with attendance, agenda, timelines, decisions, the frozen
    progress table and the change of progress decided in the meeting; minutes published."""
    report = report if report is not None else LoadReport()
    data = json.loads(MEETINGS_FILE.read_text(encoding="utf-8"))
    author = User.objects.filter(username=DEMO_AUTHOR).first()
    timelines = {key: load_timeline(report, spec) for key, spec in data["timelines"].items()}
    for spec in data["meetings"].values():
        load_meeting(report, spec, timelines, author)
    return report


def moment(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value).replace(tzinfo=loader.MOROCCO)


def step_dates(start: str, end: str | None) -> tuple[datetime.date, datetime.date | None, str]:
    """``YYYY-MM`` gives a month range (first day to last day), ``YYYY-MM-DD`` exact days."""
    if len(start) == len("2023-04"):
        first = datetime.date.fromisoformat(f"{start}-01")
        year, month = (int(part) for part in (end or start).split("-"))
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        return first, last, TimelineStep.Precision.MONTH
    last_day = datetime.date.fromisoformat(end) if end else None
    return datetime.date.fromisoformat(start), last_day, TimelineStep.Precision.DAY


def load_timeline(report: LoadReport, spec: dict[str, Any]) -> Timeline:
    plan = Plan.objects.get(code=spec["plan"]) if spec["plan"] else None
    titles = translated("title", spec["title"])
    timeline = loader.upsert(
        report,
        Timeline,
        {"kind": spec["kind"], "title_fr": titles.pop("title_fr")},
        {"plan": plan, "is_public": True, **titles},
    )
    for position, step in enumerate(spec["steps"], start=1):
        starts_on, ends_on, precision = step_dates(step["from"], step["to"])
        loader.upsert(
            report,
            TimelineStep,
            {"timeline": timeline, "position": position},
            {
                "starts_on": starts_on,
                "ends_on": ends_on,
                "precision": precision,
                "status": step["status"],
                # The event that will complete the step (meetings/events.py); none happened yet.
                "event": step.get("event", ""),
                **translated("title", step["title"]),
                **translated("note", step.get("note")),
            },
        )
    return timeline


def load_meeting(
    report: LoadReport,
    spec: dict[str, Any],
    timelines: dict[str, Timeline],
    author: User | None,
) -> Meeting:
    committee = Committee.objects.get(kind=spec["committee"])
    plan = Plan.objects.get(code=spec["plan"])
    starts_at = moment(spec["starts_at"])
    day_end = datetime.datetime.combine(starts_at.date(), DAY_END, tzinfo=loader.MOROCCO)
    meeting = loader.upsert(
        report,
        Meeting,
        {"committee": committee, "starts_at": starts_at},
        {
            "plan": plan,
            "mode": spec["mode"],
            "status": Meeting.Status.HELD,
            "held_at": day_end,
            "minutes_published_at": day_end,
            "created_by": author,
            "created_at": starts_at,
            **translated("place", spec["place"]),
            **translated("opening", spec.get("opening")),
        },
    )
    load_attendance(report, meeting, spec)
    for position, item in enumerate(spec["agenda"], start=1):
        timeline = timelines[item["timeline"]] if item.get("timeline") else None
        agenda_item = loader.upsert(
            report,
            AgendaItem,
            {"meeting": meeting, "position": position},
            {
                "kind": item["kind"],
                "timeline": timeline,
                **translated("title", item["title"]),
                **translated("notes", item.get("notes")),
            },
        )
        in_minutes = timeline is not None and item.get("calendar_in_minutes", True)
        load_recorded_steps(report, agenda_item, timeline if in_minutes else None)
    for position, item in enumerate(spec["decisions"], start=1):
        load_decision(report, meeting, position, item)
    load_snapshot(report, meeting, spec)
    # After the table is frozen: the snapshot keeps the figures presented at the meeting.
    for change in spec.get("progress_changes", []):
        activity = Activity.objects.get(
            commitment__plan=plan,
            commitment__number=change["commitment"],
            title_fr=change["activity"],
        )
        recorded = activity.updates.filter(
            source=ProgressUpdate.Source.MEETING, source_reference=meeting_reference(meeting)
        ).exists()
        # Once recorded, or once someone else moved the figure, the demo leaves it alone.
        if recorded or activity.progress != change["from"]:
            continue
        meeting_progress_change(
            meeting=meeting,
            activity=activity,
            new_progress=change["to"],
            user=author,
            narrative=change["narrative"],
            created_at=day_end,
        )
        report.count(ProgressUpdate, created=True, changed=False)
    return meeting


def load_attendance(report: LoadReport, meeting: Meeting, spec: dict[str, Any]) -> None:
    """The participants, then the absentees, in the order of the minutes."""
    members = meeting.committee.members.select_related("institution")
    rows: list[tuple[CommitteeMember, str, dict[str, str] | None]] = []
    if "attendance" in spec:
        for entry in spec["attendance"]:
            member = members.get(name=entry["name"])
            rows.append((member, Attendance.Status.PRESENT, entry.get("capacity")))
    else:
        remote = set(spec.get("remote", []))
        for _civility, name, code, _role in STEERING:
            member = members.get(name=name, institution__code=code, institution__isnull=not code)
            status: str = Attendance.Status.PRESENT
            if not name:
                status = Attendance.Status.ABSENT
            elif name in remote:
                status = Attendance.Status.REMOTE
            rows.append((member, status, None))
    for position, (member, attendance, capacity) in enumerate(rows, start=1):
        loader.upsert(
            report,
            Attendance,
            {"meeting": meeting, "member": member},
            {
                "position": position,
                "civility": member.civility,
                "name": member.name,
                "institution": member.institution,
                **(
                    translations_of(member, "capacity")
                    if capacity is None
                    else translated("capacity", capacity)
                ),
                "status": attendance,
                "represented_by": "",
                **organisation_as_written(member, spec),
            },
        )


def organisation_as_written(member: CommitteeMember, spec: dict[str, Any]) -> dict[str, str]:
    """The organisation as the minutes name it: the institution's name, the minutes' own
    spelling where they differ ("…pour la citoyenneté-AMBC"), none where they name none (the
    focal points of 2020 are named by their capacity only)."""
    if member.institution is None or not spec.get("organisations_named", True):
        return translated("organisation", None)
    names = translations_of(member.institution, "name", "organisation")
    written = spec.get("organisations_as_written", {}).get(member.institution.code, {})
    return names | {f"organisation_{lang}": text for lang, text in written.items()}


def load_recorded_steps(report: LoadReport, item: AgendaItem, timeline: Timeline | None) -> None:
    """The calendar of the minutes under ``item``: the timeline's steps as agreed (all of them
    planned on the day), or none where the minutes give no calendar."""
    steps = list(timeline.steps.all()) if timeline else []
    for step in steps:
        loader.upsert(
            report,
            AgendaStep,
            {"agenda_item": item, "position": step.position},
            {
                "starts_on": step.starts_on,
                "ends_on": step.ends_on,
                "precision": step.precision,
                **translations_of(step, "title"),
            },
        )
    extra = item.recorded_steps.exclude(position__in=[step.position for step in steps])
    if extra.exists():
        extra.delete()


def load_decision(
    report: LoadReport, meeting: Meeting, position: int, item: dict[str, Any]
) -> Decision:
    owner = Institution.objects.get(code=item["owner"]) if item["owner"] else None
    closed_at = moment(item["closed_at"]) if item.get("closed_at") else None
    due_date = datetime.date.fromisoformat(item["due_date"]) if item["due_date"] else None
    # What the meeting recorded: the decision just taken, open, its owner as the minutes name
    # it (they name none); the status and owner of today are the secretariat's follow-up.
    return loader.upsert(
        report,
        Decision,
        {"meeting": meeting, "position": position},
        {
            "owner": owner,
            **translated("owner_detail", item["owner_detail"]),
            "due_date": due_date,
            "status": item["status"],
            "closed_at": closed_at,
            "in_minutes": item.get("in_minutes", True),
            "status_at_meeting": Decision.Status.OPEN,
            **translated("text", item["text"]),
            **translated("status_note", item.get("status_note")),
            **translated("status_note_at_meeting", None),
            **translated("owner_name", item.get("owner_as_written")),
        },
    )


def load_snapshot(report: LoadReport, meeting: Meeting, spec: dict[str, Any]) -> ProgressSnapshot:
    """The progress table of the minutes, frozen as written: the rates, the unfinished
    activities with their percentage, and the remarks."""
    plan_rows = read(PLAN_FILES[meeting.plan.code])["commitments"]
    mean = mean_progress(row["rate"] for row in plan_rows)
    stated = spec.get("global_progress")
    # The exact mean, and rounded to one decimal, as each language writes decimals.
    figures = {}
    for language in CONTENT_LANGUAGES:
        with translation.override(language):
            figures[language] = {
                # Rounded first: number_format cuts the digits it does not show.
                "mean": number_format(round(mean, 2), 2, use_l10n=True),
                "mean_short": number_format(round(mean, 1), 1, use_l10n=True),
            }
    snapshot = loader.upsert(
        report,
        ProgressSnapshot,
        {"meeting": meeting},
        {
            "taken_at": meeting.starts_at,
            "global_progress": mean if stated is None else Decimal(stated),
            "previous": None,
            **translated(
                "note",
                {
                    language: text.format(**figures[language])
                    for language, text in spec["snapshot_note"].items()
                },
            ),
        },
    )
    commitments = {c.number: c for c in Commitment.objects.filter(plan=meeting.plan)}
    for plan_row in plan_rows:
        commitment = commitments[plan_row["number"]]
        titles = plan_row["title"] if spec.get("table_titles", True) else None
        row = loader.upsert(
            report,
            SnapshotRow,
            {"snapshot": snapshot, "commitment": commitment},
            {
                "number": plan_row["number"],
                "progress": Decimal(plan_row["rate"]),
                "previous_progress": None,
                "no_progress": plan_row["number"] in spec.get("no_progress", []),
                **translated("title", titles),
                **translated("remark", plan_row.get(spec["remarks_from"])),
            },
        )
        load_snapshot_activities(report, row, plan_row.get("unfinished_activities") or [])
    return snapshot


def load_snapshot_activities(
    report: LoadReport, row: SnapshotRow, unfinished: list[dict[str, Any]]
) -> None:
    """The commitments loader made one activity per unfinished activity of the minutes, at
    positions 1, 2, ... (position 0 is the completed part). The 2020 table lists none."""
    if not unfinished:
        return
    activities = list(
        row.commitment.activities.filter(position__gte=1)
        .order_by("position")
        .values_list("pk", "position", "title_fr")
    )
    titles = [title for _pk, _position, title in activities]
    if titles != [item["title"]["fr"].strip() for item in unfinished]:
        raise ValueError(f"Commitment {row.commitment.number}: activities differ from the minutes.")
    for (activity_id, position, _title), item in zip(activities, unfinished, strict=True):
        loader.upsert(
            report,
            SnapshotActivity,
            {"row": row, "activity_id": activity_id},
            {
                "position": position,
                "progress": item["progress"],
                **translated("title", item["title"]),
            },
        )
