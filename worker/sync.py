"""Outbound sync: signed JSON events to the configured URLs (a CRM bridge), with a delivery log.

Each event is POSTed with the headers ``AW-Event-Id`` (idempotency key), ``AW-Timestamp`` (unix
seconds) and ``AW-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the shared
secret>``. The update stage only *records* the events, in the transaction that applies the
revision (``record_revision``); delivery happens after commit: once right away for the in-process
``process`` command (short timeout), and from every worker's delivery loop, which retries pending
deliveries with exponential backoff (``next_attempt_at``) until ``AW_SYNC_MAX_ATTEMPTS``. Every
attempt is logged in ``sync_deliveries``; an event delivered to a URL is never sent there again.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from pipelines.update import AccountUpdate
from worker.db.models import SyncDeliveryRow, utcnow
from worker.logs import event

if TYPE_CHECKING:
    from worker.services import Services
    from worker.settings import Settings

SIGNATURE_HEADER = "AW-Signature"
TIMESTAMP_HEADER = "AW-Timestamp"
EVENT_ID_HEADER = "AW-Event-Id"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``v1=`` + hex HMAC-SHA256 over ``timestamp.body``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, tolerance_s: float = 300.0,
           now: float | None = None) -> bool:
    """What a receiver checks: the signature matches and the timestamp is recent."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance_s and hmac.compare_digest(sign(secret, timestamp, body), signature)


def event_id(logical_key: str) -> str:
    """A fixed-length id (``evt_`` + 32 hex) for an event's logical key, whatever the account id's length."""
    return "evt_" + hashlib.sha256(logical_key.encode()).hexdigest()[:32]


def revision_events(account_id: str, number: int, diff: AccountUpdate) -> list[dict[str, Any]]:
    """The events one applied revision makes: always ``account.revision``, plus the advocacy change."""
    base = {"account_id": account_id, "revision": number, "meeting_id": diff.meeting_id,
            "created_at": datetime.now(UTC).isoformat()}
    events = [{**base, "key": f"{account_id}|{number}|revision", "type": "account.revision",
               "changes": [c.model_dump(mode="json") for c in diff.changes],
               "rejected_highlights": diff.rejected_highlights}]
    change = next((c for c in diff.changes if c.collection == "advocacy"), None)
    if change is not None:
        events.append({**base, "key": f"{account_id}|{number}|advocacy", "type": "account.advocacy",
                       "flag": bool((change.after or {}).get("flag")),
                       "change": change.model_dump(mode="json")})
    return [{"id": event_id(str(ev["key"])), **ev} for ev in events]


def record_revision(s: Session, settings: Settings, account_id: str, number: int,
                    diff: AccountUpdate) -> int:
    """Log the revision's events for every sync URL in the caller's transaction (so they exist iff
    the revision does); delivery comes after commit. Returns how many rows were new."""
    added = 0
    for ev in revision_events(account_id, number, diff) if settings.sync_urls else []:
        for url in settings.sync_urls:
            added += _insert_once(s, ev, url)
    return added


def _insert_once(s: Session, ev: dict[str, Any], url: str) -> int:
    """INSERT ... ON CONFLICT DO NOTHING on (event_id, url): a re-run or a racing worker adds nothing."""
    values = {"event_id": ev["id"], "event_key": ev["key"], "event_type": ev["type"],
              "account_id": ev["account_id"], "url": url, "payload": ev, "status": "pending",
              "attempts": 0, "created_at": utcnow()}
    dialect = s.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql as sql_dialect
    elif dialect == "sqlite":
        from sqlalchemy.dialects import sqlite as sql_dialect  # type: ignore[no-redef]
    else:  # pragma: no cover - the store runs on SQLite or PostgreSQL
        raise RuntimeError(f"unsupported database {dialect}")
    stmt = sql_dialect.insert(SyncDeliveryRow).values(**values).on_conflict_do_nothing(
        index_elements=["event_id", "url"]
    )
    return int(getattr(s.execute(stmt), "rowcount", 0) or 0)


def notify_revision(svc: Services, account_id: str, number: int, diff: AccountUpdate) -> None:
    """Record a revision's events (e.g. after a review decision) and try them once right away."""
    with svc.db.session() as s:
        record_revision(s, svc.settings, account_id, number, diff)
    deliver_now(svc, account_id)


def deliver_now(svc: Services, account_id: str | None = None, timeout_s: float = 2.0) -> int:
    """One short delivery pass after a job in this process; what fails stays pending for a worker."""
    if not svc.settings.sync_urls:
        return 0
    try:
        return deliver_pending(svc, account_id=account_id,
                               timeout_s=min(timeout_s, svc.settings.sync_timeout_s))
    except Exception as e:  # the job is done; delivery is retried later
        event("sync.deferred", level=30, error=str(e))
        return 0


def deliver_pending(svc: Services, account_id: str | None = None, *, limit: int = 50,
                    timeout_s: float | None = None, now: datetime | None = None) -> int:
    """One attempt for each pending delivery that is due (oldest first); returns how many got
    through. A failed attempt schedules the next one after ``AW_SYNC_BACKOFF_S * 2**(attempts-1)``."""
    now = now or utcnow()
    with svc.db.session() as s:
        q = select(SyncDeliveryRow.id).where(
            SyncDeliveryRow.status == "pending",
            or_(SyncDeliveryRow.next_attempt_at.is_(None), SyncDeliveryRow.next_attempt_at <= now))
        if account_id:
            q = q.where(SyncDeliveryRow.account_id == account_id)
        ids = list(s.scalars(q.order_by(SyncDeliveryRow.id).limit(limit)))
    timeout = timeout_s if timeout_s is not None else svc.settings.sync_timeout_s
    return sum(_attempt(svc, i, now, timeout) for i in ids)


def _claim(svc: Services, delivery_id: int, now: datetime, timeout_s: float) -> dict[str, Any] | None:
    """Take the delivery for one attempt (a lease past the timeout, so two workers never post it at
    once); its url and payload, or None if someone else has it or it is no longer due."""
    lease = now + timedelta(seconds=timeout_s + 30)
    with svc.db.session() as s:
        claimed = s.execute(update(SyncDeliveryRow).where(
            SyncDeliveryRow.id == delivery_id, SyncDeliveryRow.status == "pending",
            or_(SyncDeliveryRow.next_attempt_at.is_(None), SyncDeliveryRow.next_attempt_at <= now))
            .values(next_attempt_at=lease))
        taken = int(getattr(claimed, "rowcount", 0) or 0)
        if not taken:
            return None
        row = s.get(SyncDeliveryRow, delivery_id)
        assert row is not None
        return {"url": row.url, "payload": row.payload}


def _attempt(svc: Services, delivery_id: int, now: datetime, timeout_s: float) -> bool:
    cfg = svc.settings
    claimed = _claim(svc, delivery_id, now, timeout_s)
    if claimed is None:
        return False
    url, payload = claimed["url"], claimed["payload"]
    status, error = post(url, payload, cfg.sync_secret, timeout_s)
    ok = status is not None and 200 <= status < 300
    with svc.db.session() as s:
        row = s.get(SyncDeliveryRow, delivery_id)
        assert row is not None
        row.attempts += 1
        row.last_status, row.last_error = status, error
        if ok:
            row.status, row.delivered_at, row.next_attempt_at = "delivered", utcnow(), None
        elif row.attempts >= cfg.sync_max_attempts:
            row.status, row.next_attempt_at = "failed", None
        else:
            row.next_attempt_at = utcnow() + timedelta(seconds=cfg.sync_backoff_s * 2 ** (row.attempts - 1))
        attempts = row.attempts
    event("sync.attempt", url=url, event_id=payload["id"], status=status, error=error, ok=ok,
          attempts=attempts)
    return ok


def post(url: str, payload: dict[str, Any], secret: str | None,
         timeout: float) -> tuple[int | None, str | None]:
    """POST one signed event; (HTTP status, error) — status None when the URL did not answer."""
    body = json.dumps(payload, sort_keys=True).encode()
    ts = str(int(time.time()))
    headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: ts, EVENT_ID_HEADER: payload["id"],
               "User-Agent": "alignment-worker-sync/1"}
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, ts, body)
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, None
    except urllib.error.HTTPError as e:
        return e.code, f"HTTP {e.code}"
    except (urllib.error.URLError, OSError) as e:
        return None, str(getattr(e, "reason", e))
