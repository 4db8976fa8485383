"""Test-run policy: on CI (``CI`` set), a test that would skip because ../shared, PostgreSQL or
Redis is missing fails instead, so CI cannot go green without running them. Locally they skip."""
from __future__ import annotations

import os
import re

import pytest

MUST_RUN_ON_CI = re.compile(r"shared|postgres|redis", re.IGNORECASE)
"""Skip reasons that mean a missing service or the shared data, not an optional extra."""


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr or "")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not os.environ.get("CI") or not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = _skip_reason(report)
    if MUST_RUN_ON_CI.search(reason):
        report.outcome = "failed"
        report.longrepr = (f"skipped on CI (CI={os.environ['CI']}), but CI must run this test: {reason}\n"
                           "provide ../shared, PostgreSQL (AW_TEST_POSTGRES_URL) and redis-server on CI")


APT_HINT = re.compile(r"apt-get install (?:-y )?([a-z0-9][a-z0-9.+-]+)")
"""A skip reason naming the Debian package that would let the test run."""
_missing_tools: dict[str, list[str]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        found = APT_HINT.search(_skip_reason(report))
        if found:
            _missing_tools.setdefault(found.group(1), []).append(report.nodeid.split("::")[0])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which tests a missing system tool skipped, and the one command that installs them all."""
    if not _missing_tools:
        return
    tr = terminalreporter
    total = sum(len(v) for v in _missing_tools.values())
    tr.section(f"{total} tests skipped: system tools missing", sep="=", yellow=True, bold=True)
    for tool, nodes in sorted(_missing_tools.items()):
        files = sorted(set(nodes))
        tr.write_line(f"  {tool}: {len(nodes)} tests in {', '.join(files[:4])}"
                      + (f" and {len(files) - 4} more files" if len(files) > 4 else ""))
    tr.write_line(f"  install them with: sudo apt-get install -y {' '.join(sorted(_missing_tools))}")
