"""The benchmarks' data: a throwaway database with the demo and a 500-commitment plan.

Shared by the benchmarks (run as scripts, this folder is on sys.path). ``configure_environment()``
must run before Django reads its settings; it points the var folder, MEDIA_ROOT and
CELERY_DATA_DIR at var/bench/ and DATABASE_URL at var/bench/bench.sqlite3, or at the PostgreSQL
database it is given (dropped and created anew), so a benchmark never touches the development or
production database.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
DB_PATH = BENCH_DIR / "bench.sqlite3"

DEMO_PLAN = "PAN-2021-2023"
BIG_PLAN = "BENCH-500"
COMMITMENTS = 500
ACTIVITIES_PER_COMMITMENT = 10
UPDATES_PER_ACTIVITY = 5
INSTITUTIONS = 20
AXES = 5


def configure_environment(fresh: bool = True, database_url: str = "") -> None:
    """Before Django reads its settings: a database and var folder of our own, made anew when
    ``fresh`` (otherwise the ones a previous call made, e.g. in a subprocess). The database is
    the SQLite file DB_PATH, or the PostgreSQL database ``database_url`` names."""
    if fresh:
        if os.environ.get("DATABASE_URL"):
            used = database_url or DB_PATH
            print(f"note: DATABASE_URL is ignored; the benchmark uses {used}", file=sys.stderr)
        shutil.rmtree(BENCH_DIR, ignore_errors=True)
        BENCH_DIR.mkdir(parents=True)
        if database_url:
            recreate_postgres_database(database_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ogp_portal.settings"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{DB_PATH}"
    os.environ["OGP_VAR_DIR"] = str(BENCH_DIR)
    os.environ["MEDIA_ROOT"] = str(BENCH_DIR / "media")
    os.environ["CELERY_DATA_DIR"] = str(BENCH_DIR / "celery")
    os.environ["DEBUG"] = "1"  # load_demo creates its users only with DEBUG on
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))


def collect_static(env: dict[str, str]) -> None:
    """``manage.py collectstatic`` with ``env`` (its STATIC_ROOT): the manifest that the
    production settings (DEBUG off) serve the static files by."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR, env=env, check=True,
    )  # fmt: skip


def recreate_postgres_database(url: str) -> None:
    """Drop the database ``url`` names (whoever is connected to it) and create it empty."""
    import dj_database_url
    import psycopg2

    server = dj_database_url.parse(url)
    if server["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(f"{url} is not a PostgreSQL database (postgres://user@host:port/name)")
    connection = psycopg2.connect(
        dbname="postgres",
        user=server.get("USER") or "postgres",
        password=server.get("PASSWORD") or None,
        host=server.get("HOST") or "127.0.0.1",
        port=server.get("PORT") or 5432,
        connect_timeout=5,
    )
    connection.autocommit = True
    name = server["NAME"].replace('"', '""')
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def prepare_database(started: float) -> None:
    """After django.setup(): migrate, load the demo and build BENCH-500, saying how long."""
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    print(f"demo loaded ({time.perf_counter() - started:.1f} s)", flush=True)
    build_big_plan()
    print(f"{BIG_PLAN} built ({time.perf_counter() - started:.1f} s)", flush=True)


def build_big_plan() -> None:
    """BENCH-500, written with bulk_create: what years of updates would have left behind."""
    import copy
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from commitments.models import Activity, Axis, Commitment, Institution, Plan, ProgressUpdate
    from commitments.progress_history import rebuild_plan_series
    from commitments.services import status_for_progress

    now = timezone.now()
    year_ago = now - datetime.timedelta(days=365)
    created = year_ago - datetime.timedelta(days=1)
    total_updates = COMMITMENTS * ACTIVITIES_PER_COMMITMENT * UPDATES_PER_ACTIVITY

    with transaction.atomic():
        plan = Plan.objects.create(
            code=BIG_PLAN,
            title_fr="Plan de référence (500 engagements)",
            title_en="Benchmark plan (500 commitments)",
            title_ar="خطة مرجعية (500 التزام)",
            start_date=year_ago.date(),
            end_date=(now + datetime.timedelta(days=365)).date(),
            status=Plan.Status.IMPLEMENTATION,
        )
        institutions = Institution.objects.bulk_create(
            Institution(
                code=f"BENCH-I{n:02d}",
                name_fr=f"Institution de référence {n}",
                name_en=f"Benchmark institution {n}",
                name_ar=f"مؤسسة مرجعية {n}",
                acronym=f"IR{n}",
                kind=Institution.Kind.ADMINISTRATION,
            )
            for n in range(1, INSTITUTIONS + 1)
        )
        axes = Axis.objects.bulk_create(
            Axis(
                plan=plan,
                number=n,
                title_fr=f"Axe de référence {n}",
                title_en=f"Benchmark axis {n}",
                title_ar=f"محور مرجعي {n}",
            )
            for n in range(1, AXES + 1)
        )
        commitments = Commitment.objects.bulk_create(
            Commitment(
                plan=plan,
                axis=axes[n % AXES],
                number=n,
                title_fr=f"Engagement de référence {n}",
                title_en=f"Benchmark commitment {n}",
                title_ar=f"التزام مرجعي {n}",
                challenge_fr="Un défi décrit en quelques mots.",
                lead_institution=institutions[n % INSTITUTIONS],
                value_access_to_information=n % 2 == 0,
                value_civic_participation=n % 3 == 0,
            )
            for n in range(1, COMMITMENTS + 1)
        )
        for commitment in commitments:
            commitment._history_date = created  # type: ignore[attr-defined]
        Commitment.history.bulk_history_create(commitments)

        activities = []
        for commitment in commitments:
            for position in range(1, ACTIVITIES_PER_COMMITMENT + 1):
                activities.append(
                    Activity(
                        commitment=commitment,
                        position=position,
                        title_fr=f"Activité {commitment.number}.{position}",
                        title_en=f"Activity {commitment.number}.{position}",
                        title_ar=f"نشاط {commitment.number}.{position}",
                        version=1,
                    )
                )
        Activity.objects.bulk_create(activities, batch_size=500)
        for activity in activities:
            activity._history_date = created  # type: ignore[attr-defined]
        Activity.history.bulk_history_create(activities, batch_size=500)

        # Update k of every activity comes after update k-1 of all of them; together they
        # spread over the past year. Each validated update also leaves an activity history row
        # (apply_validated_update saves the activity), as recording it through the service does.
        updates = []
        states = []
        for k in range(UPDATES_PER_ACTIVITY):
            for index, activity in enumerate(activities):
                target = (index * 37) % 101
                old_progress, old_status = activity.progress, activity.status
                new_progress = round(target * (k + 1) / UPDATES_PER_ACTIVITY)
                new_status = status_for_progress(new_progress)
                step = k * len(activities) + index + 1
                at = year_ago + (now - year_ago) * step / total_updates
                updates.append(
                    ProgressUpdate(
                        activity=activity,
                        created_at=at,
                        old_progress=old_progress,
                        new_progress=new_progress,
                        old_status=old_status,
                        new_status=new_status,
                        narrative=f"Point d'étape {k + 1}.",
                        state=ProgressUpdate.State.VALIDATED,
                        source=ProgressUpdate.Source.IMPORT,
                    )
                )
                activity.progress, activity.status = new_progress, new_status
                activity.version += 1
                state = copy.copy(activity)
                state._history_date = at  # type: ignore[attr-defined]
                states.append(state)
        ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
        Activity.history.bulk_history_create(states, update=True, batch_size=500)
        Activity.objects.bulk_update(activities, ["progress", "status", "version"], batch_size=500)
        # And the progress series that accepting them one by one would have kept.
        rebuild_plan_series(plan.pk)

    check_big_plan(plan, total_updates)


def check_big_plan(plan, total_updates: int) -> None:
    """Every activity's progress is its last validated update's figure."""
    from django.db.models import F, OuterRef, Subquery

    from commitments.models import Activity, ProgressUpdate

    activities = Activity.objects.filter(commitment__plan=plan)
    latest = ProgressUpdate.objects.filter(activity=OuterRef("pk")).order_by("-created_at", "-pk")
    mismatched = (
        activities.annotate(last=Subquery(latest.values("new_progress")[:1]))
        .exclude(progress=F("last"))
        .count()
    )
    updates = ProgressUpdate.objects.filter(activity__commitment__plan=plan).count()
    if mismatched or updates != total_updates:
        sys.exit(f"BENCH-500 is inconsistent: {mismatched} activities, {updates} updates")
