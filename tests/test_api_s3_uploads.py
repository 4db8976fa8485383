"""Direct uploads to S3 (moto server): the signed POST policy itself (moto is laxer than S3, so
the limits are checked in the policy we sign), then upload -> complete -> meeting, and refusals."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from apiserver import Server, api_server, cli, make_token
from audiogen import tone, write_audio
from servers import moto_server

SAMPLES = Path(__file__).parents[1] / "samples"
ACCOUNT = "acct-bluefin"
REDIS = "redis://127.0.0.1:6379/0"
BUCKET, PREFIX = "aw-uploads", "team"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, object, str]]:
    import boto3
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"redis not reachable at {REDIS}")
    with moto_server() as endpoint:
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        queue = f"test-s3-{uuid.uuid4().hex[:8]}"
        with api_server(tmp_path_factory.mktemp("s3api"), redis_url=REDIS, queues=queue,
                        storage_url=f"s3://{BUCKET}/{PREFIX}", s3_endpoint_url=endpoint,
                        max_upload_mb="5", upload_url_expiry_s="600") as srv:
            cli(srv.env, "account", "import", str(SAMPLES / "demo-account.json"))
            token = make_token(srv.env, "uploader", "write")
            yield srv, client, token
        conn = redis.Redis.from_url(REDIS)
        for key in conn.scan_iter(f"rq:*{queue}*"):
            conn.delete(key)


def objects(client: object, under: str) -> list[str]:
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/{under}")  # type: ignore[attr-defined]
    return [o["Key"] for o in listed.get("Contents", [])]


def ticket(srv: Server, token: str, size: int, content_type: str = "audio/wav",
           **extra: object) -> httpx.Response:
    with srv.client(token) as c:
        return c.post("/v1/uploads", json={"account_id": ACCOUNT, "filename": "call.wav", "size": size,
                                           "content_type": content_type, **extra})


def send(t: dict, data: bytes) -> httpx.Response:
    return httpx.post(t["url"], data=t["fields"], files={"file": ("call.wav", data)}, timeout=30)


def sigv4_post_signature(secret: str, policy_b64: str, credential: str) -> str:
    """The SigV4 signature of a POST policy (AWS docs: sigv4-HTTPPOSTConstructPolicy)."""
    _, date, region, service, _ = credential.split("/")
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, policy_b64.encode(), hashlib.sha256).hexdigest()


def test_the_signed_policy_limits_size_type_key_and_time(s3):
    srv, _, token = s3
    r = ticket(srv, token, 12345, "audio/mp4")
    assert r.status_code == 201, r.text
    t = r.json()
    fields = t["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 12345, 12345] in conditions
    assert {"Content-Type": "audio/mp4"} in conditions and fields["Content-Type"] == "audio/mp4"
    assert {"bucket": BUCKET} in conditions
    key = f"{PREFIX}/uploads/{t['id']}/file"
    assert {"key": key} in conditions and fields["key"] == key
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert {"x-amz-algorithm": "AWS4-HMAC-SHA256"} in conditions
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert 0 < (expires - datetime.now(UTC)).total_seconds() <= 600
    assert abs((expires - datetime.fromisoformat(t["expires_at"])).total_seconds()) < 5
    secret = os.environ["AWS_SECRET_ACCESS_KEY"]
    signed = sigv4_post_signature(secret, fields["policy"], fields["x-amz-credential"])
    assert fields["x-amz-signature"] == signed, "the signature covers exactly this policy"
    assert not [k for k in fields if k.lower() in ("acl", "success_action_redirect")]


def test_upload_then_complete_makes_a_queued_meeting(s3, tmp_path: Path):
    srv, client, token = s3
    data = write_audio(tmp_path / "a.wav", tone(2.0), 16000, "pcm_s16le").read_bytes()
    t = ticket(srv, token, len(data), title="Renewal call").json()
    assert send(t, data).status_code in (200, 201, 204)
    with srv.client(token) as c:
        r = c.post(t["complete_url"])
        assert r.status_code == 202, r.text
        m = c.get(r.json()["status_url"]).json()
        assert m["status"] == "queued" and m["title"] == "Renewal call" and abs(m["duration"] - 2.0) < 0.1
        assert objects(client, f"meetings/{m['id']}/") == [f"{PREFIX}/meetings/{m['id']}/recording.wav"]
        assert not objects(client, f"uploads/{t['id']}"), "the upload's objects are gone once it is a meeting"
        assert c.post(t["complete_url"]).status_code == 404, "completing twice finds nothing"
        audio = c.get(f"/v1/meetings/{m['id']}/audio", headers={"Range": "bytes=10-19"})
        assert audio.status_code == 206 and audio.content == data[10:20]


def test_refused_completions_leave_nothing(s3, tmp_path: Path):
    srv, client, token = s3
    with srv.client(token) as c:
        before = c.get("/v1/meetings").json()["total"]
        t = ticket(srv, token, 4000).json()
        assert c.post(t["complete_url"]).status_code == 409  # nothing sent yet
        send(t, (b"not audio, not a transcript either " * 200)[:4000])
        r = c.post(t["complete_url"])
        assert r.status_code == 415 and r.json()["error"]["code"] == "unsupported_media"
        assert not objects(client, f"uploads/{t['id']}")
        t = ticket(srv, token, 5000).json()  # a store that did not enforce the size
        client.put_object(Bucket=BUCKET, Key=t["fields"]["key"], Body=b"\0" * 10)
        r = c.post(t["complete_url"])
        assert r.status_code == 422 and "10 bytes arrived" in r.json()["error"]["message"]
        assert c.get("/v1/meetings").json()["total"] == before
        assert c.post("/v1/uploads/u_../../x/complete").status_code in (404, 422)
    assert ticket(srv, token, 6 * 2**20).status_code == 413
    assert ticket(srv, token, 10, "text/html").status_code == 422
    assert ticket(srv, token, 10, account_id="nobody").status_code == 404
