"""The API app itself: health, readiness, metrics, the one error shape, no heavy imports, tokens."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from apiserver import ROOT, api_server, cli, make_token, server_env

from worker.db import Database
from worker.settings import Settings
from worker.tokens import allows, create_token, hash_token, revoke_token, verify_token

HEAVY = ("torch", "ctranslate2", "spacy", "faster_whisper", "transformers")


def test_the_app_never_imports_the_model_libraries(tmp_path: Path):
    code = ("import sys; from worker.api.app import create_app; from worker.services import Services; "
            "from worker.settings import Settings; from worker.commands import serve; "
            "from fastapi.testclient import TestClient; "
            f"c = TestClient(create_app(Services.create(Settings(data_dir={str(tmp_path)!r})))); "
            "[c.get(p) for p in ('/readyz', '/metrics', '/openapi.json', '/v1/meetings')]; "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT, env=server_env(tmp_path))
    assert out.stdout.strip() == "[]"


def test_tokens_are_stored_hashed_scoped_and_revocable(tmp_path: Path):
    db = Database(Settings(data_dir=tmp_path).resolved_database_url)
    with db.session() as s:
        row, token = create_token(s, "ci", "write")
        assert row.token_hash == hash_token(token) and token not in (row.token_hash, row.prefix)
    with db.session() as s:
        found = verify_token(s, token)
        assert found is not None and found.scope == "write"
        assert verify_token(s, token + "x") is None
        assert revoke_token(s, "ci") and not revoke_token(s, "ci")
    with db.session() as s:
        assert verify_token(s, token) is None
    assert allows("admin", "write") and allows("write", "read") and not allows("read", "write")


def test_token_cli_prints_the_token_once_as_the_last_line(tmp_path: Path):
    env = server_env(tmp_path)
    token = make_token(env, "laptop", "write")
    assert token.startswith("aw_") and len(token) > 40
    listed = cli(env, "token", "list").stdout
    assert "laptop" in listed and "write" in listed and token not in listed
    assert cli(env, "token", "create", "--name", "laptop", check=False).returncode != 0
    assert cli(env, "token", "create", "--name", "x", "--scope", "root", check=False).returncode != 0
    cli(env, "token", "revoke", "laptop")
    assert "revoked" in cli(env, "token", "list").stdout


def wait_status(c: httpx.Client, path: str, status: int, timeout: float = 90.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while (r := c.get(path)).status_code != status:
        assert time.monotonic() < deadline, f"{path} still {r.status_code}: {r.text}"
        time.sleep(0.5)
    return r


@pytest.mark.e2e
def test_health_ready_metrics_and_error_shape_on_the_real_server(tmp_path: Path):
    with api_server(tmp_path) as srv, srv.client() as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        ready = wait_status(c, "/readyz", 200)  # once the embedded job worker beats
        assert ready.json()["checks"] == {"database": "ok", "storage": "ok", "worker": "ok",
                                          "redis": "not configured"}
        metrics = c.get("/metrics").text
        assert "aw_jobs{" in metrics and "aw_upload_bytes_total" in metrics
        for method, path, status in (("GET", "/nope", 404), ("DELETE", "/healthz", 405)):
            r = c.request(method, path)
            assert r.status_code == status and set(r.json()["error"]) == {"code", "message", "detail"}
        assert c.get("/openapi.json").json()["info"]["title"] == "alignment-worker"
        docs = c.get("/docs")
        assert docs.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in docs.text
        assert "cdn" not in docs.text.lower()  # works offline
        assert c.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
        worker = json.loads((tmp_path / "embedded-worker.json").read_text())["pid"]
        os.kill(worker, signal.SIGKILL)
        gone = wait_status(c, "/readyz", 503)
        assert "worker" in gone.json()["error"]["message"]
        assert gone.json()["error"]["detail"]["checks"]["database"] == "ok"


@pytest.mark.e2e
def test_readyz_names_an_unreachable_redis(tmp_path: Path):
    from servers import free_port

    with api_server(tmp_path, redis_url=f"redis://127.0.0.1:{free_port()}/0") as srv, srv.client() as c:
        r = c.get("/readyz")
        assert r.status_code == 503
        body = r.json()["error"]
        assert body["code"] == "not_ready" and "redis" in body["message"]
        assert body["detail"]["checks"]["database"] == "ok"
