"""HTTP API benchmark: upload throughput of large recordings against a plain file copy, and the
server's peak RSS (it must not grow with the file: uploads stream to disk).

    python bench/api.py [--sizes 50,500] [--keep]

In one run, for each size (MB) a WAV recording (48 kHz stereo 16-bit noise) is written, then:
  copy     shutil.copyfile of it to another file on the same disk (the peer)
  upload   POST /v1/meetings to `alignment-worker serve` on loopback (httpx, multipart streamed):
           the server spools it to disk while enforcing the size limit, probes it with PyAV,
           copies it into storage (folder) and queues the job (on our own redis-server, so no
           model runs), until the 202
and the serve process's peak RSS (VmHWM) after each upload. Webhook acknowledgement latency is
bench/webhooks.py (owned by the webhooks branch); `run(...)` here is importable for it.
"""
from __future__ import annotations

import argparse
import shutil
import struct
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

RATE, CHANNELS, WIDTH = 48000, 2, 2


def write_wav(path: Path, megabytes: int) -> Path:
    """A PCM WAV of ``megabytes`` MiB of noise, written in 4 MiB chunks (RIFF sizes fit 32 bits)."""
    import numpy as np

    data = megabytes * 2**20
    header = b"RIFF" + struct.pack("<I", 36 + data) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, CHANNELS, RATE, RATE * CHANNELS * WIDTH, CHANNELS * WIDTH, 8 * WIDTH)
    rng = np.random.default_rng(0)
    with path.open("wb") as f:
        f.write(header + b"data" + struct.pack("<I", data))
        for _ in range(megabytes // 4):
            f.write(rng.integers(-3000, 3000, 2**21, dtype=np.int16).tobytes())
        f.write(b"\0" * (data % (4 * 2**20)))
    return path


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size so far (VmHWM), MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def copy_seconds(src: Path, dest: Path) -> float:
    t0 = time.perf_counter()
    shutil.copyfile(src, dest)
    with dest.open("rb+") as f:  # the server fsyncs what it stores: so does the peer
        import os

        os.fsync(f.fileno())
    seconds = time.perf_counter() - t0
    dest.unlink()
    return seconds


def upload_seconds(url: str, token: str, path: Path) -> float:
    import httpx

    with path.open("rb") as f, httpx.Client(base_url=url, timeout=600,
                                            headers={"Authorization": f"Bearer {token}"}) as c:
        t0 = time.perf_counter()
        r = c.post("/v1/meetings", files={"file": (path.name, f, "audio/wav")},
                   data={"account_id": "acct-bluefin"})
        seconds = time.perf_counter() - t0
    if r.status_code != 202:
        raise RuntimeError(f"upload refused: {r.status_code} {r.text[:300]}")
    return seconds


def run(sizes: list[int], work: Path) -> list[dict[str, float]]:
    """Upload and copy each size; one row of figures per size."""
    from apiserver import api_server, cli, make_token
    from servers import RedisServer

    redis = RedisServer(work / "redis")
    redis.start()
    rows = []
    try:
        with api_server(work / "server", redis_url=redis.url, max_upload_mb=str(max(sizes) + 16),
                        max_duration_s="100000") as srv:
            cli(srv.env, "account", "import", str(ROOT / "samples" / "demo-account.json"))
            token = make_token(srv.env, "bench", "write")
            idle = peak_rss_mb(srv.proc.pid)
            for mb in sizes:
                wav = write_wav(work / f"rec-{mb}.wav", mb)
                copy_s = copy_seconds(wav, work / "copy.wav")
                up_s = upload_seconds(srv.url, token, wav)
                rows.append({"mb": mb, "copy_s": copy_s, "upload_s": up_s, "idle_rss": idle,
                             "peak_rss": peak_rss_mb(srv.proc.pid)})
                wav.unlink()
                shutil.rmtree(work / "server" / "objects" / "meetings", ignore_errors=True)
    finally:
        redis.stop()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="50,500", help="file sizes in MiB, comma-separated, ascending")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aw-bench-api-"))
    (work / "server").mkdir()
    try:
        rows = run([int(s) for s in args.sizes.split(",")], work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{'MiB':>6} {'copy MiB/s':>10} {'upload MiB/s':>12} {'upload/copy':>12} {'peak RSS MiB':>13}")
    for r in rows:
        print(f"{r['mb']:>6} {r['mb'] / r['copy_s']:>10.0f} {r['mb'] / r['upload_s']:>12.0f} "
              f"{r['copy_s'] / r['upload_s']:>12.2f} {r['peak_rss']:>13.0f}")
    print(f"server RSS idle {rows[0]['idle_rss']:.0f} MiB; peak after the largest upload minus after the "
          f"smallest: {rows[-1]['peak_rss'] - rows[0]['peak_rss']:+.0f} MiB for "
          f"{rows[-1]['mb'] - rows[0]['mb']} MiB more file")


if __name__ == "__main__":
    main()
