"""The CI policy of tests/conftest.py: skips for missing shared data or services fail on CI only."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
NO_BROWSER_PLUGIN = ("-p", "no:playwright")
"""pytest-playwright wraps every test in a scope that cannot nest inside pytester's inner run."""

INNER = '''
import pytest

def test_needs_shared():
    pytest.skip("shared test data not found: ../shared/data (tests read ../shared next to the repo)")

def test_needs_postgres():
    pytest.skip("PostgreSQL not reachable at postgresql+psycopg://x (OperationalError); CI must provide it")

def test_optional_extra():
    pytest.skip("an optional tool is not installed")

def test_runs():
    assert True
'''


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text())
    pytester.makepyfile(test_inner=INNER)
    return pytester


def test_on_ci_missing_services_and_shared_data_fail(inner: pytest.Pytester, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = inner.runpytest("-p", "no:cacheprovider", *NO_BROWSER_PLUGIN)
    result.assert_outcomes(passed=1, failed=2, skipped=1)
    result.stdout.fnmatch_lines(["*CI must run this test*"])


def test_locally_they_skip(inner: pytest.Pytester, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    inner.runpytest("-p", "no:cacheprovider", *NO_BROWSER_PLUGIN).assert_outcomes(passed=1, skipped=3)


def test_missing_system_tools_are_summed_up_with_the_install_command(pytester: pytest.Pytester, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text())
    pytester.makepyfile(test_tools='''
import pytest

def test_synth():
    pytest.skip("espeak-ng is needed to synthesize meetings: apt-get install espeak-ng")

def test_decode():
    pytest.skip("ffmpeg not installed: apt-get install ffmpeg")
''')
    result = pytester.runpytest("-p", "no:cacheprovider", *NO_BROWSER_PLUGIN)
    result.stdout.fnmatch_lines(["*2 tests skipped: system tools missing*",
                                 "*install them with: sudo apt-get install -y espeak-ng ffmpeg*"])
