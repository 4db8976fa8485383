"""The platform webhooks against the real server (``serve`` with its embedded worker) on loopback,
with a local HTTP server standing in for Zoom's download URLs, Microsoft Graph and Google's APIs.

Each flow goes webhook -> meeting -> the job downloads the inputs (checking the platform's token)
-> highlights; replays (x10 concurrent) make one meeting and one job; forged and stale deliveries
get 401 and store nothing.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import jwt
import numpy as np
import pytest
from apiserver import ROOT, Server, api_server, cli, make_token
from audiogen import write_audio
from platform_server import PlatformServer, platform_server
from standardwebhooks.webhooks import Webhook
from webhook_keys import KeyPair

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

SAMPLES = ROOT / "samples"
ZOOM_DATA = ROOT.parent / "shared" / "data" / "webhooks" / "zoom"
ZOOM_SECRET = "zoom-secret-token"
RECORDING_SECRET = "whsec_" + base64.b64encode(b"recording-webhook-secret-32bytes").decode()
CLIENT_STATE = "our-client-state"
AUDIENCE = "https://aw.test/v1/webhooks/google-meet"
PUSH_EMAIL = "pubsub-push@proj.iam.gserviceaccount.com"
ACCOUNT = "acct-bluefin"
TURN_S = 4.0


def demo_turns() -> list[tuple[str, str]]:
    data = json.loads((SAMPLES / "demo-meeting.json").read_text())
    return [(u["speaker"], u["text"]) for u in data["utterances"]]


def vtt(turns: list[tuple[str, str]]) -> bytes:
    """The demo meeting as a platform VTT, one turn every few seconds."""
    lines = ["WEBVTT", ""]
    for k, (who, text) in enumerate(turns):
        a, b = k * TURN_S, (k + 1) * TURN_S - 0.2
        lines += [f"00:{int(a // 60):02d}:{a % 60:06.3f} --> 00:{int(b // 60):02d}:{b % 60:06.3f}",
                  f"<v {who}>{text}", ""]
    return "\n".join(lines).encode()


class Platforms:
    """The stand-in server with the keys and files of every platform."""

    def __init__(self, srv: PlatformServer, tmp: Path) -> None:
        self.srv, self.tmp = srv, tmp
        self.push_keys, self.sa_keys = KeyPair("push-key"), KeyPair("sa-key")
        self.jwks = self.push_keys.write_jwks(tmp / "jwks.json")
        self.sa_file = tmp / "sa.json"
        self.sa_file.write_text(json.dumps({
            "type": "service_account", "client_email": "reader@proj.iam.gserviceaccount.com",
            "private_key_id": "sa-key", "private_key": self.sa_keys.pem(),
            "token_uri": srv.base + "/google/token"}))
        srv.add("/tenant-1/token", body=json.dumps({"access_token": "graph-app-token"}).encode())
        srv.add("/google/token", body=json.dumps({"access_token": "google-sa-token"}).encode())

    def settings(self) -> dict[str, str]:
        b = self.srv.base
        return dict(webhook_account_id=ACCOUNT, zoom_webhook_secret=ZOOM_SECRET,
                    recording_webhook_secret=RECORDING_SECRET, msgraph_client_state=CLIENT_STATE,
                    msgraph_tenant_id="tenant-1", msgraph_client_id="app-1", msgraph_client_secret="s3cret",
                    msgraph_token_url=b + "/{tenant}/token", msgraph_base_url=b + "/graph/v1.0",
                    google_audience=AUDIENCE, google_push_email=PUSH_EMAIL, google_jwks_url=str(self.jwks),
                    google_credentials_file=str(self.sa_file), google_meet_api_url=b + "/meet/v2",
                    google_drive_api_url=b + "/drive/v3", fetch_allow_networks="127.0.0.1/32",
                    log_level="INFO", job_retry_backoff_s="1", embedded_poll_s="0.3")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Platforms]]:
    tmp = tmp_path_factory.mktemp("webhooks")
    with platform_server() as srv:
        platforms = Platforms(srv, tmp)
        (tmp / "data").mkdir()
        with api_server(tmp / "data", **platforms.settings()) as server:
            cli(server.env, "account", "import", str(SAMPLES / "demo-account.json"))
            server.read_token = make_token(server.env, "webhook-tests", "read")  # type: ignore[attr-defined]
            yield server, platforms


def db(server: Server) -> sqlite3.Connection:
    return sqlite3.connect(Path(server.env["AW_DATA_DIR"]) / "alignment.db")


def count(server: Server, sql: str, *args: object) -> int:
    with db(server) as c:
        return int(c.execute(sql, args).fetchone()[0])


def wait_meeting(server: Server, mid: str, timeout: float = 600) -> tuple[str, str | None]:
    """(status, error) from GET /v1/meetings/{id} once the meeting is done or failed."""
    deadline = time.monotonic() + timeout
    with server.client(server.read_token) as api:  # type: ignore[attr-defined]
        while time.monotonic() < deadline:
            meeting = api.get(f"/v1/meetings/{mid}").json()
            if meeting["status"] in ("done", "failed"):
                return meeting["status"], meeting.get("error")
            time.sleep(0.5)
    raise AssertionError(f"meeting {mid} still {meeting['status']} after {timeout} s")


def highlights(server: Server, mid: str) -> int:
    """How many highlights GET /v1/meetings/{id}/highlights lists."""
    with server.client(server.read_token) as api:  # type: ignore[attr-defined]
        resp = api.get(f"/v1/meetings/{mid}/highlights")
    assert resp.status_code == 200, resp.text
    return len(resp.json())


def zoom_post(server: Server, event: dict, *, ts: int | None = None,
              secret: str = ZOOM_SECRET) -> httpx.Response:
    body = json.dumps(event).encode()
    stamp = str(ts if ts is not None else int(time.time()))
    sig = "v0=" + hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return httpx.post(server.url + "/v1/webhooks/zoom", content=body, timeout=30,
                      headers={"x-zm-request-timestamp": stamp, "x-zm-signature": sig,
                               "content-type": "application/json"})


def signed_recording(event: dict, msg_id: str, *,
                     when: datetime | None = None) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event).encode()
    when = when or datetime.now()
    sig = Webhook(RECORDING_SECRET).sign(msg_id, when, body)
    return body, {"webhook-id": msg_id, "webhook-timestamp": str(int(when.timestamp())),
                  "webhook-signature": sig, "content-type": "application/json"}


def m4a(tmp: Path, seconds: float | None = None, silent: bool = False) -> bytes:
    """The demo meeting's speech (or silence of its length) as AAC in an M4A."""
    from pipelines.audio import decode_audio

    audio = decode_audio(SAMPLES / "demo-meeting.flac")
    if seconds:
        audio = audio[: int(seconds * 16000)]
    if silent:
        audio = np.zeros_like(audio)
    path = write_audio(tmp / f"rec-{silent}.m4a", audio[None, :], 16000, "aac", fmt="mp4")
    return path.read_bytes()


def zoom_event(name: str, platforms: Platforms, uuid: str) -> dict:
    event = json.loads((ZOOM_DATA / f"{name}.json").read_text())
    event["download_token"] = "zoom-download-token"
    obj = event["payload"]["object"]
    obj["uuid"] = uuid
    for f in obj.get("recording_files", []) + obj.get("participant_audio_files", []):
        f["download_url"] = platforms.srv.base + "/zoom/" + uuid + "/" + f["id"]
    return event


needs_zoom_data = pytest.mark.skipif(not ZOOM_DATA.is_dir(), reason="../shared/data/webhooks not present")


@needs_zoom_data
def test_zoom_url_validation_and_signatures(world: tuple[Server, Platforms]):
    server, _ = world
    ok = zoom_post(server, {"event": "endpoint.url_validation", "payload": {"plainToken": "abc123"}})
    assert ok.status_code == 200
    assert ok.json() == {"plainToken": "abc123", "encryptedToken": hmac.new(
        ZOOM_SECRET.encode(), b"abc123", hashlib.sha256).hexdigest()}
    before = count(server, "SELECT count(*) FROM webhook_events")
    forged = zoom_post(server, {"event": "endpoint.url_validation", "payload": {"plainToken": "x"}},
                       secret="not-the-secret")
    stale = zoom_post(server, zoom_event("recording.completed", world[1], "stale-uuid"),
                      ts=int(time.time()) - 301)
    assert forged.status_code == stale.status_code == 401
    assert forged.json()["error"]["code"] == "unauthorized"
    assert count(server, "SELECT count(*) FROM webhook_events") == before
    assert count(server, "SELECT count(*) FROM platform_meetings WHERE subject = 'stale-uuid'") == 0
    metrics = httpx.get(server.url + "/metrics").text
    assert 'aw_webhook_deliveries_total{result="refused",source="zoom"}' in metrics


@needs_zoom_data
def test_zoom_recording_then_transcript_one_meeting_with_highlights(world: tuple[Server, Platforms],
                                                                   tmp_path: Path):
    server, platforms = world
    uuid = "zoom-meeting-uuid-1=="
    event = zoom_event("recording.completed", platforms, uuid)
    obj = event["payload"]["object"]
    (audio, mp4), track = obj["recording_files"], obj["participant_audio_files"][0]
    token = "zoom-download-token"
    srv = platforms.srv
    srv.add(f"/zoom/{uuid}/{audio['id']}", body=m4a(tmp_path, 40), bearer=token, fail_first=1)
    srv.add(f"/zoom/{uuid}/{mp4['id']}", body=b"never fetched", bearer=token)
    srv.add(f"/zoom/{uuid}/{track['id']}", body=m4a(tmp_path, 40), bearer=token)
    obj["participant_audio_files"].append({**track, "id": "second-track", "file_name": "Jordan Lee",
                                           "download_url": srv.base + f"/zoom/{uuid}/second-track"})
    srv.add(f"/zoom/{uuid}/second-track", body=m4a(tmp_path, 40, silent=True), bearer=token)
    obj["participant_audio_files"][0]["file_name"] = "Helen Park"
    first = zoom_post(server, event)  # answered before any download (latency: bench/webhooks.py)
    assert first.status_code == 202, first.text
    mid = first.json()["meeting_id"]
    transcript = zoom_event("recording.transcript_completed", platforms, uuid)
    tfile = transcript["payload"]["object"]["recording_files"][0]
    srv.add(f"/zoom/{uuid}/{tfile['id']}", body=vtt(demo_turns()[:10]), bearer=token)
    second = zoom_post(server, transcript)
    assert second.status_code == 202 and second.json()["meeting_id"] == mid
    assert zoom_post(server, event).json()["status"] == "duplicate"
    status, error = wait_meeting(server, mid)
    assert (status, error) == ("done", None)
    deadline = time.monotonic() + 600  # the transcript may have come while the job ran: it runs on
    while count(server, "SELECT count(*) FROM remote_sources WHERE meeting_id = ? AND key IS NULL", mid):
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert wait_meeting(server, mid) == ("done", None)
    with db(server) as c:
        rec_key, tr_key = c.execute("SELECT recording_key, transcript_key FROM meetings WHERE id = ?",
                                    (mid,)).fetchone()
    assert rec_key == f"meetings/{mid}/recording.m4a"
    assert tr_key == f"meetings/{mid}/transcript/transcript.vtt"
    assert count(server, "SELECT count(*) FROM platform_meetings WHERE subject = ?", uuid) == 1
    tracks = "SELECT count(*) FROM remote_sources WHERE meeting_id = ? AND kind = 'track'"
    assert count(server, tracks, mid) == 2
    assert srv.routes[f"/zoom/{uuid}/{audio['id']}"].calls == 2  # a 503 first: retried
    assert srv.routes[f"/zoom/{uuid}/{mp4['id']}"].calls == 0  # the M4A is preferred
    assert set(srv.routes[f"/zoom/{uuid}/{track['id']}"].auth_seen) == {f"Bearer {token}"}
    assert highlights(server, mid) > 0


def test_teams_transcript_notification_fetched_through_graph(world: tuple[Server, Platforms]):
    server, platforms = world
    srv = platforms.srv
    check = httpx.post(server.url + "/v1/webhooks/msgraph", params={"validationToken": "a b+c"})
    assert check.text == "a b+c" and check.headers["content-type"].startswith("text/plain")
    meeting, item = "MSoTeamsMeeting1", "MSMjTranscript1"
    srv.add(f"/graph/v1.0/communications/onlineMeetings/{meeting}/transcripts/{item}/content",
            body=vtt(demo_turns()), bearer="graph-app-token")
    note = {"subscriptionId": "sub-1", "changeType": "created", "clientState": CLIENT_STATE,
            "tenantId": "tenant-1",
            "resource": f"communications/onlineMeetings('{meeting}')/transcripts('{item}')",
            "resourceData": {"id": item, "@odata.type": "#Microsoft.Graph.callTranscript"}}
    forged = httpx.post(server.url + "/v1/webhooks/msgraph", json={"value": [{**note, "clientState": "x"}]})
    assert forged.status_code == 401
    assert httpx.post(server.url + "/v1/webhooks/msgraph", json={"value": [1, "x"]}).status_code == 401
    assert httpx.post(server.url + "/v1/webhooks/msgraph", content=b"[]").status_code == 422
    resp = httpx.post(server.url + "/v1/webhooks/msgraph", json={"value": [note]})
    assert resp.status_code == 202, resp.text
    mid = resp.json()["meeting_id"]
    assert wait_meeting(server, mid) == ("done", None)
    assert highlights(server, mid) > 0
    token_calls = [parse_qs(b.decode()) for m, p, b in srv.requests if p == "/tenant-1/token"]
    assert token_calls and token_calls[0]["grant_type"] == ["client_credentials"]
    srv.add("/graph/v1.0/subscriptions/sub-1/reauthorize", body=b"", status=204, bearer="graph-app-token")
    life = {"subscriptionId": "sub-1", "lifecycleEvent": "reauthorizationRequired",
            "clientState": CLIENT_STATE}
    assert httpx.post(server.url + "/v1/webhooks/msgraph", json={"value": [life]}).status_code == 202
    deadline = time.monotonic() + 10
    while srv.routes["/graph/v1.0/subscriptions/sub-1/reauthorize"].calls == 0:
        assert time.monotonic() < deadline, "the subscription was not reauthorized"
        time.sleep(0.1)


def test_google_meet_transcript_through_pubsub_push(world: tuple[Server, Platforms]):
    server, platforms = world
    srv = platforms.srv
    conf, tr = "conferenceRecords/conf-1", "conferenceRecords/conf-1/transcripts/tr-1"
    srv.add(f"/meet/v2/{conf}", body=json.dumps({"name": conf, "startTime": "2026-11-20T15:00:00Z"}).encode(),
            bearer="google-sa-token")
    people = sorted({who for who, _ in demo_turns()})
    for k, who in enumerate(people):
        srv.add(f"/meet/v2/{conf}/participants/p{k}", bearer="google-sa-token",
                body=json.dumps({"signedinUser": {"displayName": who}}).encode())
    entries = [{"participant": f"{conf}/participants/p{people.index(who)}", "text": text,
                "startTime": f"2026-11-20T15:{k // 15:02d}:{k * 4 % 60:02d}Z",
                "endTime": f"2026-11-20T15:{k // 15:02d}:{k * 4 % 60 + 3:02d}Z"}
               for k, (who, text) in enumerate(demo_turns())]
    srv.add(f"/meet/v2/{tr}/entries", bearer="google-sa-token",
            body=json.dumps({"transcriptEntries": entries}).encode())
    data = base64.b64encode(json.dumps({"transcript": {"name": tr}}).encode()).decode()
    body = {"message": {"data": data, "messageId": "m-1", "attributes": {
        "ce-type": "google.workspace.meet.transcript.v2.fileGenerated", "ce-id": "e-1"}},
        "subscription": "projects/p/subscriptions/s"}
    good = platforms.push_keys.token(aud=AUDIENCE, email=PUSH_EMAIL, email_verified=True)
    wrong_aud = platforms.push_keys.token(aud="https://other.test", email=PUSH_EMAIL)
    url = server.url + "/v1/webhooks/google-meet"
    assert httpx.post(url, json=body, headers={"Authorization": f"Bearer {wrong_aud}"}).status_code == 401
    assert httpx.post(url, json=body).status_code == 401
    resp = httpx.post(url, json=body, headers={"Authorization": f"Bearer {good}"})
    assert resp.status_code == 202, resp.text
    mid = resp.json()["meeting_id"]
    assert wait_meeting(server, mid) == ("done", None)
    assert highlights(server, mid) > 0
    grant = [parse_qs(b.decode()) for m, p, b in srv.requests if p == "/google/token"][0]
    claims = jwt.decode(grant["assertion"][0], platforms.sa_keys.private.public_key(), algorithms=["RS256"],
                        audience=srv.base + "/google/token")
    assert claims["iss"] == "reader@proj.iam.gserviceaccount.com" and "meetings" in claims["scope"]


def test_recording_webhook_replayed_ten_times_concurrently_makes_one_meeting_and_one_job(
        world: tuple[Server, Platforms]):
    server, platforms = world
    url = platforms.srv.add("/bot/call-7.vtt", body=vtt(demo_turns()[:6]))
    event = {"account_id": ACCOUNT, "recording_url": url, "title": "bot call 7"}
    body, headers = signed_recording(event, "msg_replay_1")
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: httpx.post(server.url + "/v1/webhooks/recording", content=body,
                                                      headers=headers, timeout=30), range(10)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] * 9 + [202], [a.text for a in answers]
    mid = next(a.json()["meeting_id"] for a in answers if a.status_code == 202)
    assert count(server, "SELECT count(*) FROM meetings WHERE filename = 'bot call 7'") == 1
    assert count(server, "SELECT count(*) FROM webhook_events WHERE event_key = 'msg_replay_1'") == 1
    log = (Path(server.env["AW_DATA_DIR"]) / "server.log").read_text()
    accepted = [json.loads(line) for line in log.splitlines()
                if '"webhook.accepted"' in line and mid in line]
    assert len(accepted) == 1 and accepted[0]["job_id"]
    assert wait_meeting(server, mid) == ("done", None)
    assert count(server, "SELECT attempts FROM meetings WHERE id = ?", mid) == 1  # the job ran once


def test_recording_webhook_forged_stale_and_unknown_account_store_nothing(world: tuple[Server, Platforms]):
    server, platforms = world
    url = platforms.srv.add("/bot/x.m4a", body=b"x")
    before = count(server, "SELECT count(*) FROM meetings")
    body, headers = signed_recording({"account_id": ACCOUNT, "recording_url": url}, "msg_forged")
    forged = httpx.post(server.url + "/v1/webhooks/recording", content=body + b" ", headers=headers)
    old_body, old = signed_recording({"account_id": ACCOUNT, "recording_url": url}, "msg_stale",
                                     when=datetime.fromtimestamp(time.time() - 600))
    stale = httpx.post(server.url + "/v1/webhooks/recording", content=old_body, headers=old)
    body, headers = signed_recording({"account_id": "acct-nobody", "recording_url": url}, "msg_unknown")
    unknown = httpx.post(server.url + "/v1/webhooks/recording", content=body, headers=headers)
    assert (forged.status_code, stale.status_code, unknown.status_code) == (401, 401, 404)
    assert count(server, "SELECT count(*) FROM meetings") == before
    assert count(server, "SELECT count(*) FROM webhook_events WHERE event_key LIKE 'msg_%' "
                 "AND event_key != 'msg_replay_1'") == 0
    log = (Path(server.env["AW_DATA_DIR"]) / "server.log").read_text()
    assert log.count('"webhook.refused"') >= 2


@pytest.mark.parametrize("k, target", [(1, "http://127.0.0.2:8080/rec.m4a"),
                                       (2, "http://169.254.169.254/latest/meta-data/")])
def test_recording_url_redirecting_inside_the_network_fails_the_meeting(world: tuple[Server, Platforms],
                                                                       k: int, target: str):
    """Loopback is allowed only as 127.0.0.1/32 (the stand-in platform): the redirect is refused."""
    server, platforms = world
    url = platforms.srv.add(f"/bot/redirect-{k}", status=302, headers={"Location": target})
    body, headers = signed_recording({"account_id": ACCOUNT, "recording_url": url}, f"ssrf_{k}")
    resp = httpx.post(server.url + "/v1/webhooks/recording", content=body, headers=headers)
    assert resp.status_code == 202
    status, error = wait_meeting(server, resp.json()["meeting_id"])
    assert status == "failed" and "refused to connect" in (error or "")
