"""Settings come from the environment only; the defaults run everything on one machine.

Each case loads config/settings.py in a fresh Python process with a controlled environment, since the
test process has already loaded the settings with its own variables.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS_FILE = BASE_DIR / "config" / "settings.py"


def variables_read_by_settings() -> set[str]:
    """Every variable config/settings.py reads: env("X"), env_bool("X"), env_list("X") and env="X"
    (dj-database-url's keyword)."""
    pattern = r"""\benv(?:_bool|_list)?(?:\(\s*|=)["']([A-Z][A-Z0-9_]*)["']"""
    return set(re.findall(pattern, SETTINGS_FILE.read_text()))


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without anything the settings read (this pass may set DATABASE_URL…)
    nor Django's own variables (a test module may set DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy
    rightly refuses)."""
    read = variables_read_by_settings()
    environ = {k: v for k, v in os.environ.items() if k not in read and not k.startswith("DJANGO_")}
    environ.update(DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(BASE_DIR), **variables)
    return environ


def load_settings(names: list[str], **variables: str) -> dict:
    code = (
        "import json, django\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, default=str))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=clean_environment(**variables),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=clean_environment(**variables),
                          capture_output=True, text=True, timeout=120)


def test_the_settings_read_the_variables_the_readme_documents():
    read = variables_read_by_settings()
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= read
    readme = (BASE_DIR / "README.md").read_text()
    undocumented = sorted(name for name in read if f"`{name}`" not in readme)
    assert not undocumented, f"README.md does not document {undocumented}"


def test_defaults_run_on_one_machine_with_nothing_installed(tmp_path):
    s = load_settings(
        ["DATABASES", "CELERY_BROKER_URL", "CELERY_BROKER_TRANSPORT_OPTIONS", "CELERY_TASK_ALWAYS_EAGER", "DEBUG",
         "EMAIL_BACKEND", "TIME_ZONE", "CELERY_TIMEZONE", "USE_TZ", "LANGUAGE_CODE", "LANGUAGES", "ALLOWED_HOSTS"],
        CELERY_BROKER_DIR=str(tmp_path / "broker"),
    )
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(BASE_DIR / "var" / "db.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert s["CELERY_BROKER_URL"] == "filesystem://"
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"]["data_folder_in"] == str(tmp_path / "broker" / "queue")
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"]["control_folder"] == str(tmp_path / "broker" / "control")
    assert all((tmp_path / "broker" / sub).is_dir() for sub in ("queue", "processed", "control"))
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False
    assert s["DEBUG"] is False
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert s["TIME_ZONE"] == s["CELERY_TIMEZONE"] == "Europe/Brussels"
    assert s["USE_TZ"] is True
    assert s["LANGUAGE_CODE"] == "nl"
    assert [code for code, _name in s["LANGUAGES"]] == ["nl", "en"]
    assert "127.0.0.1" in s["ALLOWED_HOSTS"]


def test_database_url_is_parsed():
    s = load_settings(["DATABASES"], DATABASE_URL="postgres://samen:s3cret@db.example.be:6543/samenaankoop",
                      DB_CONN_MAX_AGE="60")
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], int(db["PORT"])) == (
        "samenaankoop", "samen", "s3cret", "db.example.be", 6543)
    assert db["CONN_MAX_AGE"] == 60
    assert "transaction_mode" not in db.get("OPTIONS", {})  # an SQLite-only option


def test_a_real_broker_replaces_the_filesystem_transport():
    s = load_settings(["CELERY_BROKER_URL", "CELERY_BROKER_TRANSPORT_OPTIONS", "CELERY_WORKER_ENABLE_REMOTE_CONTROL"],
                      CELERY_BROKER_URL="redis://redis.example.be:6379/0")
    assert s["CELERY_BROKER_URL"] == "redis://redis.example.be:6379/0"
    assert s["CELERY_BROKER_TRANSPORT_OPTIONS"] is None
    assert s["CELERY_WORKER_ENABLE_REMOTE_CONTROL"] is None  # Celery's default (on)


def test_hosts_debug_and_mail_come_from_the_environment():
    s = load_settings(
        ["ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DEBUG", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT",
         "EMAIL_USE_TLS", "SITE_URL", "CELERY_TASK_ALWAYS_EAGER"],
        ALLOWED_HOSTS="samenaankoop.example.be, www.example.be", CSRF_TRUSTED_ORIGINS="https://samenaankoop.example.be",
        DEBUG="1", EMAIL_HOST="smtp.example.be", EMAIL_PORT="25", EMAIL_USE_TLS="0",
        SITE_URL="https://samenaankoop.example.be", CELERY_TASK_ALWAYS_EAGER="true",
    )
    assert s["ALLOWED_HOSTS"] == ["samenaankoop.example.be", "www.example.be"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://samenaankoop.example.be"]
    assert s["DEBUG"] is True
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"], s["EMAIL_USE_TLS"]) == ("smtp.example.be", 25, False)
    assert s["SITE_URL"] == "https://samenaankoop.example.be"
    assert s["CELERY_TASK_ALWAYS_EAGER"] is True


PRODUCTION = {"DEBUG": "0", "HTTPS": "1", "ALLOWED_HOSTS": "example.be"}


def test_check_deploy_is_clean_with_the_production_variables(tmp_path):
    done = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50),
                  CELERY_BROKER_DIR=str(tmp_path), **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_refuses_the_development_secret_key(tmp_path):
    done = manage("check", "--deploy", "--fail-level", "WARNING", CELERY_BROKER_DIR=str(tmp_path), **PRODUCTION)
    assert done.returncode != 0
    assert "security.W009" in done.stdout + done.stderr  # SECRET_KEY is the insecure default
