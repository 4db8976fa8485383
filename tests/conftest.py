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
