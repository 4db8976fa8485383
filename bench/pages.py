"""Review page benchmark: server time of a meeting page with many turns and highlights.

    python bench/pages.py [--turns 1000] [--highlights 100] [--repeat 20]

Builds a meeting with ``--turns`` transcript turns and ``--highlights`` highlights in a fresh
SQLite store, signs in, and times in this process (no network, no browser) the full request of:
  meeting page   GET /meetings/ID (store reads, transcript from storage, Jinja2 render)
  export.json    GET /meetings/ID/export.json, the same meeting's data without a template (peer)
  accounts page  GET / (for scale)
Prints the median and 90th percentile of each and the meeting page's ratio to its peer.
Reported, not asserted (the brief's target: under 300 ms server time for the meeting page).
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def build(tmp: Path, turns: int, count: int) -> tuple[object, str]:
    from web_app import page_services
    from web_seed import ACCOUNT, PASSWORD, seed, users

    from pipelines.highlight import CATEGORIES, Analysis, Highlight
    from worker.db import repo

    svc = page_services(tmp)
    users(svc)
    words = "we talked about the rollout the budget and the next quarter in some detail".split()
    lines = [("Ana Ruiz" if k % 3 else "Sam Ortiz", "customer" if k % 3 else "vendor", 4.0 * k,
              " ".join(words[(k + j) % len(words)] for j in range(14))) for k in range(turns)]
    meeting_id = seed(svc, tmp, lines=lines, meeting_id="m_bench0000000001", account=ACCOUNT)
    step = max(1, turns // count)
    hs = [Highlight(category=CATEGORIES[k % len(CATEGORIES)], evidence=lines[k * step][3],  # type: ignore[arg-type]
                    speaker=lines[k * step][0], start=lines[k * step][2], turns=[k * step],
                    confidence=0.5 + (k % 5) / 10, extractor="bench.v1",
                    attributes={"summary": f"item {k}", "severity": "medium", "owner": "Sam Ortiz"})
          for k in range(count)]
    with svc.db.session() as s:
        repo.save_highlights(s, meeting_id, Analysis(meeting_id=meeting_id, highlights=hs))
    return svc, PASSWORD


def timed(client: object, path: str, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(path)  # type: ignore[attr-defined]
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.text[:300]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--turns", type=int, default=1000)
    ap.add_argument("--highlights", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    from fastapi.testclient import TestClient
    from web_app import web_app

    with tempfile.TemporaryDirectory() as tmp:
        svc, password = build(Path(tmp), args.turns, args.highlights)
        client = TestClient(web_app(svc))  # type: ignore[arg-type]
        form = client.get("/signin").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        client.post("/signin", data={"csrf": csrf, "email": "csm@example.com", "password": password})
        page = "/meetings/m_bench0000000001"
        client.get(page)  # warm: templates compiled, engine connected
        results = {"meeting page": timed(client, page, args.repeat),
                   "export.json": timed(client, page + "/export.json", args.repeat),
                   "accounts page": timed(client, "/", args.repeat)}
        size = len(client.get(page).content)
    print(f"meeting with {args.turns} turns and {args.highlights} highlights; page {size / 1024:.0f} KiB; "
          f"{args.repeat} requests each")
    for name, ms in results.items():
        p90 = statistics.quantiles(ms, n=10)[-1]
        print(f"  {name:14s} median {statistics.median(ms):7.1f} ms   p90 {p90:7.1f} ms")
    ratio = statistics.median(results["meeting page"]) / statistics.median(results["export.json"])
    print(f"  meeting page / export.json (same data, no template): {ratio:.2f}x")


if __name__ == "__main__":
    main()
