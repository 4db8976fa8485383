"""Download a remote input without letting a URL reach inside our network (SSRF).

Every address a host name resolves to is checked, and the connection goes to the checked
address (the name only travels in ``Host`` and TLS SNI), so DNS cannot answer differently the
second time; each redirect (at most :data:`MAX_REDIRECTS`) is checked the same way and does not
carry our ``Authorization`` to another host. Private, loopback, link-local and other special
addresses are refused unless their network is allowed (``AW_FETCH_ALLOW_NETWORKS``). Size and
time are bounded; the body streams to a file. 5xx, 408, 429, timeouts and broken connections
raise :class:`TransientError` (the job is retried); other refusals :class:`RemoteInputError`.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from pipelines.errors import BadInputError, TransientError

MAX_REDIRECTS = 3
CONNECT_TIMEOUT_S = 10.0
CHUNK = 1024 * 1024
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class RemoteInputError(BadInputError):
    """A remote input that cannot be fetched and will not become fetchable by retrying."""


@dataclass
class Fetched:
    path: Path
    size: int
    content_type: str | None
    url: str


def shown(url: str) -> str:
    """The URL without its query (tokens travel there), for messages and logs."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def networks(cidrs: Sequence[str]) -> list[Network]:
    return [ipaddress.ip_network(c, strict=False) for c in cidrs]


def check_address(ip: str, allowed: Sequence[Network]) -> Address:
    """The address, if a download may connect to it; else :class:`RemoteInputError`."""
    addr: Address = ipaddress.ip_address(ip)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    special = (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_multicast
               or addr.is_reserved or addr.is_unspecified or not addr.is_global)
    if special and not any(addr in net for net in allowed if net.version == addr.version):
        raise RemoteInputError(f"refused to connect to {addr}: a private, loopback or link-local address "
                               "(allow its network with AW_FETCH_ALLOW_NETWORKS if it is yours)")
    return addr


def resolve(host: str, port: int, allowed: Sequence[Network]) -> Address:
    """The address to connect to: every address the name has must be allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise TransientError(f"cannot resolve {host}: {e}") from e
    addrs = [check_address(str(info[4][0]), allowed) for info in infos]
    if not addrs:
        raise TransientError(f"{host} has no address")
    return addrs[0]


def _pinned(url: str, allowed: Sequence[Network]) -> tuple[str, str, str]:
    """(URL with the host replaced by its checked address, Host header, host name)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteInputError(f"{shown(url)}: only http(s) URLs can be fetched")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addr = resolve(parts.hostname, port, allowed)
    ip = f"[{addr}]" if addr.version == 6 else str(addr)
    netloc = f"{ip}:{parts.port}" if parts.port else ip
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), host_header, parts.hostname


def download(url: str, dest: Path, *, headers: dict[str, str] | None = None, max_bytes: int,
             timeout_s: float, allow: Sequence[str] = ()) -> Fetched:
    """Stream ``url`` into ``dest`` (following at most 3 checked redirects)."""
    allowed = networks(allow)
    deadline = time.monotonic() + timeout_s
    sent = dict(headers or {})
    timeout = httpx.Timeout(min(timeout_s, 60.0), connect=CONNECT_TIMEOUT_S)
    with httpx.Client(follow_redirects=False, trust_env=False, timeout=timeout) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            pinned, host, name = _pinned(url, allowed)
            ext = {"sni_hostname": name} if url.startswith("https") else {}
            try:
                with client.stream("GET", pinned, headers={**sent, "Host": host}, extensions=ext) as resp:
                    if resp.is_redirect and "location" in resp.headers:
                        nxt = urljoin(url, resp.headers["location"])
                        if urlsplit(nxt).hostname != urlsplit(url).hostname:
                            sent.pop("Authorization", None)
                        url = nxt
                        continue
                    _check_status(resp, url)
                    return _save(resp, url, dest, max_bytes, deadline)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as e:
                raise TransientError(f"{shown(url)}: {type(e).__name__}: {e}") from e
    raise RemoteInputError(f"{shown(url)}: more than {MAX_REDIRECTS} redirects")


def _check_status(resp: httpx.Response, url: str) -> None:
    code = resp.status_code
    if code >= 500 or code in (408, 425, 429):
        raise TransientError(f"{shown(url)} answered {code}; will retry")
    if code >= 300:
        raise RemoteInputError(f"{shown(url)} answered {code} (expired download token, or no access?)")


def _save(resp: httpx.Response, url: str, dest: Path, max_bytes: int, deadline: float) -> Fetched:
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise RemoteInputError(f"{shown(url)} is {int(declared) / 2**20:.0f} MiB, more than the "
                               f"{max_bytes / 2**20:.0f} MiB allowed (AW_MAX_UPLOAD_MB)")
    size = 0
    with open(dest, "wb") as out:
        for chunk in resp.iter_bytes(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise RemoteInputError(f"{shown(url)} is larger than the {max_bytes / 2**20:.0f} MiB "
                                       "allowed (AW_MAX_UPLOAD_MB)")
            if time.monotonic() > deadline:
                raise TransientError(f"{shown(url)}: download took longer than AW_FETCH_TIMEOUT_S")
            out.write(chunk)
    return Fetched(path=dest, size=size, content_type=resp.headers.get("content-type"), url=url)
