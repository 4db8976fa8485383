"""Structured logs: one JSON line per event, carrying the meeting id, job id and stage in context."""
from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

LOGGER = "alignment_worker"
_context: ContextVar[dict[str, Any]] = ContextVar("aw_log_context", default={})  # noqa: B039


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "event", "meeting_id", "job_id", "stage", ...}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
            "logger": record.name,
        }
        line.update(getattr(record, "aw", {}))
        if record.exc_info and record.exc_info[0] is not None:
            line["error_type"] = record.exc_info[0].__name__
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def setup_logging(level: str = "INFO", stream: Any = None) -> None:
    """Send our logs (and rq's) as JSON lines to ``stream`` (stderr); safe to call twice."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in (LOGGER, "rq.worker", "rq"):
        log = logging.getLogger(name)
        log.handlers[:] = [handler]
        log.setLevel(level.upper())
        log.propagate = False
    # the runner moves due retries every few seconds: rq.scheduler's lock notices are noise
    logging.getLogger("rq.scheduler").setLevel(max(logging.WARNING, logging.getLevelName(level.upper())))


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Fields added to every event logged inside the block (meeting_id, job_id, stage...)."""
    token = _context.set({**_context.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


def event(name: str, level: int = logging.INFO, exc_info: bool = False, **fields: Any) -> None:
    """Log one event with the current context and ``fields``."""
    logging.getLogger(LOGGER).log(level, name, exc_info=exc_info, extra={"aw": {**_context.get(), **fields}})
