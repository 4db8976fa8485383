"""Prometheus metrics of the API and the embedded worker (``GET /metrics``).

The metric objects live here so any route can count into them (the webhooks count deliveries
with ``WEBHOOK_DELIVERIES.labels(source="zoom", result="accepted").inc()``). ``serve`` points
``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's own variable) at a fresh folder before any
process starts, so the counts of every uvicorn worker and of the embedded job worker add up;
jobs by state are read from the meeting rows at scrape time (true for RQ workers too).
"""
from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import func, select

from worker.db.models import MeetingRow
from worker.services import Services

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
MULTIPROC = bool(os.environ.get(MULTIPROC_ENV))
"""prometheus-client chose its value store when imported, from the same variable: read it once."""
JOB_STATES = ("queued", "running", "retrying", "done", "failed")

UPLOAD_BYTES = Counter("aw_upload_bytes", "Bytes of recordings and transcripts received by uploads.")
UPLOADS = Counter("aw_uploads", "Uploads by result (accepted, too_large, empty, undecodable, ...).",
                  ["result"])
WEBHOOK_DELIVERIES = Counter("aw_webhook_deliveries", "Webhook deliveries by source and result.",
                             ["source", "result"])
STAGE_SECONDS = Histogram("aw_stage_duration_seconds", "Wall time of a job stage (embedded worker).",
                          ["stage"], buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600))


class JobsCollector(Collector):
    """``aw_jobs{state=...}``: meetings by job state, counted in the database at scrape time."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily("aw_jobs", "Meetings by job state (from the database).", labels=["state"])
        with self.svc.db.session() as s:
            counts = dict(s.execute(select(MeetingRow.status, func.count()).group_by(MeetingRow.status))
                          .tuples().all())
        for state in sorted(set(JOB_STATES) | set(counts)):
            family.add_metric([state], counts.get(state, 0))
        yield family


def render(svc: Services) -> bytes:
    """The exposition text: this process's (or all processes') metrics plus the job states."""
    if MULTIPROC:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        own = generate_latest(registry)
    else:
        own = generate_latest(REGISTRY)
    jobs = CollectorRegistry(auto_describe=False)
    jobs.register(JobsCollector(svc))
    return own + generate_latest(jobs)
