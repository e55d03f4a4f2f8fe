import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[1]


def test_booleans_are_strict(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env.env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "Off")
    assert env.env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ImproperlyConfigured):
        env.env_bool("FLAG", False)


def test_secrets_can_come_from_files(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert env.env_str("SOME_SECRET") == "from-a-file"
    monkeypatch.setenv("SOME_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured):
        env.env_str("SOME_SECRET")


def test_colour_and_offsets_are_validated(monkeypatch):
    monkeypatch.setenv("COLOUR", "teal")
    with pytest.raises(ImproperlyConfigured):
        env.env_colour("COLOUR", "#000000")
    monkeypatch.setenv("OFFSETS", "meeting=50")
    assert env.env_offsets("OFFSETS", {"meeting": 42, "tools_due": 28}) == {"meeting": 50, "tools_due": 28}
    monkeypatch.setenv("OFFSETS", "party=1")
    with pytest.raises(ImproperlyConfigured):
        env.env_offsets("OFFSETS", {"meeting": 42})


def _manage(*args, **environ):
    base = {"PATH": os.environ["PATH"]}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 30 + "production-like-secret-key-value",
        ALLOWED_HOSTS="audit.example.org",
        IDENTIFIER_KEYS="dGVzdHMtb25seS1pZGVudGlmaWVyLWtleS1vbmUtMzI=",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_identifier_keys():
    result = _manage("check", DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "IDENTIFIER_KEYS must be set when DEBUG is off" in result.stderr


def test_brand_colour_must_keep_white_text_readable():
    assert env.contrast_with_white("#1d4f5f") > 8
    assert env.contrast_with_white("#ffdd00") < 4.5
    result = _manage("check", DEBUG="true", PARTNERSHIP_BRAND_COLOUR="#ffdd00")
    assert "too light for white text" in result.stderr


def test_form_labels_and_hints_typed_by_users_are_escaped():
    from django import forms

    from lib.forms import GDSFormMixin

    class Form(GDSFormMixin, forms.Form):
        answer = forms.CharField(label="<script>alert(1)</script>", help_text="<b>hint</b>")

    from django.template import Context, Template

    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": Form()}))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;hint" in html


def test_a_cache_url_shares_one_redis_and_reads_sessions_from_it():
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'], settings.SESSION_ENGINE)"
    )
    result = _manage("shell", "-c", code, DEBUG="true", CACHE_URL="redis://127.0.0.1:6379/3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
        "django.contrib.sessions.backends.cached_db",
    ]
    default = _manage("shell", "-c", code.replace(", settings.CACHES['default']['LOCATION']", ""), DEBUG="true")
    assert default.stdout.splitlines()[-1].split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ]
    assert "CACHE_URL must be" in _manage("check", DEBUG="true", CACHE_URL="memcached://x").stderr


def test_postgresql_connections_run_without_the_jit_compiler():
    """A query PostgreSQL thinks costly (the round list at ten years' data once was) spent seconds
    in JIT compilation before running in milliseconds: every connection turns it off."""
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
    result = _manage("shell", "-c", code, DEBUG="true", DATABASE_URL="postgres://postgres@127.0.0.1:5432/unused")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "-c jit=off"
    sqlite = _manage("shell", "-c", code, DEBUG="true")
    assert sqlite.stdout.splitlines()[-1] == "None"


def test_the_jit_compiler_is_off_on_the_connection(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
