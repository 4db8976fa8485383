"""Liveness, readiness and metrics (no token: for load balancers and Prometheus)."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlalchemy import text

from worker.api import metrics
from worker.api.deps import ServicesDep
from worker.api.errors import ErrorResponse, error_response
from worker.services import Services
from worker.storage import LocalStorage

router = APIRouter(tags=["health"])

Check = Literal["ok", "unreachable", "not configured"]


class Alive(BaseModel):
    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    status: Literal["ready"] = "ready"
    checks: dict[str, Check]


@router.get("/healthz", response_model=Alive)
def healthz() -> Alive:
    """The process is alive (checks nothing else)."""
    return Alive()


def _database(svc: Services) -> None:
    with svc.db.session() as s:
        s.execute(text("SELECT 1"))


def _storage(svc: Services) -> None:
    if isinstance(svc.storage, LocalStorage) and not svc.storage.root.is_dir():
        raise OSError(f"storage folder {svc.storage.root} is gone")
    svc.storage.exists("readyz/probe")  # S3: HEAD, which also tells a missing bucket


def _redis(svc: Services) -> None:
    import redis

    assert svc.settings.redis_url
    redis.Redis.from_url(svc.settings.redis_url, socket_timeout=2, socket_connect_timeout=2).ping()


def _embedded_worker(svc: Services) -> None:
    """Without Redis, jobs run only if the worker ``serve`` started is alive (its heartbeat)."""
    from worker.embedded import heartbeat_age, heartbeat_every

    age, limit = heartbeat_age(svc.settings), 3 * heartbeat_every(svc.settings) + 5
    if age is None or age > limit:
        raise RuntimeError("the embedded job worker is not running (" + (
            "no heartbeat yet" if age is None else f"last heartbeat {age:.0f} s ago") +
            "): start the API with `alignment-worker serve`, or set AW_REDIS_URL and run workers")


def readiness(svc: Services) -> tuple[dict[str, Check], dict[str, str]]:
    """Each dependency's state and, for those that failed, why."""
    probes = {"database": _database, "storage": _storage}
    if svc.settings.redis_url:
        probes["redis"] = _redis
    else:
        probes["worker"] = _embedded_worker
    checks: dict[str, Check] = {"redis": "not configured"}
    why: dict[str, str] = {}
    for name, probe in probes.items():
        try:
            probe(svc)
            checks[name] = "ok"
        except Exception as e:  # any failure means "not ready"; the reason goes in the answer
            checks[name], why[name] = "unreachable", f"{type(e).__name__}: {e}"[:500]
    return checks, why


@router.get("/readyz", response_model=Ready, responses={503: {"model": ErrorResponse}})
def readyz(svc: ServicesDep) -> Ready | Response:
    """Database, storage and Redis (when configured; else the embedded job worker) reachable and
    alive; 503 names what is not."""
    checks, why = readiness(svc)
    if why:
        return error_response(503, "not_ready", f"not ready: {', '.join(why)} unreachable",
                              {"checks": checks, "reasons": why})
    return Ready(checks=checks)


@router.get("/metrics", response_class=Response,
            responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}})
def prometheus(svc: ServicesDep) -> Response:
    """Prometheus metrics: jobs by state, stage durations, webhook deliveries, upload bytes."""
    return Response(metrics.render(svc), media_type="text/plain; version=0.0.4; charset=utf-8")
