"""Settings from the environment: list values comma-separated or JSON, bad values named readably."""
from __future__ import annotations

import sys

import pytest

from worker import cli
from worker.settings import Settings, SettingsError, get_settings


@pytest.fixture(autouse=True)
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("raw", ["http://a.test/hook, https://b.test", '["http://a.test/hook", "https://b.test"]'])
def test_list_settings_accept_commas_or_json(monkeypatch, raw):
    monkeypatch.setenv("AW_SYNC_URLS", raw)
    monkeypatch.setenv("AW_QUEUES", "high,default")
    monkeypatch.setenv("AW_JOB_RETRY_BACKOFF_S", "5, 30")
    s = get_settings()
    assert s.sync_urls == ["http://a.test/hook", "https://b.test"]
    assert s.queues == ["high", "default"] and s.job_retry_backoff_s == [5, 30]


def test_defaults_hold_without_variables():
    assert Settings().queues == ["default"] and Settings().sync_urls == []


@pytest.mark.parametrize(("var", "value", "expected"), [
    ("AW_CPU_THREADS", "abc", "AW_CPU_THREADS: Input should be a valid integer"),
    ("AW_SYNC_URLS", "x.test/hook", "AW_SYNC_URLS: 'x.test/hook' is not an http(s):// URL"),
    ("AW_JOB_RETRY_BACKOFF_S", "10,soon", "AW_JOB_RETRY_BACKOFF_S: Input should be a valid integer"),
    ("AW_QUEUES", "[oops", "AW_QUEUES: not a JSON list"),
])
def test_bad_setting_names_the_variable(monkeypatch, var, value, expected):
    monkeypatch.setenv(var, value)
    with pytest.raises(SettingsError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        get_settings()


def test_cli_reports_a_bad_setting_without_traceback(monkeypatch, capsys):
    monkeypatch.setenv("AW_CPU_THREADS", "abc")
    monkeypatch.setattr(sys, "argv", ["alignment-worker", "status", "m_none"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    err = " ".join(capsys.readouterr().err.split())
    assert exit_info.value.code == 2
    assert "AW_CPU_THREADS: Input should be a valid integer" in err and "Traceback" not in err


def test_every_setting_says_what_it_does():
    missing = [name for name, field in Settings.model_fields.items() if not (field.description or "").strip()]
    assert missing == []


def test_service_tunables_are_settings(monkeypatch):
    monkeypatch.setenv("AW_WATCHDOG_MAX_RECOVERIES", "1")
    monkeypatch.setenv("AW_S3_MULTIPART_MB", "4")
    with pytest.raises(SettingsError, match="AW_S3_MULTIPART_MB: Input should be greater than or equal to 5"):
        get_settings()
    monkeypatch.setenv("AW_S3_MULTIPART_MB", "8")
    s = get_settings()
    assert (s.watchdog_max_recoveries, s.s3_multipart_mb) == (1, 8)
