"""Real services on loopback for tests: S3 (moto), Redis, PostgreSQL schemas, a webhook receiver.

Plain helpers (no fixtures) so each test file wraps what it needs in its own fixture.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

POSTGRES_URL = os.environ.get("AW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
"""The PostgreSQL the tests use (README: ``AW_TEST_POSTGRES_URL``); each test gets its own schema."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port} within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def moto_server() -> Iterator[str]:
    """A real S3-compatible HTTP server (moto_server) on a free loopback port; yields its URL."""
    for var, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                       ("AWS_DEFAULT_REGION", "us-east-1")):
        os.environ.setdefault(var, value)  # moto accepts any credentials; boto3 wants some
    exe = Path(sys.executable).with_name("moto_server")
    if not exe.exists():
        pytest.skip("moto_server not installed: pip install 'moto[server]' (the test extra)")
    port = free_port()
    proc = subprocess.Popen([str(exe), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, proc, "moto_server")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def redis_binary() -> str:
    exe = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists()
                                            else None)
    if not exe:
        pytest.skip("redis-server not found: apt-get install redis-server")
    return exe


class RedisServer:
    """Our own redis-server on a free port with an append-only file, so it can be restarted."""

    def __init__(self, workdir: Path) -> None:
        self.exe = redis_binary()
        self.dir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [self.exe, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, self.proc, "redis-server")

    def stop(self) -> None:
        if self.proc:
            stop(self.proc)
            self.proc = None

    def restart(self, down_s: float = 1.0) -> None:
        self.stop()
        time.sleep(down_s)
        self.start()


def postgres_schema_url() -> Iterator[str]:
    """A fresh schema in the local PostgreSQL for one test run (dropped after); skips if absent."""
    import sqlalchemy as sa

    schema = f"aw_test_{uuid.uuid4().hex[:10]}"
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.begin() as c:
            c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as e:  # noqa: BLE001 - any connection failure means "not here"
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} ({type(e).__name__}); CI must provide it")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as c:
            c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


class Receiver(ThreadingHTTPServer):
    """Accepts events whose HMAC-SHA256 over ``timestamp.body`` matches; fails the first few on purpose."""

    def __init__(self, secret: str, fail_first: int = 0, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.secret, self.fail_first, self.calls = secret, fail_first, 0
        self.accepted: list[dict] = []
        self.rejected = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        ts, sig = self.headers["AW-Timestamp"], self.headers.get("AW-Signature", "")
        mac = hmac.new(self.server.secret.encode(), f"{ts}.".encode() + body, hashlib.sha256)
        expected = "v1=" + mac.hexdigest()
        self.server.calls += 1
        if not hmac.compare_digest(expected, sig) or abs(time.time() - int(ts)) > 300:
            self.server.rejected += 1
            code = 401
        elif self.server.calls <= self.server.fail_first:
            code = 503
        else:
            event = json.loads(body)
            assert event["id"] == self.headers["AW-Event-Id"]
            self.server.accepted.append(event)
            code = 200
        self.send_response(code)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def receiver(secret: str, fail_first: int = 0) -> Iterator[Receiver]:
    """A running :class:`Receiver` on a free loopback port."""
    srv = Receiver(secret, fail_first)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
