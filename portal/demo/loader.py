"""Build the demo from the two seed minutes (data transcribed in the JSON files beside this one).

Idempotent: rows are looked up by their natural keys and saved only when something differs, so a
second run writes nothing (not even history rows). Figures a focal point changed since the demo
was loaded are left alone: an activity's progress is only ever set by recording an update.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from commitments.models import (
    Activity,
    Axis,
    Commitment,
    FocalPointAssignment,
    Institution,
    Plan,
    ProgressUpdate,
)
from commitments.progress_history import refresh_plan_series, series_deferred
from commitments.services import progress_update_record
from commitments.services import upsert as save_changes
from notifications.models import Profile
from ogp_portal.grammar import gender_of_civility
from ogp_portal.i18n import CONTENT_LANGUAGES

DATA_DIR = Path(__file__).resolve().parent
DEMO_PASSWORD = "ogp-demo"  # noqa: S105 - documented in the README, demo users only
SECRETARIAT_GROUP = "secretariat"
MOROCCO = ZoneInfo("Africa/Casablanca")

STEERING_2023 = datetime.datetime(2023, 3, 28, 13, 0, tzinfo=MOROCCO)
STEERING_2023_REF = {
    "fr": "Comité de pilotage du 28 mars 2023 – relevé des conclusions",
    "ar": "لجنة القيادة، 28 مارس 2023 – محضر الاجتماع",
    "en": "Steering committee of 28 March 2023 – minutes",
}
IMPLEMENTATION_2020 = datetime.datetime(2020, 12, 21, 14, 30, tzinfo=MOROCCO)
IMPLEMENTATION_2020_REF = {
    "fr": "Comité d'implémentation du 21 décembre 2020 – relevé des conclusions",
    "ar": "لجنة التنفيذ، 21 ديسمبر 2020 – محضر الاجتماع",
    "en": "Implementation committee of 21 December 2020 – minutes",
}
# What the figures read from the minutes say of themselves.
RATE_OF_THE_MEETING = {
    "fr": "Taux relevé lors de la réunion : {ref}.",
    "ar": "النسبة المسجلة خلال الاجتماع: {ref}.",
    "en": "Rate recorded at the meeting: {ref}.",
}

# The minutes note "Changement du point focal" for these 2021-2023 commitments on 28 March 2023.
FOCAL_POINT_CHANGED = {11, 12}

COMPLETED_PART = {
    "fr": "Activités réalisées (non détaillées dans le relevé des conclusions)",
    "ar": "الأنشطة المنجزة (غير مفصلة في محضر الاجتماع)",
    "en": "Completed activities (not itemised in the minutes)",
}
ALL_ACTIVITIES = {
    "fr": "Ensemble des activités de l'engagement",
    "ar": "مجموع أنشطة الالتزام",
    "en": "All activities of the commitment",
}
OGP_VALUE_FIELDS = {
    "access_to_information": "value_access_to_information",
    "civic_participation": "value_civic_participation",
    "public_accountability": "value_public_accountability",
    "technology_innovation": "value_technology_innovation",
}


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, model: type[models.Model], created: bool, changed: bool) -> None:
        name = str(model._meta.verbose_name_plural)
        if created:
            self.created[name] = self.created.get(name, 0) + 1
        elif changed:
            self.updated[name] = self.updated.get(name, 0) + 1


def read(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def translated(prefix: str, texts: dict[str, str] | None) -> dict[str, str]:
    texts = texts or {}
    return {f"{prefix}_{lang}": (texts.get(lang) or "").strip() for lang in CONTENT_LANGUAGES}


M = TypeVar("M", bound=models.Model)


def upsert(
    report: LoadReport,
    model: type[M],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    recorded_at: datetime.datetime | None = None,
) -> M:
    obj, created, changed = save_changes(
        model, lookup, values, clean=False, recorded_at=recorded_at
    )
    report.count(model, created=created, changed=changed)
    return obj


def completed_part_weight(rate: int, unfinished: list[int]) -> Decimal:
    """Weight of one completed activity that, beside unfinished activities of weight 1, gives
    the commitment the rate in the minutes: (100 w + Σp) / (w + n) = rate."""
    if rate >= 100:
        return Decimal(1)
    weight = (Decimal(len(unfinished) * rate) - sum(Decimal(p) for p in unfinished)) / Decimal(
        100 - rate
    )
    if weight <= 0:
        raise ValueError(f"Rate {rate} % is below the unfinished activities {unfinished}.")
    return weight.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


class DemoLoader:
    def __init__(self, *, create_users: bool) -> None:
        self.create_users = create_users
        self.report = LoadReport()
        self.institutions: dict[str, Institution] = {}
        self.adopted: datetime.datetime | None = None
        self._recorded: dict[str, set[int]] = {}

    def load(self) -> LoadReport:
        self.load_institutions(read("institutions.json"))
        if self.create_users:
            self.load_secretariat()
        with series_deferred():  # each plan's progress series rebuilt once, at the end
            for seed, meeting, ref in [
                ("pan_2018_2020.json", IMPLEMENTATION_2020, IMPLEMENTATION_2020_REF),
                ("pan_2021_2023.json", STEERING_2023, STEERING_2023_REF),
            ]:
                plan = self.load_plan(read(seed), meeting, ref)
                refresh_plan_series(plan.pk)  # its weights are set after its figures
        return self.report

    @cached_property
    def password_hash(self) -> str:
        # Hashing is slow on purpose; the demo users share one password, hence one hash.
        return make_password(DEMO_PASSWORD)

    # Reference data -------------------------------------------------------------------------

    def load_institutions(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.institutions[row["code"]] = upsert(
                self.report,
                Institution,
                {"code": row["code"]},
                {
                    "acronym": row.get("acronym") or "",
                    "kind": row["kind"],
                    **translated("name", row["name"]),
                },
            )

    def load_secretariat(self) -> User:
        group = upsert(self.report, Group, {"name": SECRETARIAT_GROUP}, {})
        wanted = set(
            Permission.objects.filter(
                content_type__app_label__in=["commitments", "meetings", "reports", "cocreation"]
            ).values_list("pk", flat=True)
        )
        if set(group.permissions.values_list("pk", flat=True)) != wanted:
            group.permissions.set(wanted)
        user = self.user(
            "secretariat",
            first_name="Secrétariat",
            last_name="gouvernement ouvert",
            is_staff=True,
            usable_password=True,
        )
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
        return user

    def user(self, username: str, *, usable_password: bool, **values: Any) -> User:
        values.setdefault("email", f"{username}@example.org")
        user = User.objects.filter(username=username).first()
        created = user is None
        if user is None:
            user = User(username=username, **values)
            if usable_password:
                user.password = self.password_hash
            else:
                user.set_unusable_password()
            user.save()
        self.report.count(User, created=created, changed=False)
        return user

    # Plans ----------------------------------------------------------------------------------

    def load_plan(
        self, data: dict[str, Any], reported_at: datetime.datetime, ref: dict[str, str]
    ) -> Plan:
        start_date = datetime.date.fromisoformat(data["start_date"])
        # The plan, its axes, commitments and activities exist since the plan started: their
        # history rows say so, before the figures recorded at the meetings.
        self.adopted = timezone.make_aware(datetime.datetime.combine(start_date, datetime.time()))
        plan = upsert(
            self.report,
            Plan,
            {"code": data["code"]},
            {
                "start_date": start_date,
                "end_date": datetime.date.fromisoformat(data["end_date"]),
                "is_current": data["is_current"],
                "status": Plan.Status.IMPLEMENTATION if data["is_current"] else Plan.Status.CLOSED,
                **translated("title", data["title"]),
            },
            recorded_at=self.adopted,
        )
        axes = {
            row["number"]: upsert(
                self.report,
                Axis,
                {"plan": plan, "number": row["number"]},
                translated("title", row["title"]),
                recorded_at=self.adopted,
            )
            for row in data["axes"]
        }
        for row in data["commitments"]:
            commitment = self.load_commitment(plan, axes[row["axis"]], row)
            if data["is_current"]:
                self.load_current_activities(commitment, row, reported_at, ref)
                self.load_current_focal_points(plan, commitment)
            else:
                self.load_closed_plan_activity(commitment, row, reported_at, ref)
                self.load_named_focal_points(plan, commitment, row, reported_at)
        return plan

    def load_commitment(self, plan: Plan, axis: Axis, row: dict[str, Any]) -> Commitment:
        values = {
            "axis": axis,
            "ogp_id": row["ogp_id"],
            "lead_institution": self.institutions[row["lead_institution"]],
            "status": Commitment.Status.ACTIVE,
            "start_date": plan.start_date,
            "end_date": plan.end_date,
            **translated("title", row["title"]),
            **translated("remarks", row.get("remark")),
        }
        for value, field_name in OGP_VALUE_FIELDS.items():
            values[field_name] = value in row.get("ogp_values", [])
        commitment = upsert(
            self.report,
            Commitment,
            {"plan": plan, "number": row["number"]},
            values,
            recorded_at=self.adopted,
        )
        supporting = {self.institutions[code].pk for code in row.get("supporting_institutions", [])}
        if set(commitment.supporting_institutions.values_list("pk", flat=True)) != supporting:
            commitment.supporting_institutions.set(supporting)
        return commitment

    # Activities and their recorded figures ----------------------------------------------------

    def load_current_activities(
        self,
        commitment: Commitment,
        row: dict[str, Any],
        reported_at: datetime.datetime,
        ref: dict[str, str],
    ) -> None:
        unfinished = row.get("unfinished_activities", [])
        weight = completed_part_weight(row["rate"], [a["progress"] for a in unfinished])
        done_title = ALL_ACTIVITIES if row.get("all_done") else COMPLETED_PART
        if row.get("all_done") or row["rate"] < 100:
            done = self.activity(commitment, 0, done_title, weight)
            self.record(done, 100, reported_at, ref)
        for position, item in enumerate(unfinished, start=1):
            activity = self.activity(commitment, position, item["title"], Decimal(1))
            reason = item.get("blocked_reason") or {}
            self.record(activity, item["progress"], reported_at, ref, blocked_reason=reason)

    def load_closed_plan_activity(
        self,
        commitment: Commitment,
        row: dict[str, Any],
        reported_at: datetime.datetime,
        ref: dict[str, str],
    ) -> None:
        activity = self.activity(commitment, 1, ALL_ACTIVITIES, Decimal(1))
        self.record(activity, row["rate"], reported_at, ref, narrative=row.get("details") or None)

    def activity(
        self, commitment: Commitment, position: int, title: dict[str, str], weight: Decimal
    ) -> Activity:
        return upsert(
            self.report,
            Activity,
            {"commitment": commitment, "position": position},
            {"weight": weight, **translated("title", title)},
            recorded_at=self.adopted,
        )

    def record(
        self,
        activity: Activity,
        progress: int,
        reported_at: datetime.datetime,
        ref: dict[str, str],
        *,
        narrative: dict[str, str] | None = None,
        blocked_reason: dict[str, str] | None = None,
    ) -> None:
        if activity.pk in self.recorded(ref["fr"]):
            return
        if narrative is None:
            narrative = {
                code: text.format(ref=ref[code]) for code, text in RATE_OF_THE_MEETING.items()
            }
        progress_update_record(
            activity=activity,
            author=None,
            new_progress=progress,
            new_status=Activity.Status.BLOCKED if blocked_reason else None,
            blocked_reason=blocked_reason or "",
            narrative=narrative,
            source=ProgressUpdate.Source.MEETING,
            source_reference=ref,
            state=ProgressUpdate.State.VALIDATED,
            created_at=reported_at,
        )
        self.report.count(ProgressUpdate, created=True, changed=False)
        self.recorded(ref["fr"]).add(activity.pk)

    def recorded(self, reference: str) -> set[int]:
        """The activities that have an update from the source ``reference`` (a meeting's
        minutes): read once per source, so that loading twice records nothing twice."""
        if reference not in self._recorded:
            updates = ProgressUpdate.objects.filter(source_reference_fr=reference)
            self._recorded[reference] = set(updates.values_list("activity_id", flat=True))
        return self._recorded[reference]

    # Focal points -----------------------------------------------------------------------------

    def load_current_focal_points(self, plan: Plan, commitment: Commitment) -> None:
        if not self.create_users:
            return
        number = commitment.number
        start = plan.start_date
        if number in FOCAL_POINT_CHANGED:
            previous = self.user(
                f"focal{number}-previous",
                first_name="Ancien point focal",
                last_name=f"engagement {number}",
                usable_password=False,
            )
            start = STEERING_2023.date()
            self.assign(commitment, previous, plan.start_date, start - datetime.timedelta(days=1))
        user = self.user(
            f"focal{number}",
            first_name="Point focal",
            last_name=f"engagement {number}",
            usable_password=True,
        )
        self.assign(commitment, user, start, None)

    def load_named_focal_points(
        self,
        plan: Plan,
        commitment: Commitment,
        row: dict[str, Any],
        reported_at: datetime.datetime,
    ) -> None:
        # The minutes of 21 December 2020 name them; their terms end with that plan's follow-up.
        end = max(plan.end_date, reported_at.date())
        for person in row.get("focal_points", []):
            first_name, _sep, last_name = person["name"].partition(" ")
            user = self.user(
                slugify(person["name"]).replace("-", "."),
                first_name=first_name,
                last_name=last_name,
                usable_password=False,
            )
            # "Mme. Hajar HADI, suppléante point focal engagement 10": the form of her role.
            gender = gender_of_civility(person.get("civility") or "")
            if gender:
                upsert(self.report, Profile, {"user": user}, {"gender": gender})
            institution = self.institutions.get(person.get("institution") or "")
            self.assign(
                commitment,
                user,
                plan.start_date,
                end,
                role=person["role"],
                institution=institution or commitment.lead_institution,
                name_published=True,  # the published minutes name them
            )

    def assign(
        self,
        commitment: Commitment,
        user: User,
        start: datetime.date,
        end: datetime.date | None,
        *,
        role: str = FocalPointAssignment.Role.TITULAR,
        institution: Institution | None = None,
        name_published: bool = False,
    ) -> None:
        upsert(
            self.report,
            FocalPointAssignment,
            {"commitment": commitment, "user": user, "role": role, "start_date": start},
            {
                "end_date": end,
                "institution": institution or commitment.lead_institution,
                "name_published": name_published,
            },
        )


def load_demo(*, create_users: bool) -> LoadReport:
    return DemoLoader(create_users=create_users).load()
