"""POST /v1/meetings on the real server: streamed, probed by content, limits, nothing half-stored,
tokens and scopes. Jobs go to a Redis queue of their own here, so no model runs in these tests."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from apiserver import Server, api_server, cli, make_token
from audiogen import tone, write_audio

SAMPLES = Path(__file__).parents[1] / "samples"
ACCOUNT = "acct-bluefin"
REDIS = "redis://127.0.0.1:6379/0"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"redis not reachable at {REDIS}")
    queue = f"test-api-{uuid.uuid4().hex[:8]}"
    data = tmp_path_factory.mktemp("api")
    with api_server(data, redis_url=REDIS, queues=queue, max_upload_mb="2", max_duration_s="30") as srv:
        cli(srv.env, "account", "import", str(SAMPLES / "demo-account.json"))
        yield srv
    conn = redis.Redis.from_url(REDIS)
    for key in conn.scan_iter(f"rq:*{queue}*"):
        conn.delete(key)


@pytest.fixture(scope="module")
def tokens(server: Server) -> dict[str, str]:
    return {scope: make_token(server.env, f"t-{scope}", scope) for scope in ("read", "write", "admin")}


def stored(server: Server) -> list[Path]:
    """Every file in the server's object storage and upload spool."""
    root = Path(server.env["AW_DATA_DIR"])
    return [p for d in ("objects", "uploads") for p in (root / d).rglob("*") if p.is_file()]


def meeting_count(server: Server, token: str) -> int:
    with server.client(token) as c:
        return int(c.get("/v1/meetings").json()["total"])


def upload(server: Server, token: str, content: bytes | Path, name: str = "call.flac",
           **fields: str) -> httpx.Response:
    data = content.read_bytes() if isinstance(content, Path) else content
    with server.client(token) as c:
        return c.post("/v1/meetings", files={"file": (name, data, "application/octet-stream")},
                      data={"account_id": ACCOUNT, **fields})


def test_a_recording_is_accepted_probed_by_content_and_queued(server: Server, tokens: dict[str, str],
                                                              tmp_path: Path):
    wav = write_audio(tmp_path / "x.wav", tone(2.0), 16000, "pcm_s16le")
    r = upload(server, tokens["write"], wav, name="misnamed.txt", title="QBR", meeting_date="2026-03-02",
               participants="Ana Ruiz, Raj Patel")
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["status"] == "queued" and body["status_url"] == f"/v1/meetings/{body['id']}"
    with server.client(tokens["read"]) as c:
        m = c.get(body["status_url"]).json()
    assert m["title"] == "QBR" and m["meeting_date"] == "2026-03-02"
    assert m["participants"] == ["Ana Ruiz", "Raj Patel"] and m["has_recording"] and not m["has_transcript"]
    assert abs(m["duration"] - 2.0) < 0.1 and m["filename"] == "misnamed.txt"
    keys = [p.name for p in stored(server) if body["id"] in str(p)]
    assert keys == ["recording.wav"], "stored under the type the content has, not the name"


def test_a_platform_transcript_goes_with_the_recording(server: Server, tokens: dict[str, str],
                                                       tmp_path: Path):
    wav = write_audio(tmp_path / "x.wav", tone(1.0), 16000, "pcm_s16le")
    vtt = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ana Ruiz>Hello there.\n"
    with server.client(tokens["write"]) as c:
        r = c.post("/v1/meetings", files={"file": ("a.wav", wav.read_bytes()), "transcript": ("t.vtt", vtt)},
                   data={"account_id": ACCOUNT})
        assert r.status_code == 202, r.text
        assert c.get(r.json()["status_url"]).json()["has_transcript"]


@pytest.mark.parametrize(("content", "status", "code"), [
    (b"", 422, "empty"),
    (b"%PDF-1.4 not audio at all " * 100, 415, "unsupported_media"),
    (bytes(range(256)) * 64, 415, "unsupported_media"),
])
def test_refused_uploads_leave_nothing_behind(server: Server, tokens: dict[str, str], content: bytes,
                                              status: int, code: str):
    before, count = stored(server), meeting_count(server, tokens["read"])
    r = upload(server, tokens["write"], content)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]
    assert stored(server) == before and meeting_count(server, tokens["read"]) == count


def test_oversize_and_overlong_uploads_are_refused(server: Server, tokens: dict[str, str], tmp_path: Path):
    before, count = stored(server), meeting_count(server, tokens["read"])
    big = write_audio(tmp_path / "big.wav", tone(70.0), 16000, "pcm_s16le")  # ~2.2 MB > 2 MiB
    r = upload(server, tokens["write"], big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    long = write_audio(tmp_path / "long.flac", tone(40.0, freq=0.0), 16000, "flac")  # 40 s > 30 s
    r = upload(server, tokens["write"], long)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_long"
    assert stored(server) == before and meeting_count(server, tokens["read"]) == count


def test_streamed_oversize_without_content_length_is_cut_off(server: Server, tokens: dict[str, str]):
    before = stored(server)
    boundary = "b0undary"

    def body() -> Iterator[bytes]:
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"account_id\"\r\n\r\n{ACCOUNT}\r\n"
               f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
               "Content-Type: audio/wav\r\n\r\n").encode()
        for _ in range(40):  # 5 MiB in chunks, never announced
            yield b"\0" * 128 * 1024
        yield f"\r\n--{boundary}--\r\n".encode()

    with server.client(tokens["write"]) as c:
        try:
            r = c.post("/v1/meetings", content=body(),
                       headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
            assert r.status_code == 413
        except httpx.TransportError:
            pass  # the server may close the connection while the client is still sending
    assert stored(server) == before


def test_unknown_account_and_bad_fields_are_refused(server: Server, tokens: dict[str, str], tmp_path: Path):
    wav = write_audio(tmp_path / "x.wav", tone(1.0), 16000, "pcm_s16le")
    before = stored(server)
    with server.client(tokens["write"]) as c:
        r = c.post("/v1/meetings", files={"file": ("a.wav", wav.read_bytes())}, data={"account_id": "nobody"})
        assert r.status_code == 404 and "nobody" in r.json()["error"]["message"]
        r = c.post("/v1/meetings", files={"file": ("a.wav", wav.read_bytes())},
                   data={"account_id": ACCOUNT, "meeting_date": "yesterday"})
        assert r.status_code == 422 and r.json()["error"]["detail"][0]["loc"] == ["meeting_date"]
        r = c.post("/v1/meetings", data={"account_id": ACCOUNT})
        assert r.status_code in (415, 422)
    assert stored(server) == before


def test_tokens_and_scopes(server: Server, tokens: dict[str, str], tmp_path: Path):
    wav = write_audio(tmp_path / "x.wav", tone(1.0), 16000, "pcm_s16le")
    with server.client() as anon:
        r = anon.get("/v1/meetings")
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert anon.get("/v1/meetings", headers={"Authorization": "Bearer aw_forged"}).status_code == 401
    assert upload(server, tokens["read"], wav).status_code == 403
    with server.client(tokens["read"]) as c:
        assert c.get("/v1/meetings", params={"account_id": ACCOUNT, "status": "queued"}).status_code == 200
    revoked = make_token(server.env, "short-lived", "write")
    cli(server.env, "token", "revoke", "short-lived")
    with server.client(revoked) as c:
        assert c.get("/v1/meetings").status_code == 401


def test_the_job_is_on_the_redis_queue(server: Server, tokens: dict[str, str], tmp_path: Path):
    import redis
    from rq.job import Job

    wav = write_audio(tmp_path / "x.wav", tone(1.0), 16000, "pcm_s16le")
    mid = upload(server, tokens["write"], wav).json()["id"]
    with server.client(tokens["read"]) as c:
        page = c.get("/v1/meetings", params={"account_id": ACCOUNT, "status": "queued", "limit": 200}).json()
    assert mid in [m["id"] for m in page["items"]]
    import sqlalchemy as sa

    db = sa.create_engine(f"sqlite:///{Path(server.env['AW_DATA_DIR']) / 'alignment.db'}")
    with db.connect() as conn:
        job_id = conn.execute(sa.text("SELECT job_id FROM meetings WHERE id = :m"), {"m": mid}).scalar()
    job = Job.fetch(job_id, connection=redis.Redis.from_url(REDIS))
    assert job.args == (mid,) and job.meta["meeting_id"] == mid


def test_audio_with_http_range(server: Server, tokens: dict[str, str], tmp_path: Path):
    wav = write_audio(tmp_path / "x.wav", tone(1.0), 16000, "pcm_s16le")
    data = wav.read_bytes()
    mid = upload(server, tokens["write"], wav).json()["id"]
    url = f"/v1/meetings/{mid}/audio"
    with server.client(tokens["read"]) as c:
        whole = c.get(url)
        assert whole.status_code == 200 and whole.content == data
        assert whole.headers["accept-ranges"] == "bytes" and whole.headers["content-type"] == "audio/x-wav"
        for header, first, last in (("bytes=0-99", 0, 99), ("bytes=100-", 100, len(data) - 1),
                                    ("bytes=-10", len(data) - 10, len(data) - 1),
                                    (f"bytes=5-{len(data) + 50}", 5, len(data) - 1)):
            r = c.get(url, headers={"Range": header})
            assert r.status_code == 206, header
            assert r.headers["content-range"] == f"bytes {first}-{last}/{len(data)}"
            assert r.content == data[first:last + 1]
        r = c.get(url, headers={"Range": f"bytes={len(data)}-"})
        assert r.status_code == 416 and r.headers["content-range"] == f"bytes */{len(data)}"
        assert c.get(url, headers={"Range": "bytes=0-1,5-6"}).status_code == 200
        assert c.get(url, headers={"Range": "pages=1"}).content == data


def test_transcript_formats_of_a_stored_transcript(server: Server, tokens: dict[str, str],
                                                   tmp_path: Path):
    from pipelines.transcript import Segment, Transcript

    wav = write_audio(tmp_path / "x.wav", tone(1.0), 16000, "pcm_s16le")
    mid = upload(server, tokens["write"], wav).json()["id"]
    with server.client(tokens["read"]) as c:
        r = c.get(f"/v1/meetings/{mid}/transcript")
        assert r.status_code == 409 and r.json()["error"]["code"] == "not_ready"
        # what the job's speakers stage stores (no job runs in this module)
        folder = Path(server.env["AW_DATA_DIR"]) / "objects" / "meetings" / mid
        seg = Segment(id=0, start=0.0, end=1.5, text="Hello there.", speaker="Ana Ruiz")
        done = Transcript(segments=[seg])
        (folder / "speakers-0123.json").write_text(done.model_dump_json())
        vtt = c.get(f"/v1/meetings/{mid}/transcript", params={"format": "vtt"}).text
        assert vtt.startswith("WEBVTT") and "00:00:00.000 --> 00:00:01.500" in vtt and "<v Ana Ruiz>" in vtt
        srt = c.get(f"/v1/meetings/{mid}/transcript", params={"format": "srt"}).text
        assert "00:00:00,000 --> 00:00:01,500" in srt and "Ana Ruiz: Hello there." in srt
        assert c.get(f"/v1/meetings/{mid}/transcript").json()["segments"][0]["speaker"] == "Ana Ruiz"


def test_direct_uploads_need_s3_storage(server: Server, tokens: dict[str, str]):
    with server.client(tokens["write"]) as c:
        r = c.post("/v1/uploads", json={"account_id": ACCOUNT, "filename": "a.wav", "size": 10,
                                        "content_type": "audio/wav"})
    assert r.status_code == 409 and "POST the file to /v1/meetings" in r.json()["error"]["message"]


def test_accounts_put_get_and_revisions(server: Server, tokens: dict[str, str]):
    record = {"account_id": "acct-api", "name": "API Test Co", "goals": [{"id": "g1", "text": "Ship it"}]}
    with server.client(tokens["write"]) as c:
        assert c.put("/v1/accounts/acct-api", json=record).status_code == 403, "import needs admin"
    with server.client(tokens["admin"]) as c:
        first = c.put("/v1/accounts/acct-api", json=record)
        assert first.status_code == 201 and first.json()["revision"] == 1
        again = c.put("/v1/accounts/acct-api", json={**record, "name": "API Test Company"})
        assert again.status_code == 200 and again.json()["revision"] == 2
        assert c.put("/v1/accounts/other", json=record).status_code == 422
        assert c.put("/v1/accounts/acct-api", json={"name": "no id"}).status_code == 422
    with server.client(tokens["read"]) as c:
        got = c.get("/v1/accounts/acct-api").json()
        assert got["name"] == "API Test Company" and got["record"]["goals"][0]["text"] == "Ship it"
        revs = c.get("/v1/accounts/acct-api/revisions").json()["items"]
        assert [(r["number"], r["kind"]) for r in revs] == [(1, "import"), (2, "import")]
        assert c.get("/v1/accounts/acct-api/revisions/1").json()["state"]["name"] == "API Test Co"
        assert c.get("/v1/accounts/acct-api/revisions/9").status_code == 404
        assert c.get("/v1/accounts/nobody").status_code == 404


def test_metrics_count_uploads_by_result_and_bytes(server: Server, tokens: dict[str, str],
                                                  tmp_path: Path):
    import re

    def metric(text: str, name: str) -> float:
        m = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
        return float(m.group(1)) if m else 0.0

    with server.client() as c:
        before = c.get("/metrics").text
    wav = write_audio(tmp_path / "x.wav", tone(1.0), 16000, "pcm_s16le")
    assert upload(server, tokens["write"], wav).status_code == 202
    assert upload(server, tokens["write"], b"").status_code == 422
    with server.client() as c:
        after = c.get("/metrics").text
    sent = metric(after, "aw_upload_bytes_total") - metric(before, "aw_upload_bytes_total")
    assert sent == wav.stat().st_size
    for result in ("accepted", "empty"):
        name = f'aw_uploads_total{{result="{result}"}}'
        assert metric(after, name) - metric(before, name) == 1
    assert metric(after, 'aw_jobs{state="queued"}') >= 1


def test_json_bodies_are_limited_announced_or_streamed(server: Server, tokens: dict[str, str]):
    from worker.api.limits import JSON_MAX_BYTES

    big = b'{"account_id": "acct-big", "name": "' + b"x" * JSON_MAX_BYTES + b'"}'
    with server.client(tokens["admin"]) as c:
        r = c.put("/v1/accounts/acct-big", content=big, headers={"Content-Type": "application/json"})
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
        pieces = iter([big[i:i + 65536] for i in range(0, len(big), 65536)])
        streamed = c.put("/v1/accounts/acct-big", content=pieces,
                         headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413
        assert c.get("/v1/accounts/acct-big").status_code == 404
