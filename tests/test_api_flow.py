"""The whole path on the real server with its embedded worker (no Redis): a meeting queued while
the server was down and one uploaded over HTTP both run; highlights, transcript, then a review
over HTTP changes the account record in a new revision."""
from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from apiserver import Server, api_server, cli, make_token, server_env

from worker.intake import new_meeting
from worker.services import Services
from worker.settings import Settings

SAMPLES = Path(__file__).parents[1] / "samples"
ACCOUNT = "acct-bluefin"

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def wait_done(c: httpx.Client, meeting_id: str, timeout: float = 600.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = c.get(f"/v1/meetings/{meeting_id}").json()
        if m["status"] in ("done", "failed"):
            return m
        time.sleep(1.0)
    raise AssertionError(f"meeting {meeting_id} not finished after {timeout} s: {m}")


def sourced_by(record: dict, meeting_id: str, highlight_id: str) -> list[dict]:
    """Items of the record whose source is this highlight."""
    return [item for items in record.values() if isinstance(items, list) for item in items
            if isinstance(item, dict) and (item.get("source") or {}).get("meeting_id") == meeting_id
            and item["source"].get("highlight_id") == highlight_id]


def test_upload_job_highlights_review_and_revisions(tmp_path: Path):
    env = server_env(tmp_path)
    cli(env, "account", "import", str(SAMPLES / "demo-account.json"))
    svc = Services.create(Settings(data_dir=tmp_path))
    offline = new_meeting(svc, ACCOUNT, SAMPLES / "demo-meeting.json")  # queued while no server runs
    write, read = make_token(env, "csm", "write"), make_token(env, "viewer", "read")
    with api_server(tmp_path) as srv, srv.client(write) as c:
        meeting = (SAMPLES / "demo-meeting.json").read_bytes()
        r = c.post("/v1/meetings", files={"file": ("meeting.json", meeting)},
                   data={"account_id": ACCOUNT, "title": "Quarterly review"})
        assert r.status_code == 202, r.text
        uploaded = r.json()["id"]
        for mid in (offline, uploaded):
            m = wait_done(c, mid)
            assert m["status"] == "done" and m["progress"] == 1.0, m
        _transcripts(c, uploaded)
        _review(srv, c, read, uploaded)
        _edit(c, [offline, uploaded])
        metrics = c.get("/metrics").text
        assert 'aw_jobs{state="done"} 2.0' in metrics
        assert 'aw_stage_duration_seconds_count{stage="analyze"}' in metrics


def _transcripts(c: httpx.Client, mid: str) -> None:
    as_json = c.get(f"/v1/meetings/{mid}/transcript").json()
    assert as_json["segments"] and all(s["speaker"] for s in as_json["segments"])
    txt = c.get(f"/v1/meetings/{mid}/transcript", params={"format": "txt"})
    assert txt.headers["content-type"].startswith("text/plain")
    assert txt.text.count("\n") == len(as_json["segments"])
    vtt = c.get(f"/v1/meetings/{mid}/transcript", params={"format": "vtt"})  # the JSON has no times
    assert vtt.status_code == 422 and "timestamps" in vtt.json()["error"]["message"]
    assert c.get(f"/v1/meetings/{mid}/transcript", params={"format": "doc"}).status_code == 422
    assert c.get(f"/v1/meetings/{mid}/audio").status_code == 404  # it came as a transcript


def _review(srv: Server, c: httpx.Client, read_token: str, mid: str) -> None:
    record = c.get(f"/v1/accounts/{ACCOUNT}").json()
    highlights = c.get(f"/v1/meetings/{mid}/highlights").json()
    assert highlights and all(h["id"] == f"{mid}:{h['highlight_id']}" for h in highlights)
    applied = [h for h in highlights if sourced_by(record["record"], mid, h["highlight_id"])]
    assert applied, "the meeting changed the record through some of its highlights"
    target = applied[0]

    with srv.client(read_token) as viewer:  # a read token cannot review
        r = viewer.patch(f"/v1/highlights/{target['id']}", json={"action": "reject"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = c.patch(f"/v1/highlights/{target['id']}", json={"action": "reject"})
    assert r.status_code == 200, r.text
    reviewed = r.json()
    assert reviewed["highlight"]["review_status"] == "rejected"
    assert reviewed["revision"] == record["revision"] + 1
    after = c.get(f"/v1/accounts/{ACCOUNT}").json()
    assert after["revision"] == reviewed["revision"]
    assert not sourced_by(after["record"], mid, target["highlight_id"]), "the rejected change is gone"
    assert sourced_by(c.get(f"/v1/accounts/{ACCOUNT}/revisions/{record['revision']}").json()["state"],
                      mid, target["highlight_id"]), "history keeps the revision before the review"
    again = c.patch(f"/v1/highlights/{target['id']}", json={"action": "reject"}).json()
    assert again["revision"] is None, "rejecting twice changes nothing more"
    revs = c.get(f"/v1/accounts/{ACCOUNT}/revisions").json()["items"]
    assert revs[-1]["kind"] == "review" and revs[-1]["number"] == after["revision"]
    r = c.patch(f"/v1/highlights/{target['id']}", json={"action": "edit", "attributes": {"x": "y"}})
    assert r.status_code == 409
    assert c.patch(f"/v1/highlights/{target['id']}", json={"action": "accept"}).status_code == 409
    accepted = next(h for h in highlights if h["id"] != target["id"])
    r = c.patch(f"/v1/highlights/{accepted['id']}", json={"action": "accept"})
    assert r.json()["highlight"]["review_status"] == "accepted" and r.json()["revision"] is None
    assert c.patch(f"/v1/highlights/{mid}:h_nope", json={"action": "accept"}).status_code == 404
    assert c.patch("/v1/highlights/no-colon", json={"action": "accept"}).status_code == 404


EDITABLE = {"risk": "summary", "expansion_signal": "summary", "next_step": "action", "value_quote": "quote"}
"""Categories whose record item takes a text attribute as it is (the item key stays the same)."""


def _edit(c: httpx.Client, meetings: list[str]) -> None:
    record = c.get(f"/v1/accounts/{ACCOUNT}").json()
    candidates = [h for mid in meetings for h in c.get(f"/v1/meetings/{mid}/highlights").json()
                  if h["category"] in EDITABLE and h["review_status"] == "pending"
                  and sourced_by(record["record"], mid, h["highlight_id"])]
    assert candidates, [(i.get("source") or {}).get("highlight_id") for v in record["record"].values()
                        if isinstance(v, list) for i in v if isinstance(i, dict)]
    h = candidates[0]
    mid, field = h["meeting_id"], EDITABLE[h["category"]]
    edit = {"action": "edit", "attributes": {field: "Edited in review"}}
    r = c.patch(f"/v1/highlights/{h['id']}", json=edit)
    assert r.status_code == 200, r.text
    assert r.json()["revision"] == record["revision"] + 1
    assert r.json()["highlight"]["review_status"] == "edited"
    assert r.json()["highlight"]["attributes"][field] == "Edited in review"
    items = sourced_by(c.get(f"/v1/accounts/{ACCOUNT}").json()["record"], mid, h["highlight_id"])
    assert [item[field] for item in items] == ["Edited in review"], "the change is made again, edited"
    same = c.patch(f"/v1/highlights/{h['id']}", json=edit)
    assert same.json()["revision"] is None, "the same edit again changes nothing"
    assert c.patch(f"/v1/highlights/{h['id']}", json={"action": "edit"}).status_code == 422
