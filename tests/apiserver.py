"""The real API server for tests: ``alignment-worker serve`` in a subprocess on a free loopback
port, with its own data folder; plus a token made with the real CLI. Plain helpers (no fixtures).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from servers import free_port, stop

ROOT = Path(__file__).parents[1]


def server_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a server (and of CLI calls against its database): AW_* from ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AW_")}
    env.update(PYTHONPATH=str(ROOT), AW_DATA_DIR=str(data_dir), AW_LOG_LEVEL="WARNING")
    env.update({f"AW_{k.upper()}": v for k, v in settings.items()})
    return env


def cli(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``alignment-worker ARGS`` in the server's environment."""
    return subprocess.run([sys.executable, "-m", "worker.cli", *args], env=env, capture_output=True,
                          text=True, check=check, cwd=ROOT)


def make_token(env: dict[str, str], name: str, scope: str = "read") -> str:
    """A new token from ``token create`` (its last line)."""
    return cli(env, "token", "create", "--name", name, "--scope", scope).stdout.strip().splitlines()[-1]


class Server:
    def __init__(self, env: dict[str, str], port: int, proc: subprocess.Popen[bytes]) -> None:
        self.env, self.port, self.proc = env, port, proc
        self.url = f"http://127.0.0.1:{port}"

    def client(self, token: str | None = None, **kw: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, **kw)  # type: ignore[arg-type]


@contextmanager
def api_server(data_dir: Path, *serve_args: str, timeout: float = 60.0, **settings: str) -> Iterator[Server]:
    """``serve`` on a free port until the block ends; raises if it does not become healthy."""
    env = server_env(data_dir, **settings)
    port = free_port()
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "worker.cli", "serve", "--port", str(port), *serve_args],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    server = Server(env, port, proc)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"serve exited ({proc.returncode}): "
                                   f"{(data_dir / 'server.log').read_text()[-2000:]}")
            try:
                if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"serve did not answer /healthz within {timeout} s")
            time.sleep(0.2)
        yield server
    finally:
        stop(proc)
        log.close()
