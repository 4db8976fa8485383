"""``alignment-worker worker``: one RQ SimpleWorker process with its models loaded once.

Besides taking jobs, the process runs one background thread that (a) recovers jobs of dead or
stuck workers (see ``worker.watchdog``) and (b) moves due retries from the scheduled registry
onto their queues — RQ's own scheduler would fork a child from a process holding CTranslate2
models, which is what we avoid. A Redis outage ends an RQ work loop; the runner starts a new
one (same process, models kept) until stopped.
"""
from __future__ import annotations

import threading
import time

import redis
from rq import Queue, SimpleWorker
from rq.scheduler import RQScheduler

from worker.logs import event, setup_logging
from worker.orphans import fail_dead_local, requeue_orphans
from worker.services import process_services
from worker.settings import Settings, get_settings
from worker.watchdog import recover_stale


def _maintenance(conn: redis.Redis, queues: list[str], settings: Settings, stop: threading.Event) -> None:
    tick = 0
    while not stop.wait(min(settings.heartbeat_s, 5.0)):
        tick += 1
        try:
            recover_stale(conn, queues, settings.stale_after_s, settings.watchdog_max_recoveries)
            if tick % settings.orphan_scan_every == 0:
                requeue_orphans(process_services(), conn, max(2 * settings.stale_after_s, 30.0))
            scheduler = RQScheduler(queues, connection=conn)
            scheduler.acquire_locks()
            if scheduler.acquired_locks:
                scheduler.enqueue_scheduled_jobs()
                scheduler.release_locks()
        except redis.RedisError as e:
            event("maintenance.redis_unavailable", level=30, error=str(e))


def _deliver_loop(settings: Settings, stop: threading.Event) -> None:
    """Outbound sync deliveries that are due (new, or past their backoff), from every worker; its
    own thread, so a slow CRM never holds up the watchdog."""
    from pipelines.errors import TransientError
    from worker.sync import deliver_pending

    while not stop.wait(min(settings.heartbeat_s, 5.0)):
        try:
            deliver_pending(process_services())
        except TransientError as e:
            event("sync.database_unavailable", level=30, error=str(e))
        except Exception as e:  # keep the loop alive; the rows stay pending
            event("sync.loop_error", level=40, error=f"{type(e).__name__}: {e}")


def run_worker(queues: list[str] | None = None, burst: bool = False, settings: Settings | None = None,
               warm: bool = True) -> int:
    """Serve meeting jobs until stopped (or, with ``burst``, until the queues are empty)."""
    cfg = settings or get_settings()
    setup_logging(cfg.log_level)
    if not cfg.redis_url:
        raise SystemExit("AW_REDIS_URL is not set: a worker needs Redis (without it, use `process`)")
    names = queues or cfg.queues
    svc = process_services()  # database migrated, storage client made, once per process
    fail_dead_local(svc)  # meetings a killed `process` on this host left running
    if warm:
        from worker.stages import warm_up

        event("worker.models_loaded", seconds=warm_up(svc.settings))
    conn = redis.Redis.from_url(cfg.redis_url)
    stop = threading.Event()
    threading.Thread(target=_maintenance, args=(conn, names, cfg, stop), daemon=True,
                     name="aw-maintenance").start()
    if cfg.sync_urls:
        threading.Thread(target=_deliver_loop, args=(cfg, stop), daemon=True, name="aw-sync").start()
    served = 0
    try:
        while True:
            try:
                worker = SimpleWorker([Queue(n, connection=conn) for n in names], connection=conn)
                served += int(bool(worker.work(burst=burst, logging_level=cfg.log_level)))
            except redis.RedisError as e:
                event("worker.redis_unavailable", level=30, error=str(e))
                time.sleep(2.0)
                continue
            if getattr(worker, "_shutdown_requested_date", None) is not None:
                break
            if burst and _drained(conn, names):
                break
            event("worker.restarting_loop", level=30)
            time.sleep(1.0)
    finally:
        stop.set()
    return served


def _drained(conn: redis.Redis, names: list[str]) -> bool:
    """No job waiting, running or scheduled for retry on these queues."""
    from rq.registry import ScheduledJobRegistry, StartedJobRegistry

    try:
        return all(len(Queue(n, connection=conn)) == 0
                   and StartedJobRegistry(n, connection=conn).count == 0
                   and ScheduledJobRegistry(n, connection=conn).count == 0 for n in names)
    except redis.RedisError:
        return False
