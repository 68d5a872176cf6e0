"""The French and Arabic catalogs cover every interface string of the code as it is now."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
# The project's own apps are the installed apps that live in the repository.
APPS = [app for app in settings.INSTALLED_APPS if (BASE_DIR / app).is_dir()]
SOURCES = ["manage.py", "ogp_portal", "templates", "locale", *APPS]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A copy of the project whose catalogs were refreshed by makemessages."""
    copy = tmp_path_factory.mktemp("catalogs")
    for name in SOURCES:
        source = BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "-l", "ar", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return copy


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_catalog_is_complete(extracted, lang):
    catalog = extracted / "locale" / lang / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalog)],
        capture_output=True,
        text=True,
        check=True,
    )
    statistics = result.stderr.strip()
    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics
