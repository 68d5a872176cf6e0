"""The single settings module is driven by the environment, with safe production behaviour."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def run_check(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="ogp_portal.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bare_machine_defaults_pass_the_checks():
    result = run_check()
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_secret_key():
    result = run_check(DEBUG="0", SECRET_KEY="a-long-random-production-secret-for-this-test")
    assert result.returncode == 0, result.stderr


def test_a_malformed_api_rate_stops_the_start_with_its_name():
    result = run_check(API_THROTTLE_ANON="lots")
    assert result.returncode != 0
    assert "API_THROTTLE_ANON must be a rate such as 60/minute" in result.stderr


def test_api_rates_can_be_switched_off():
    assert run_check(API_THROTTLE_ANON="off", API_THROTTLE_USER="1000/hour").returncode == 0
