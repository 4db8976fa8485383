"""The SSRF-checked downloader against a local server: addresses, redirects, limits, retries."""
from __future__ import annotations

from pathlib import Path

import pytest
from platform_server import PlatformServer, platform_server

from pipelines.errors import TransientError
from worker.remote_fetch import RemoteInputError, check_address, download, networks

LOOPBACK = ["127.0.0.1/32"]


@pytest.fixture
def srv() -> PlatformServer:
    with platform_server() as s:
        yield s


def fetch(url: str, tmp_path: Path, allow: list[str] = LOOPBACK, **kw: object) -> bytes:
    dest = tmp_path / "out.bin"
    download(url, dest, max_bytes=int(kw.pop("max_bytes", 10_000)), timeout_s=10, allow=allow,  # type: ignore[call-overload]
             **kw)
    return dest.read_bytes()


def test_download_with_bearer(srv: PlatformServer, tmp_path: Path):
    url = srv.add("/rec.m4a", body=b"audio" * 100, bearer="tok")
    assert fetch(url, tmp_path, headers={"Authorization": "Bearer tok"}) == b"audio" * 100
    with pytest.raises(RemoteInputError, match="401"):
        fetch(url, tmp_path, headers={"Authorization": "Bearer wrong"})


def test_private_addresses_refused_unless_allowed(srv: PlatformServer, tmp_path: Path):
    url = srv.add("/rec.m4a", body=b"x")
    with pytest.raises(RemoteInputError, match="127.0.0.1"):
        fetch(url, tmp_path, allow=[])
    for ip in ("10.0.0.1", "192.168.1.1", "169.254.169.254", "::1", "::ffff:169.254.169.254", "fe80::1",
               "100.64.0.1", "0.0.0.0"):
        with pytest.raises(RemoteInputError):
            check_address(ip, networks(LOOPBACK))
    assert str(check_address("93.184.216.34", [])) == "93.184.216.34"


@pytest.mark.parametrize("target", ["http://127.0.0.2:9/x", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::ffff:127.0.0.2]/x"])
def test_redirect_to_other_internal_address_refused(srv: PlatformServer, tmp_path: Path, target: str):
    url = srv.add("/go", status=302, headers={"Location": target})
    with pytest.raises(RemoteInputError, match="refused to connect"):
        fetch(url, tmp_path)


def test_redirects_followed_at_most_three_times(srv: PlatformServer, tmp_path: Path):
    srv.add("/final", body=b"ok")
    for k in range(4):
        srv.add(f"/r{k}", status=302, headers={"Location": "/final" if k == 0 else f"/r{k - 1}"})
    assert fetch(srv.base + "/r2", tmp_path) == b"ok"  # three hops
    with pytest.raises(RemoteInputError, match="redirects"):
        fetch(srv.base + "/r3", tmp_path)


def test_authorization_not_sent_to_another_host(srv: PlatformServer, tmp_path: Path):
    final = srv.add("/final", body=b"ok")
    srv.add("/same", status=302, headers={"Location": "/final"})
    fetch(srv.base + "/same", tmp_path, headers={"Authorization": "Bearer t"})
    other = final.replace("127.0.0.1", "localhost")
    srv.add("/other", status=302, headers={"Location": other})
    fetch(srv.base + "/other", tmp_path, headers={"Authorization": "Bearer t"}, allow=LOOPBACK + ["::1/128"])
    assert srv.routes["/final"].auth_seen == ["Bearer t", None]


def test_size_limit(srv: PlatformServer, tmp_path: Path):
    url = srv.add("/big", body=b"x" * 20_000)
    with pytest.raises(RemoteInputError, match="MiB"):
        fetch(url, tmp_path)


def test_transient_and_permanent_failures(srv: PlatformServer, tmp_path: Path):
    busy = srv.add("/busy", body=b"ok", fail_first=1)
    with pytest.raises(TransientError, match="503"):
        fetch(busy, tmp_path)
    assert fetch(busy, tmp_path) == b"ok"
    with pytest.raises(RemoteInputError, match="404"):
        fetch(srv.base + "/missing", tmp_path)
    with pytest.raises(TransientError):  # nothing listens there
        fetch("http://127.0.0.1:9/x", tmp_path)
    with pytest.raises(RemoteInputError, match="http"):
        fetch("file:///etc/passwd", tmp_path)
