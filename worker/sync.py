"""Outbound sync: signed JSON events to the configured URLs (a CRM bridge), with a delivery log.

Each event is POSTed with the headers ``AW-Event-Id`` (idempotency key), ``AW-Timestamp`` (unix
seconds) and ``AW-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the shared
secret>``. Failed deliveries are retried with exponential backoff; every attempt is logged in the
``sync_deliveries`` table, and an event already delivered to a URL is never sent there again.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from pipelines.update import AccountUpdate
from worker.db.models import SyncDeliveryRow, utcnow
from worker.logs import event

if TYPE_CHECKING:
    from worker.jobs import Services

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


def revision_events(account_id: str, number: int, diff: AccountUpdate) -> list[dict[str, Any]]:
    """The events one applied revision makes: always ``account.revision``, plus the advocacy change."""
    base = {"account_id": account_id, "revision": number, "meeting_id": diff.meeting_id,
            "created_at": datetime.now(UTC).isoformat()}
    events = [{**base, "id": f"evt_{account_id}_{number}_revision", "type": "account.revision",
               "changes": [c.model_dump(mode="json") for c in diff.changes],
               "rejected_highlights": diff.rejected_highlights}]
    for c in diff.changes:
        if c.collection == "advocacy":
            events.append({**base, "id": f"evt_{account_id}_{number}_advocacy", "type": "account.advocacy",
                           "flag": bool((c.after or {}).get("flag")), "change": c.model_dump(mode="json")})
            break
    return events


def notify_revision(svc: Services, account_id: str, number: int, diff: AccountUpdate) -> None:
    """Queue and deliver the revision's events to every sync URL (no-op without URLs)."""
    urls = svc.settings.sync_urls
    if not urls:
        return
    for ev in revision_events(account_id, number, diff):
        for url in urls:
            record(svc, ev, url)
    deliver_pending(svc, account_id=account_id)


def record(svc: Services, ev: dict[str, Any], url: str) -> None:
    """Log the event for ``url`` once (a re-run of the job does not add it twice)."""
    with svc.db.session() as s:
        exists = s.scalars(select(SyncDeliveryRow.id).where(SyncDeliveryRow.event_id == ev["id"],
                                                            SyncDeliveryRow.url == url)).first()
        if exists is None:
            s.add(SyncDeliveryRow(event_id=ev["id"], event_type=ev["type"], account_id=ev["account_id"],
                                  url=url, payload=ev))


def deliver_pending(svc: Services, account_id: str | None = None) -> int:
    """Try every pending delivery (oldest first) with backoff; returns how many got through."""
    with svc.db.session() as s:
        q = select(SyncDeliveryRow.id).where(SyncDeliveryRow.status == "pending")
        if account_id:
            q = q.where(SyncDeliveryRow.account_id == account_id)
        ids = list(s.scalars(q.order_by(SyncDeliveryRow.id)))
    return sum(_deliver(svc, i) for i in ids)


def _deliver(svc: Services, delivery_id: int) -> bool:
    cfg = svc.settings
    for attempt in range(cfg.sync_max_attempts):
        with svc.db.session() as s:
            row = s.get(SyncDeliveryRow, delivery_id)
            if row is None or row.status != "pending":
                return False
            url, payload, done = row.url, row.payload, row.attempts
        if done >= cfg.sync_max_attempts:
            break
        status, error = post(url, payload, cfg.sync_secret, cfg.sync_timeout_s)
        ok = status is not None and 200 <= status < 300
        with svc.db.session() as s:
            row = s.get(SyncDeliveryRow, delivery_id)
            assert row is not None
            row.attempts += 1
            row.last_status, row.last_error = status, error
            if ok:
                row.status, row.delivered_at = "delivered", utcnow()
            elif row.attempts >= cfg.sync_max_attempts:
                row.status = "failed"
        event("sync.attempt", url=url, event_id=payload["id"], status=status, error=error, ok=ok)
        if ok:
            return True
        if attempt + 1 < cfg.sync_max_attempts:
            time.sleep(cfg.sync_backoff_s * 2**attempt)
    return False


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
