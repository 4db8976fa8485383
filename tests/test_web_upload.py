"""Upload through the page of a real ``alignment-worker serve`` (its embedded worker runs the real
pipeline): a synthesized meeting goes up with a progress bar and the page follows it to done."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from apiserver import api_server, cli
from browser import LAUNCH, need_chromium, screenshot, serious_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).parents[1]
PASSWORD = "upload-test-secret"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    need_chromium()
    return {**browser_type_launch_args, **LAUNCH}


@pytest.fixture(scope="module")
def recording() -> Path:
    """The demo meeting spoken by two espeak-ng voices (see samples/README.md for how it was made)."""
    return ROOT / "samples" / "demo-meeting.flac"


def test_upload_a_meeting_and_watch_it_finish(page, recording, tmp_path):
    with api_server(tmp_path, AW_CPU_THREADS="1", HF_HUB_OFFLINE="1") as server:
        cli(server.env, "account", "import", str(ROOT / "samples" / "demo-account.json"))
        made = subprocess.run([sys.executable, "-m", "worker.cli", "user", "create", "--email",
                               "csm@example.com", "--role", "csm", "--password-stdin"],
                              input=PASSWORD + "\n", env=server.env, cwd=ROOT, capture_output=True, text=True)
        assert made.returncode == 0, made.stderr
        sign_in(page, server.url, "csm@example.com", PASSWORD)
        page.goto(f"{server.url}/upload")
        page.get_by_label("Account").select_option("acct-bluefin")
        page.get_by_label(re.compile("^Recording")).set_input_files(str(recording))
        page.get_by_role("button", name="Upload and process").click()
        page.wait_for_selector("#upload-error:not([hidden]), #upload-pct:text('uploaded')", timeout=120_000)
        assert page.locator("#upload-error").is_hidden(), page.locator("#upload-error").inner_text()
        status = page.locator("#status")
        status.wait_for()
        seen = set()
        for _ in range(1200):  # the page updates itself; we only watch it (no reload)
            seen.add(status.get_attribute("data-status"))
            if seen & {"done", "failed"}:
                break
            page.wait_for_timeout(500)
        screenshot(page, "upload-done")
        assert "done" in seen, status.inner_text()
        assert seen - {"done"}, "the page never showed the job before it was done"
        assert serious_violations(page) == []
        page.get_by_role("link", name="Review the meeting").click()
        page.wait_for_url(re.compile(r"/meetings/m_"))
        assert page.locator(".turn").count() >= 3
        assert page.locator(".highlight").count() >= 1
        assert page.evaluate("document.getElementById('player').duration") > 5
