"""Webhook acknowledgement latency: signed deliveries against the real server on loopback.

    python bench/webhooks.py [--deliveries 500] [--concurrency 50] [--source zoom|recording]
                             [--database sqlite|postgres] [--queue redis|embedded] [--workers 1]

`alignment-worker serve` runs on a free loopback port (its own data folder; with --queue redis,
jobs go to our own redis-server, which no worker drains, so the figures are the route's own:
verify, record the event once, create the meeting, enqueue). `concurrency` clients send
`deliveries` distinct, correctly signed Zoom `recording.completed` events (or Standard Webhooks
recording events); the peer, measured in the same run with the same clients, is `GET /healthz`
of the same server (no database, no signature). Printed: p50/p99/max of both, their ratio, and
how many deliveries answered 202. Goal: webhook p99 <= 100 ms at 50 concurrent deliveries.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

ZOOM_SECRET = "bench-zoom-secret"
RECORDING_SECRET = "whsec_" + base64.b64encode(b"bench-recording-webhook-secret!!").decode()
ACCOUNT = "acct-bench"


def _file(name: str, kind: str, **extra: str) -> dict[str, str]:
    return {"id": name, "file_type": kind, "status": "completed",
            "download_url": f"https://zoom.example/rec/download/{name}", **extra}


def zoom_request(k: int) -> tuple[str, bytes, dict[str, str]]:
    """A signed ``recording.completed`` like Zoom's: audio, video and three participant tracks."""
    files = [_file(f"a{k}", "M4A", recording_type="audio_only"),
             _file(f"v{k}", "MP4", recording_type="shared_screen_with_speaker_view")]
    tracks = [_file(f"p{k}-{j}", "M4A", file_name=f"Speaker {j}") for j in range(3)]
    event = {"event": "recording.completed", "event_ts": int(time.time() * 1000), "download_token": "t" * 200,
             "payload": {"account_id": "bench", "object": {
                 "uuid": f"bench-{k}-{time.time_ns()}==", "id": 1000 + k, "topic": f"Bench call {k}",
                 "recording_files": files, "participant_audio_files": tracks}}}
    body = json.dumps(event).encode()
    ts = str(int(time.time()))
    mac = hmac.new(ZOOM_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    sig = "v0=" + mac.hexdigest()
    return "/v1/webhooks/zoom", body, {"x-zm-request-timestamp": ts, "x-zm-signature": sig,
                                       "content-type": "application/json"}


def recording_request(k: int) -> tuple[str, bytes, dict[str, str]]:
    from standardwebhooks.webhooks import Webhook

    msg_id = f"msg_bench_{k}_{time.time_ns()}"
    body = json.dumps({"account_id": ACCOUNT, "recording_url": f"https://bot.example/calls/{k}.m4a",
                       "transcript_url": f"https://bot.example/calls/{k}.vtt"}).encode()
    now = datetime.now()
    return "/v1/webhooks/recording", body, {
        "webhook-id": msg_id, "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(RECORDING_SECRET).sign(msg_id, now, body),
        "content-type": "application/json"}


async def run(base: str, requests: list[tuple[str, bytes, dict[str, str]]] | None, n: int,
              concurrency: int) -> tuple[list[float], list[int]]:
    """Latency (s) and status of each request, ``concurrency`` in flight at a time."""
    import httpx

    latencies: list[float] = []
    codes: list[int] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for k in range(n):
        queue.put_nowait(k)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def worker() -> None:
            while not queue.empty():
                k = queue.get_nowait()
                t0 = time.perf_counter()
                if requests is None:
                    resp = await client.get("/healthz")
                else:
                    path, body, headers = requests[k]
                    resp = await client.post(path, content=body, headers=headers)
                latencies.append(time.perf_counter() - t0)
                codes.append(resp.status_code)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, codes


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(name: str, lat: list[float]) -> str:
    ms = [v * 1000 for v in lat]
    return (f"{name:<10} n={len(ms):4d}  p50 {pct(ms, 0.5):7.1f} ms  p99 {pct(ms, 0.99):7.1f} ms  "
            f"max {max(ms):7.1f} ms  mean {statistics.fmean(ms):6.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--deliveries", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--source", choices=("zoom", "recording"), default="zoom")
    ap.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--queue", choices=("redis", "embedded"), default="redis")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = ap.parse_args()

    import subprocess

    from apiserver import api_server, cli
    from servers import free_port, postgres_schema_url, redis_binary, stop, wait_port

    with tempfile.TemporaryDirectory(prefix="aw-bench-hooks-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        account = Path(tmp) / "account.json"
        account.write_text(json.dumps({"account_id": ACCOUNT, "name": "Bench Inc"}))
        settings = dict(zoom_webhook_secret=ZOOM_SECRET, recording_webhook_secret=RECORDING_SECRET,
                        webhook_account_id=ACCOUNT, log_level="WARNING")
        redis = None
        pg = None
        if args.queue == "redis":  # our own, in memory (no AOF fsync per job), drained by nobody
            port = free_port()
            cmd = [redis_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no"]
            redis = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_port(port, redis, "redis-server")
            settings["redis_url"] = f"redis://127.0.0.1:{port}/0"
        if args.database == "postgres":
            pg = postgres_schema_url()
            settings["database_url"] = next(pg)
        try:
            with api_server(data, "--workers", str(args.workers), **settings) as server:
                cli(server.env, "account", "import", str(account))
                make = zoom_request if args.source == "zoom" else recording_request
                warm = [make(-k - 1) for k in range(20)]
                asyncio.run(run(server.url, warm, len(warm), 10))
                asyncio.run(run(server.url, None, 50, 10))
                requests = [make(k) for k in range(args.deliveries)]
                hook, codes = asyncio.run(run(server.url, requests, args.deliveries, args.concurrency))
                peer, _ = asyncio.run(run(server.url, None, args.deliveries, args.concurrency))
        finally:
            if redis:
                stop(redis)
            if pg:
                next(pg, None)
    print(f"webhook acknowledgement, {args.source} deliveries, {args.concurrency} concurrent, "
          f"{args.database}, queue {args.queue}, {args.workers} uvicorn worker(s), loopback, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(summary("webhook", hook))
    print(summary("/healthz", peer))
    print(f"accepted (202): {codes.count(202)}/{len(codes)}  other: "
          f"{sorted(set(c for c in codes if c != 202))}")
    print(f"p99 ratio webhook / healthz: {pct(hook, 0.99) / pct(peer, 0.99):.1f}x   "
          f"goal p99 <= 100 ms: {'met' if pct(hook, 0.99) <= 0.1 else 'NOT met'}")


if __name__ == "__main__":
    main()
