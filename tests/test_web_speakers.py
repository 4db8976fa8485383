"""Confirming speakers on the meeting page enrolls their voices, so the account's next meeting
names them (real pipeline on the demo recording, cut in three: introductions, then two stretches
in which nobody says their own name)."""
from __future__ import annotations

from pathlib import Path

import pytest
from audiogen import write_audio
from browser import LAUNCH, need_chromium, screenshot, sign_in
from web_app import live_server, page_services, web_app
from web_seed import PASSWORD, users

from pipelines.account import read_account
from pipelines.account_state import AccountState
from pipelines.audio import decode_audio
from worker.db import repo
from worker.db.models import VoiceProfileRow
from worker.intake import new_meeting
from worker.local_queue import InProcessQueue
from worker.transcripts import load_transcript

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).parents[1]
CUTS = (8.2, 31.0)
"""Seconds where the demo recording is cut: [0, 8.2) has the introductions."""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    need_chromium()
    return {**browser_type_launch_args, **LAUNCH}


def _process(svc, account_id: str, path: Path) -> tuple[str, dict[str, str]]:
    """Run a meeting's whole job here; (meeting id, speaker -> side of its turns)."""
    meeting_id = new_meeting(svc, account_id, path)
    InProcessQueue(svc, sleep=False).enqueue_meeting(meeting_id)
    transcript = load_transcript(svc.storage, meeting_id)
    assert transcript is not None
    return meeting_id, {s.speaker or "": s.side or "" for s in transcript.segments}


def test_confirmed_speakers_are_named_in_the_next_meeting(page, tmp_path):
    audio = decode_audio(ROOT / "samples" / "demo-meeting.flac")
    a, b = (int(c * 16000) for c in CUTS)
    first = write_audio(tmp_path / "middle.flac", audio[None, a:b], 16000, "flac")
    second = write_audio(tmp_path / "end.flac", audio[None, b:], 16000, "flac")
    svc = page_services(tmp_path, cpu_threads=1)
    users(svc)
    account = AccountState.from_account(read_account(ROOT / "samples" / "demo-account.json"))
    control = account.model_copy(update={"account_id": "acct-control", "name": "Control Dental"})
    with svc.db.session() as s:
        repo.import_account(s, account)
        repo.import_account(s, control)
    _, before = _process(svc, "acct-control", second)  # no voice enrolled yet
    assert "Helen Park" not in before and "Jordan Lee" not in before

    meeting_id, speakers = _process(svc, account.account_id, first)
    transcript = load_transcript(svc.storage, meeting_id)
    assert transcript is not None
    assert len(speakers) == 2, speakers
    helen = next(s.speaker for s in transcript.segments if "raising" in s.text.lower())
    jordan = next(name for name in speakers if name != helen)
    with live_server(web_app(svc)) as base:
        sign_in(page, base, "csm@example.com", PASSWORD)
        page.goto(f"{base}/meetings/{meeting_id}")
        for label, name, side in ((helen, "Helen Park", "customer"), (jordan, "Jordan Lee", "vendor")):
            named = page.locator(f"input[name=label][value='{label}']")
            form = page.locator("form.speaker").filter(has=named)
            form.get_by_label("Name").fill(name)
            form.get_by_label("Side").select_option(side)
            form.get_by_label("Confirmed").check()
            form.get_by_role("button", name="Save speaker").click()
            page.wait_for_load_state()
        assert page.locator(".turn .who", has_text="Helen Park").count() >= 1
        screenshot(page, "speakers")
        for _ in range(600):  # enrollment runs after the response
            with svc.db.session() as s:
                enrolled = {(r.name, r.account_id) for r in s.query(VoiceProfileRow)}
            if len(enrolled) == 2:
                break
            page.wait_for_timeout(500)
        assert enrolled == {("Helen Park", account.account_id), ("Jordan Lee", None)}  # vendor: everywhere

        next_id, after = _process(svc, account.account_id, second)
        assert after.get("Helen Park") == "customer" and after.get("Jordan Lee") == "vendor", after
        page.goto(f"{base}/meetings/{next_id}")
        assert page.locator(".turn .who", has_text="Jordan Lee").count() >= 1
