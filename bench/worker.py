"""Worker benchmark: throughput through 1 and 2 RQ workers, and the job path's overhead.

    python bench/worker.py [--meetings 4] [--turns 6] [--threads 1]

In one run, on the same synthesized meetings (../shared/eval/synth_audio.py):
  direct     the stages called one after another in this process, models already loaded
  job        the same meetings as in-process jobs (storage + SQLite + artifacts + revisions)
  rq x1/x2   the same meetings through 1 and 2 `alignment-worker worker` processes on our own
             redis-server, timed from enqueue to the last meeting done (workers started and
             their models loaded before the clock starts)
The overhead of a path is its wall time minus the time spent inside the three model stages
(transcribe, speakers, analyze) in that same run — measured in-process by timing those calls,
and in the workers from their `stage.finished` log events — so it holds even when other
processes load the machine. It is printed per job and as a share of the stages' time, with
the 2-worker speed-up and the model load paid once per process versus a warm job.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
SHARED = ROOT / ".." / "shared"
MEETINGS = ["dev-014", "dev-008", "dev-013", "dev-007", "dev-003", "dev-006"]


def synthesize(n: int, turns: int, out: Path) -> list[Path]:
    paths = []
    for k in range(n):
        src = SHARED / "eval" / "meetings" / f"{MEETINGS[k % len(MEETINGS)]}.json"
        meeting = json.loads(src.read_text())
        meeting["id"] = f"bench-{k}"
        meeting["utterances"] = meeting["utterances"][k // len(MEETINGS):]  # distinct audio per meeting
        tmp = out / f"bench-{k}.json"
        tmp.write_text(json.dumps(meeting))
        subprocess.run([sys.executable, str(SHARED / "eval" / "synth_audio.py"), str(tmp), str(out),
                        "--max-turns", str(turns), "--format", "flac"], check=True, capture_output=True)
        paths.append(out / f"bench-{k}.flac")
    return paths


def direct(paths: list[Path], settings, account) -> float:  # noqa: ANN001
    """All stages, no queue, no storage, no database."""
    from pipelines.account_state import AccountState
    from pipelines.update import apply_update, build_update
    from worker import stages

    state = AccountState.from_account(account)
    t0 = time.perf_counter()
    for k, p in enumerate(paths):
        tr = stages.transcribe_stage(p, None, stages.transcribe_options(settings), lambda f: None,
                                     settings.limits)
        sp = stages.speakers_stage(tr, p, None, account, lambda f: None, settings.limits)
        analysis = stages.analyze_stage(sp, account, f"direct-{k}")
        state = apply_update(state, build_update(analysis, state))
    return time.perf_counter() - t0


def make_services(data: Path, **extra):  # noqa: ANN003, ANN201
    from worker.db import Database
    from worker.services import Services
    from worker.settings import Settings
    from worker.storage import LocalStorage

    settings = Settings(data_dir=data, **extra)
    return Services(settings=settings, storage=LocalStorage(data / "objects"),
                    db=Database(settings.resolved_database_url))


def add_meeting(svc, account_id: str, path: Path) -> str:  # noqa: ANN001
    from worker.db import repo
    from worker.intake import store_input

    mid = repo.new_meeting_id()
    key = store_input(svc, mid, path)
    with svc.db.session() as s:
        repo.create_meeting(s, account_id, meeting_id=mid, filename=path.name, recording_key=key)
    return mid


def import_account(svc, account) -> None:  # noqa: ANN001
    from pipelines.account_state import AccountState
    from worker.db import repo

    with svc.db.session() as s:
        repo.import_account(s, AccountState.from_account(account))


MODEL_STAGES = ("transcribe_stage", "speakers_stage", "analyze_stage")
JOB_TIMES: dict[int, list[float]] = {}
"""Seconds of each job in the order the workers finished them, by number of workers."""


def in_process(paths: list[Path], data: Path, account, threads: int) -> tuple[float, float]:  # noqa: ANN001
    """(wall time of the jobs, time spent inside the model stages) for in-process jobs."""
    from worker import stages
    from worker.jobs import run_meeting

    svc = make_services(data, cpu_threads=threads)
    import_account(svc, account)
    ids = [add_meeting(svc, account.account_id, p) for p in paths]
    inside = [0.0]
    originals = {name: getattr(stages, name) for name in MODEL_STAGES}

    def timed(fn):  # noqa: ANN001, ANN202
        def call(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                inside[0] += time.perf_counter() - t0
        return call

    for name, fn in originals.items():
        setattr(stages, name, timed(fn))
    try:
        t0 = time.perf_counter()
        for mid in ids:
            run_meeting(mid, svc)
        return time.perf_counter() - t0, inside[0]
    finally:
        for name, fn in originals.items():
            setattr(stages, name, fn)


def log_events(logs: list[Path], name: str) -> list[dict]:
    """The workers' JSON log events called ``name``."""
    return [json.loads(line) for log in logs for line in log.read_text(errors="replace").splitlines()
            if f'"event": "{name}"' in line]


def stage_seconds(logs: list[Path]) -> float:
    """Time the workers spent computing the model stages."""
    return sum(float(ev["seconds"]) for ev in log_events(logs, "stage.finished")
               if ev.get("stage") in ("transcribe", "speakers", "analyze"))


def through_rq(paths: list[Path], data: Path, account, workers: int,  # noqa: ANN001
               threads: int) -> tuple[float, float]:
    """(wall time from enqueue to the last meeting done, model-stage time inside the workers)."""
    import redis
    from rq import Worker
    from servers import RedisServer

    from worker.db import repo
    from worker.rq_queue import RQQueue

    server = RedisServer(data / "redis")
    server.start()
    queue = f"bench-{workers}"
    svc = make_services(data, redis_url=server.url, queues=[queue], cpu_threads=threads)
    import_account(svc, account)
    env = {**os.environ, "AW_DATA_DIR": str(data), "AW_REDIS_URL": server.url,
           "AW_QUEUES": json.dumps([queue]), "AW_CPU_THREADS": str(threads), "AW_LOG_LEVEL": "INFO",
           "OMP_NUM_THREADS": str(threads)}  # torch (speakers, analysis) gets the same share as ASR
    procs = [subprocess.Popen([sys.executable, "-m", "worker.cli", "worker"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=open(data / f"w{i}.log", "wb"))  # noqa: SIM115
             for i in range(workers)]
    try:
        conn = redis.Redis.from_url(server.url)
        while len(Worker.all(connection=conn)) < workers:  # registered = models loaded
            if any(p.poll() is not None for p in procs):
                raise SystemExit(f"a worker died, see {data}/w*.log")
            time.sleep(0.2)
        ids = [add_meeting(svc, account.account_id, p) for p in paths]
        t0 = time.perf_counter()
        rq = RQQueue(svc.settings)
        for mid in ids:
            rq.enqueue_meeting(mid, 60)
        while True:
            with svc.db.session() as s:
                states = [repo.get_meeting(s, m).status for m in ids]
            if all(st in ("done", "failed") for st in states):
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - t0
        if "failed" in states:
            raise SystemExit(f"a bench meeting failed, see {data}/w*.log")
        logs = [data / f"w{i}.log" for i in range(workers)]
        JOB_TIMES[workers] = [float(ev["seconds"]) for ev in log_events(logs, "job.finished")]
        return elapsed, stage_seconds(logs)
    finally:
        for p in procs:
            p.terminate()
            p.wait(30)
        server.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--meetings", type=int, default=4)
    ap.add_argument("--turns", type=int, default=6)
    ap.add_argument("--threads", type=int, default=1, help="ASR threads per process (1: one core each)")
    args = ap.parse_args()
    if not (SHARED / "eval" / "synth_audio.py").exists():
        raise SystemExit(f"{SHARED}/eval/synth_audio.py not found: the bench synthesizes its meetings")
    from pipelines.account import Account
    from pipelines.audio import probe_audio
    from worker import stages
    from worker.settings import Settings

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    tmp = Path(tempfile.mkdtemp(prefix="aw-bench-"))
    try:
        paths = synthesize(args.meetings, args.turns, tmp)
        audio_s = sum(probe_audio(p).duration or 0 for p in paths)
        account = Account.model_validate(json.loads((ROOT / "samples" / "demo-account.json").read_text()))
        settings = Settings(data_dir=tmp / "direct", cpu_threads=args.threads)
        t0 = time.perf_counter()
        loads = stages.warm_up(settings)
        load_s = time.perf_counter() - t0
        t_direct = direct(paths, settings, account)
        t_job = in_process(paths, tmp / "job", account, args.threads)
        t_rq1 = through_rq(paths, tmp / "rq1", account, 1, args.threads)
        t_rq2 = through_rq(paths, tmp / "rq2", account, 2, args.threads)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n = len(paths)
    print(f"{n} meetings, {audio_s:.0f} s of audio, {args.threads} ASR thread(s) per process, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    parts = ", ".join(f"{k} {v:.1f}" for k, v in loads.items())
    print(f"model load, once per process: {load_s:.1f} s ({parts}); a warm job: {t_direct / n:.2f} s")
    print(f"direct stages        {t_direct:7.2f} s  {t_direct / n * 1000:6.0f} ms/meeting")
    for label, (wall, inside) in (("in-process jobs", t_job), ("RQ, 1 worker", t_rq1)):
        print(f"{label:<20} {wall:7.2f} s  overhead {(wall - inside) / n * 1000:5.0f} ms/job "
              f"= {(wall - inside) / inside:.1%} of the stages' own time")
    print("RQ, 1 worker, job times in order (the first pays no model load): "
          + ", ".join(f"{t:.1f}" for t in JOB_TIMES.get(1, [])) + " s")
    print(f"throughput: 1 worker {n / t_rq1[0] * 60:.1f} meetings/min, 2 workers {n / t_rq2[0] * 60:.1f} "
          f"meetings/min: x{t_rq1[0] / t_rq2[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
