"""The single settings module is driven by the environment, with safe production behaviour."""

import os
import re
import secrets
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


def compose_environment(**operator: str) -> dict[str, str]:
    """The web service's environment as docker-compose.yml declares it, with ``${VAR:-default}``
    resolved from what the operator sets (``operator``), else from the default."""
    import yaml

    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    declared = compose["services"]["web"]["environment"]

    def resolve(match: re.Match) -> str:
        name, default = match.group(1), match.group(3) or ""
        if match.group(2) == "?" and name not in operator:
            raise AssertionError(f"compose requires {name}")
        return operator.get(name, "" if match.group(2) == "?" else default)

    pattern = re.compile(r"\$\{(\w+)(?::([-?]))?([^}]*)\}")
    resolved = {name: pattern.sub(resolve, str(value)) for name, value in declared.items()}
    return {**resolved, **{k: v for k, v in operator.items() if k not in resolved}}


def run_check_deploy(environment: dict[str, str]) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={**inherited, **environment, "DJANGO_SETTINGS_MODULE": "ogp_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_set_up_passes_check_deploy():
    """docker-compose.yml as the README says to run it behind HTTPS: a long random SECRET_KEY,
    the site's host names and HTTPS_ONLY=1."""
    environment = compose_environment(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portail-ogp.example.org",
        CSRF_TRUSTED_ORIGINS="https://portail-ogp.example.org",
        HTTPS_ONLY="1",
    )
    result = run_check_deploy(environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_https_only_is_the_one_answer_to_hsts_and_the_ssl_redirect():
    environment = compose_environment(SECRET_KEY=secrets.token_urlsafe(50))
    result = run_check_deploy(environment)
    warned = set(re.findall(r"security\.W\d+", result.stdout + result.stderr))
    assert warned == {"security.W004", "security.W008"}


def test_compose_keeps_cookies_secure_unless_told_otherwise():
    environment = compose_environment(SECRET_KEY="x" * 50)
    assert environment["SESSION_COOKIE_SECURE"] == "1"
    assert environment["CSRF_COOKIE_SECURE"] == "1"
    assert environment["HTTPS_ONLY"] == "0"
    assert environment["AXES_PROXY_COUNT"] == "0"


def test_a_malformed_api_rate_stops_the_start_with_its_name():
    result = run_check(API_THROTTLE_ANON="lots")
    assert result.returncode != 0
    assert "API_THROTTLE_ANON must be a rate such as 60/minute" in result.stderr


def test_api_rates_can_be_switched_off():
    assert run_check(API_THROTTLE_ANON="off", API_THROTTLE_USER="1000/hour").returncode == 0


def test_production_without_redis_is_warned_that_its_cache_lives_in_one_process():
    """Several gunicorn workers or machines would each count API requests on their own."""
    environment = compose_environment(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portail-ogp.example.org",
        CSRF_TRUSTED_ORIGINS="https://portail-ogp.example.org",
        HTTPS_ONLY="1",
    )
    result = run_check_deploy({**environment, "CELERY_BROKER_URL": "filesystem://"})
    assert result.returncode != 0
    assert set(re.findall(r"portal\.W\d+", result.stdout + result.stderr)) == {"portal.W001"}


def test_a_cache_backed_session_on_a_per_process_cache_is_warned():
    environment = compose_environment(
        SECRET_KEY=secrets.token_urlsafe(50),
        HTTPS_ONLY="1",
        SESSION_ENGINE="django.contrib.sessions.backends.cache",
    )
    result = run_check_deploy({**environment, "CELERY_BROKER_URL": "filesystem://"})
    assert {"portal.W001", "portal.W002"} <= set(
        re.findall(r"portal\.W\d+", result.stdout + result.stderr)
    )


def test_the_object_store_is_chosen_by_the_environment():
    code = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "STORAGE_BACKEND"}
    }
    local = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env={**environment, "DJANGO_SETTINGS_MODULE": "ogp_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert local.stdout.strip() == "django.core.files.storage.FileSystemStorage", local.stderr
    s3 = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env={
            **environment,
            "DJANGO_SETTINGS_MODULE": "ogp_portal.settings",
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": "ogp-media",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert s3.stdout.strip() == "storages.backends.s3.S3Storage", s3.stderr


def test_an_unknown_storage_backend_stops_the_start_with_its_name():
    result = run_check(STORAGE_BACKEND="ftp")
    assert result.returncode != 0
    assert "STORAGE_BACKEND must be local or s3" in result.stderr
