"""A local HTTP server standing in for a meeting platform's file and API endpoints."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    bearer: str | None = None  # required Authorization: Bearer value
    fail_first: int = 0  # answer 503 this many times first
    calls: int = 0
    auth_seen: list[str | None] = field(default_factory=list)


class PlatformServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str, bytes]] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def add(self, path: str, **kw: object) -> str:
        self.routes[path] = Route(**kw)  # type: ignore[arg-type]
        return self.base + path


class _Handler(BaseHTTPRequestHandler):
    server: PlatformServer

    def _answer(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body_in = self.rfile.read(length) if self.command == "POST" else b""
        self.server.requests.append((self.command, self.path, body_in))
        route = self.server.routes.get(parts.path) or self.server.routes.get(self.path)
        auth = self.headers.get("Authorization")
        if route is not None:
            route.calls += 1
            route.auth_seen.append(auth)
        if route is None:
            code, body, headers = 404, b"not found", {}
        elif route.bearer is not None and auth != f"Bearer {route.bearer}":
            code, body, headers = 401, b"bad token", {}
        elif route.calls <= route.fail_first:
            code, body, headers = 503, b"busy", {}
        else:
            code, body, headers = route.status, route.body, route.headers
        self.send_response(code)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def platform_server() -> Iterator[PlatformServer]:
    srv = PlatformServer()
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
