"""Webhook signature checks: Zoom's known-answer vectors, Standard Webhooks, the Pub/Sub OIDC
token, Graph's clientState, and the events read from the platforms' documented payloads."""
from __future__ import annotations

import base64
import json
import time
from datetime import datetime
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook
from webhook_keys import KeyPair

from worker.settings import Settings
from worker.webhooks import NotConfiguredError, SignatureError, google_meet, msgraph, standard, zoom

DATA = Path(__file__).parents[1].parent / "shared" / "data" / "webhooks"
needs_shared = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data/webhooks not present")


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text())


@needs_shared
def test_zoom_signature_vectors():
    vectors = load("zoom/signature-test-vectors.json")
    for v in vectors["signature_vectors"]:
        body = v["raw_body"].encode()
        ts = v["x-zm-request-timestamp"]
        assert zoom.signature(v["secret_token"], ts, body) == v["x-zm-signature"]
        zoom.verify(v["secret_token"], ts, v["x-zm-signature"], body, 300, now=float(ts) + 10)
        with pytest.raises(SignatureError):  # one byte changed
            zoom.verify(v["secret_token"], ts, v["x-zm-signature"], body.replace(b"}", b" }", 1), 300,
                        now=float(ts))
    for v in vectors["url_validation_vectors"]:
        assert zoom.url_validation(v["secret_token"], v["plainToken"]) == v["expected_response"]


@needs_shared
def test_zoom_signature_is_over_raw_bytes_not_reserialised_json():
    v = load("zoom/signature-test-vectors.json")["signature_vectors"][1]
    reserialised = json.dumps(json.loads(v["raw_body"]), separators=(",", ":")).encode()
    assert zoom.signature(v["secret_token"], v["x-zm-request-timestamp"], reserialised) != v["x-zm-signature"]


@needs_shared
def test_zoom_stale_and_missing_refused():
    v = load("zoom/signature-test-vectors.json")["signature_vectors"][0]
    ts, body, sig = v["x-zm-request-timestamp"], v["raw_body"].encode(), v["x-zm-signature"]
    with pytest.raises(SignatureError, match="tolerance"):
        zoom.verify(v["secret_token"], ts, sig, body, 300, now=float(ts) + 301)
    with pytest.raises(SignatureError):
        zoom.verify(v["secret_token"], None, sig, body, 300)
    with pytest.raises(SignatureError):
        zoom.verify("another-secret", ts, sig, body, 300, now=float(ts))


@needs_shared
def test_zoom_recording_completed_prefers_m4a_and_makes_tracks():
    d = zoom.delivery(load("zoom/recording.completed.json"), "acct-1")
    assert d is not None and d.subject == "4444AAAiAAAAAiAiAiiAii==" and d.event_key.startswith("recording:")
    kinds = [(s.kind, s.suffix) for s in d.sources]
    assert kinds == [("recording", ".m4a"), ("track", ".m4a")]
    assert d.sources[0].url.endswith("BBBB") and d.sources[0].auth == {"scheme": "bearer",
                                                                       "token": "abJhbGciOiJIUzUxMiJ9"}
    assert d.sources[1].name == "MyRecording" and str(d.meeting_date) == "2021-07-13"
    t = zoom.delivery(load("zoom/recording.transcript_completed.json"), "acct-1")
    assert t is not None and t.subject == d.subject and t.event_key != d.event_key
    assert [(s.kind, s.suffix) for s in t.sources] == [("transcript", ".vtt")]
    assert zoom.delivery(load("zoom/meeting.ended.json"), "acct-1") is None


@needs_shared
def test_zoom_mp4_when_no_audio_only():
    event = load("zoom/recording.completed.json")
    files = event["payload"]["object"]["recording_files"]
    event["payload"]["object"]["recording_files"] = [f for f in files if f["file_type"] != "M4A"]
    d = zoom.delivery(event, "acct-1")
    assert d is not None and (d.sources[0].kind, d.sources[0].suffix) == ("recording", ".mp4")


def test_standard_webhooks():
    secret = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
    body = json.dumps({"account_id": "a", "recording_url": "https://x.test/r.m4a"}).encode()
    now = int(time.time())
    sig = Webhook(secret).sign("msg_1", datetime.fromtimestamp(now), body)
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(now), "webhook-signature": sig}
    standard.verify(secret, body, headers, 300)
    with pytest.raises(SignatureError):
        standard.verify(secret, body + b" ", headers, 300)
    with pytest.raises(SignatureError):
        standard.verify(secret, body, {**headers, "webhook-id": "msg_2"}, 300)
    old = now - 400
    old_sig = Webhook(secret).sign("msg_1", datetime.fromtimestamp(old), body)
    with pytest.raises(SignatureError):
        stale = {**headers, "webhook-timestamp": str(old), "webhook-signature": old_sig}
        standard.verify(secret, body, stale, 300)
    d = standard.delivery("msg_1", standard.RecordingEvent.model_validate_json(body))
    assert (d.sources[0].suffix, d.account_id, d.event_key) == (".m4a", "a", "msg_1")


@pytest.fixture
def google(tmp_path: Path) -> tuple[Settings, KeyPair]:
    keys = KeyPair()
    settings = Settings(data_dir=tmp_path, google_audience="https://aw.test/v1/webhooks/google-meet",
                        google_jwks_url=str(keys.write_jwks(tmp_path / "jwks.json")),
                        google_push_email="push@proj.iam.gserviceaccount.com")
    return settings, keys


def test_google_push_token(google: tuple[Settings, KeyPair]):
    settings, keys = google
    good = {"aud": settings.google_audience, "email": settings.google_push_email, "email_verified": True}
    claims = google_meet.verify_token(settings, "Bearer " + keys.token(**good))
    assert claims["email"] == settings.google_push_email
    for bad in ({**good, "aud": "https://elsewhere.test"}, {**good, "iss": "https://evil.test"},
                {**good, "email": "other@proj.iam.gserviceaccount.com"},
                {**good, "exp": int(time.time()) - 60}):
        with pytest.raises(SignatureError):
            google_meet.verify_token(settings, "Bearer " + keys.token(**bad))
    other = KeyPair()  # same kid, another key: the signature fails
    with pytest.raises(SignatureError):
        google_meet.verify_token(settings, "Bearer " + other.token(**good))
    with pytest.raises(SignatureError):
        google_meet.verify_token(settings, None)
    with pytest.raises(NotConfiguredError):
        google_meet.verify_token(Settings(data_dir=settings.data_dir), "Bearer x")


@needs_shared
def test_google_push_message_to_delivery():
    data = (DATA / "google-meet/recording.v2.fileGenerated.data.json").read_bytes()
    body = {"message": {"data": base64.b64encode(data).decode(), "messageId": "1",
                        "attributes": {"ce-type": "google.workspace.meet.recording.v2.fileGenerated"}}}
    d = google_meet.delivery(body, "acct-1", "https://meet.test/v2")
    assert d is not None and d.subject == "conferenceRecords/CONFERENCE_RECORD_ID"
    assert d.sources[0].url == "https://meet.test/v2/conferenceRecords/CONFERENCE_RECORD_ID/recordings/RECORDING_ID"
    ended = (DATA / "google-meet/conference.v2.ended.data.json").read_bytes()
    body["message"] = {"data": base64.b64encode(ended).decode(),
                       "attributes": {"ce-type": "google.workspace.meet.conference.v2.ended"}}
    assert google_meet.delivery(body, "acct-1", "https://meet.test/v2") is None


@needs_shared
def test_graph_notifications():
    note = load("msgraph-teams/recording-created.without-resource-data.json")
    msgraph.check_client_state("<<--SpecifiedClientState-->>", note)
    with pytest.raises(SignatureError):
        msgraph.check_client_state("ours", note)
    rec = msgraph.delivery(note, "acct-1", "https://graph.test/v1.0")
    tr = msgraph.delivery(load("msgraph-teams/transcript-created.without-resource-data.json"), "acct-1",
                          "https://graph.test/v1.0")
    assert rec is not None and tr is not None
    assert rec.sources[0].url.startswith("https://graph.test/v1.0/communications/onlineMeetings/MSo5")
    assert rec.sources[0].url.endswith("/content") and tr.sources[0].url.endswith("/content?$format=text/vtt")
    rich = load("msgraph-teams/recording-created.with-resource-data.json")["value"][0]
    assert msgraph.delivery(rich, "acct-1", "https://graph.test/v1.0").event_key == rec.event_key  # type: ignore[union-attr]


def test_malformed_events_are_ignored_not_crashed_on():
    for payload in ([], {"object": {"uuid": "u", "recording_files": "x"}},
                    {"object": {"uuid": "u", "recording_files": [1]}}):
        assert zoom.delivery({"event": "recording.completed", "payload": payload}, "a") is None
    for body in ({"message": []}, {"message": {"attributes": "x"}},
                 {"message": {"attributes": {"ce-type": google_meet.PREFIX + "recording.v2.fileGenerated"},
                              "data": base64.b64encode(b"[1]").decode()}}):
        assert google_meet.delivery(body, "a", "https://meet.test/v2") is None
