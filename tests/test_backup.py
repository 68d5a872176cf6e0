"""manage.py backup and restore: one archive holds the database and the media files; restored
into an empty database and an empty media folder it gives the same pages and the same
downloadable files. What cannot be restored safely is refused before anything is written."""

import difflib
import io
import json
import os
import subprocess
import sys
import tarfile
from types import SimpleNamespace

import psycopg2
import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from commitments.models import Activity, Evidence, Plan, ProgressUpdate
from commitments.services import (
    EvidenceInput,
    UpdateEntry,
    progress_update_record,
    progress_update_submit,
)
from meetings.models import Meeting
from reports.models import ReportVersion
from reports.services import report_default_for, report_generation_request
from tests.conftest import BASE_DIR, database_url_of, url_in
from tests.factories import PDF_BYTES, ActivityFactory, UserFactory

PLAN = "PAN-2021-2023"


def manage(*args: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, **kwargs
    )
    assert result.returncode == 0, result.stderr
    return result


def environment(database_url: str, media_root) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings_test",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
    }


def snapshot(env: dict, paths: list[str], out) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "tests.snapshot", json.dumps(paths), str(out)],
        cwd=BASE_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def files(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a database that does not exist yet (SQLite) or has no table (PostgreSQL)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    server = {k: settings[k] for k in ("USER", "PASSWORD", "HOST", "PORT")}
    admin = psycopg2.connect(
        dbname="postgres", user=server["USER"] or "postgres", password=server["PASSWORD"] or None,
        host=server["HOST"] or "127.0.0.1", port=server["PORT"] or 5432,
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield database_url_of({**settings, "NAME": name})
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def portal(transactional_db, settings, numbered_pdf):
    """The demo, committed, with a report PDF and a file of evidence in the media folder; the
    addresses whose pages and downloads a restore must give back."""
    settings.DEBUG = True  # load_demo creates the demo users only when DEBUG is on
    call_command("load_demo", verbosity=0)
    secretariat = User.objects.get(username="secretariat")
    plan = Plan.objects.get(code=PLAN)
    report = report_default_for(plan)
    version, _created = report_generation_request(report=report, language="fr", user=secretariat)
    version.refresh_from_db()
    assert version.status == ReportVersion.Status.READY
    activity = Activity.objects.filter(commitment__plan=plan, progress__gt=0, progress__lt=90)[0]
    evidence = EvidenceInput(file=SimpleUploadedFile("atelier.pdf", PDF_BYTES + b"%atelier"))
    entry = UpdateEntry(activity=activity, progress=activity.progress + 10, evidence=[evidence])
    progress_update_submit(entry=entry, author=secretariat)
    meeting = Meeting.objects.order_by("pk").first()
    paths = [
        "/fr/", "/ar/", url_in(activity.commitment, "fr"), url_in(activity, "ar"),
        url_in(meeting, "fr"), "/fr/reports/", f"/fr/secretariat/reports/{report.pk}/",
        f"/api/v1/commitments/?plan={PLAN}", f"/api/v1/reports/{version.pk}/pdf/",
        f"/fr/evidence/{Evidence.objects.get(update__activity=activity).pk}/download/",
    ]  # fmt: skip
    return SimpleNamespace(paths=paths, report=report.pk, version=version.pk)


def test_a_restore_into_an_empty_database_gives_the_same_pages_and_files(
    portal, settings, empty_database, tmp_path
):
    source = environment(database_url_of(connection.settings_dict), settings.MEDIA_ROOT)
    before = snapshot(source, portal.paths, tmp_path / "before")
    archive = tmp_path / "portal.tar.gz"
    archive.write_bytes(manage("backup", "-", env=source).stdout)  # to stdout, as in compose

    restored_media = tmp_path / "restored-media"
    restored = environment(empty_database, restored_media)
    manage("restore", str(archive), env=restored)
    after = snapshot(restored, portal.paths, tmp_path / "after")

    assert files(restored_media) == files(settings.MEDIA_ROOT)
    assert any(name.startswith("reports/") for name in files(restored_media))
    assert any(name.startswith("evidence/") for name in files(restored_media))
    differing = [key for key in before if before[key] != after[key]]
    assert not differing, diff_of(differing[0], portal.paths, tmp_path)
    assert {key: status for key, (status, _digest) in before.items() if status != 200} == {
        f"anonymous /fr/secretariat/reports/{portal.report}/": 302,  # to the login page
        f"anonymous /api/v1/reports/{portal.version}/pdf/": 404,  # a draft's version
    }  # the secretariat gets every page, the report's PDF and the evidence
    # The sequences follow the restored rows: new rows get new ids.
    manage("shell", "-c", NEW_ROWS, env=restored)


NEW_ROWS = """
from django.contrib.auth.models import User
from commitments.models import Activity
from commitments.services import progress_update_record
User.objects.create(username="after-restore")
activity = Activity.objects.order_by("pk").last()
progress_update_record(activity=activity, author=None, new_progress=5, source="web")
"""


def diff_of(key: str, paths: list[str], tmp_path) -> str:
    who, path = key.split(" ", 1)
    name = f"{who}-{paths.index(path)}"
    old = (tmp_path / "before" / name).read_bytes().decode(errors="replace").splitlines()
    new = (tmp_path / "after" / name).read_bytes().decode(errors="replace").splitlines()
    return f"{key} differs:\n" + "\n".join(list(difflib.unified_diff(old, new, lineterm=""))[:60])


# Refusals: in this process, on the test database ------------------------------------------


@pytest.fixture
def archive(db, settings, tmp_path):
    """A backup of a portal with one user and one media file."""
    UserFactory(username="kept")
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "note.txt").write_bytes(b"note")
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    User.objects.all().delete()
    (settings.MEDIA_ROOT / "evidence" / "note.txt").unlink()
    (settings.MEDIA_ROOT / "evidence").rmdir()
    return path


def rewritten(path, tmp_path, change) -> str:
    """A copy of the archive at ``path`` with ``change(members)`` applied: members maps each
    name to its bytes (None for a folder)."""
    with tarfile.open(path) as tar:
        members = {
            m.name: (tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()
        }
    change(members)
    copy = tmp_path / "rewritten.tar.gz"
    with tarfile.open(copy, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            if content is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    return str(copy)


def test_restore_brings_back_the_users_and_the_media_files(archive, settings):
    call_command("restore", str(archive), stdout=io.StringIO())

    assert list(User.objects.values_list("username", flat=True)) == ["kept"]
    assert (settings.MEDIA_ROOT / "evidence" / "note.txt").read_bytes() == b"note"


def test_restore_refuses_a_database_that_is_not_empty(archive, settings):
    UserFactory(username="someone")

    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", str(archive))

    assert list(User.objects.values_list("username", flat=True)) == ["someone"]
    assert files(settings.MEDIA_ROOT) == {}


def test_restore_refuses_a_media_folder_with_files(archive, settings):
    (settings.MEDIA_ROOT / "left.txt").write_bytes(b"left")

    with pytest.raises(CommandError, match="file storage is not empty .*media"):
        call_command("restore", str(archive))

    assert not User.objects.exists()
    assert files(settings.MEDIA_ROOT) == {"left.txt": b"left"}


def test_restore_refuses_an_archive_made_by_another_version_of_the_portal(
    archive, settings, tmp_path
):
    def newer(members):
        manifest = json.loads(members["ogp-backup/manifest.json"])
        manifest["migrations"].append("commitments.9999_from_the_future")
        members["ogp-backup/manifest.json"] = json.dumps(manifest).encode()

    with pytest.raises(CommandError, match="another version of the portal"):
        call_command("restore", rewritten(archive, tmp_path, newer))

    assert not User.objects.exists()
    assert files(settings.MEDIA_ROOT) == {}


def test_restore_refuses_a_file_outside_the_media_folder(archive, settings, tmp_path):
    def escaping(members):
        members["ogp-backup/media/../../escaped.txt"] = b"outside"

    with pytest.raises(CommandError, match="escaped.txt"):
        call_command("restore", rewritten(archive, tmp_path, escaping))

    assert not (settings.MEDIA_ROOT.parent / "escaped.txt").exists()
    assert not (tmp_path / "escaped.txt").exists()
    assert not User.objects.exists()


def test_restore_refuses_a_media_file_that_does_not_match_the_manifest(archive, settings, tmp_path):
    def damaged(members):
        members["ogp-backup/media/evidence/note.txt"] = b"changed"

    with pytest.raises(CommandError, match="evidence/note.txt"):
        call_command("restore", rewritten(archive, tmp_path, damaged))

    assert not User.objects.exists()
    assert files(settings.MEDIA_ROOT) == {}


def test_a_failed_database_load_leaves_the_database_and_the_media_folder_empty(
    archive, settings, tmp_path
):
    def broken(members):
        rows = json.loads(members["ogp-backup/database.json"])
        rows.append({"model": "auth.user", "pk": 1, "fields": {"username": None}})
        members["ogp-backup/database.json"] = json.dumps(rows).encode()

    with pytest.raises(CommandError, match="database could not be loaded"):
        call_command("restore", rewritten(archive, tmp_path, broken))

    assert not User.objects.exists()
    assert files(settings.MEDIA_ROOT) == {}


def test_backup_names_the_files_the_database_refers_to_but_the_media_folder_lacks(
    db, settings, tmp_path
):
    update = progress_update_record(
        activity=ActivityFactory(), author=None, new_progress=10, source=ProgressUpdate.Source.WEB
    )
    Evidence.objects.create(update=update, title="lost", file="evidence/2024/01/lost.pdf")
    err = io.StringIO()

    call_command("backup", str(tmp_path / "b.tar.gz"), stdout=io.StringIO(), stderr=err)

    assert "evidence/2024/01/lost.pdf" in err.getvalue()


# Through the storage API: what an object store looks like to the code ---------------------


@pytest.fixture
def in_memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return storages["default"]


def test_backup_and_restore_go_through_the_storage_not_the_media_folder(
    db, in_memory_storage, settings, tmp_path
):
    UserFactory(username="kept")
    in_memory_storage.save("evidence/2024/note.txt", ContentFile(b"note"))
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    with tarfile.open(path) as tar:
        assert tar.extractfile("ogp-backup/media/evidence/2024/note.txt").read() == b"note"
    User.objects.all().delete()
    in_memory_storage.delete("evidence/2024/note.txt")

    call_command("restore", str(path), stdout=io.StringIO())

    assert list(User.objects.values_list("username", flat=True)) == ["kept"]
    assert in_memory_storage.open("evidence/2024/note.txt").read() == b"note"
    assert files(settings.MEDIA_ROOT) == {}  # nothing went to the local folder


def test_restore_refuses_a_storage_that_is_not_empty(db, in_memory_storage, tmp_path):
    in_memory_storage.save("evidence/note.txt", ContentFile(b"note"))
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())

    with pytest.raises(CommandError, match="file storage is not empty"):
        call_command("restore", str(path))


def test_a_file_that_cannot_be_written_leaves_the_database_and_the_storage_empty(
    db, in_memory_storage, tmp_path, monkeypatch
):
    UserFactory(username="kept")
    for name in ["evidence/a.txt", "evidence/b.txt"]:
        in_memory_storage.save(name, ContentFile(name.encode()))
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    User.objects.all().delete()
    for name in ["evidence/a.txt", "evidence/b.txt"]:
        in_memory_storage.delete(name)
    save = in_memory_storage.save

    def failing_second(name, content, **kwargs):
        if name.endswith("b.txt"):
            raise OSError("the object store refused the write")
        return save(name, content, **kwargs)

    monkeypatch.setattr(in_memory_storage, "save", failing_second)

    with pytest.raises(CommandError, match="files could not be written.*object store refused"):
        call_command("restore", str(path))

    assert not User.objects.exists()
    assert not in_memory_storage.exists("evidence/a.txt")
