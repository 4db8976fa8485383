"""Outbound sync: signed events reach a real local HTTP receiver that checks the signature."""
from __future__ import annotations

import threading
import time

import pytest
from servers import Receiver
from sqlalchemy import select

from pipelines.account_state import Provenance
from pipelines.update import AccountUpdate, Change
from worker.db import Database
from worker.db.models import SyncDeliveryRow
from worker.services import Services
from worker.settings import Settings
from worker.storage import LocalStorage
from worker.sync import (
    deliver_now,
    deliver_pending,
    event_id,
    notify_revision,
    record_revision,
    revision_events,
    sign,
    verify,
)

SECRET = "s3cret-for-tests"


@pytest.fixture
def receiver():
    servers: list[Receiver] = []

    def start(fail_first: int = 0, port: int = 0) -> Receiver:
        srv = Receiver(SECRET, fail_first, port)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def services(tmp_path, urls: list[str], secret: str = SECRET) -> Services:
    settings = Settings(data_dir=tmp_path, sync_urls=urls, sync_secret=secret, sync_backoff_s=0.05,
                        sync_max_attempts=4, sync_timeout_s=5)
    return Services(settings=settings, storage=LocalStorage(tmp_path / "o"),
                    db=Database(f"sqlite:///{tmp_path / 'db.sqlite'}"))


def diff(advocacy: bool) -> AccountUpdate:
    prov = Provenance(meeting_id="m-9", highlight_id="h_1", quote="we'd love to be a reference",
                      speaker="Ana", start=61.0)
    changes = [Change(id="c1", kind="risk_opened", collection="risks", key="r-1", after={"id": "r-1"},
                      source=prov, summary="risk")]
    if advocacy:
        changes.append(Change(id="c2", kind="advocacy_flag", collection="advocacy", before={"flag": False},
                              after={"flag": True}, source=prov, summary="advocacy flag raised"))
    return AccountUpdate(account_id="acct-1", meeting_id="m-9", changes=changes)


def test_signature_helpers():
    body = b'{"a": 1}'
    sig = sign(SECRET, "1700000000", body)
    assert verify(SECRET, "1700000000", body, sig, now=1700000100)
    assert not verify(SECRET, "1700000000", body + b" ", sig, now=1700000100)
    assert not verify("other", "1700000000", body, sig, now=1700000100)
    assert not verify(SECRET, "1700000000", body, sig, now=1700009999)  # replayed too late


def record(svc: Services, number: int, advocacy: bool, account_id: str = "acct-1") -> None:
    with svc.db.session() as s:
        record_revision(s, svc.settings, account_id, number, diff(advocacy))


def rows(svc: Services) -> list[SyncDeliveryRow]:
    with svc.db.session() as s:
        return list(s.scalars(select(SyncDeliveryRow).order_by(SyncDeliveryRow.id)))


def deliver_until_settled(svc: Services, rounds: int = 40) -> None:
    """What a worker's delivery loop does: pass after pass, each taking the deliveries that are due."""
    for _ in range(rounds):
        deliver_pending(svc)
        if all(r.status != "pending" for r in rows(svc)):
            return
        time.sleep(svc.settings.sync_backoff_s)


def test_revision_and_advocacy_events_are_delivered_signed(tmp_path, receiver):
    a, b = receiver(), receiver(fail_first=2)
    svc = services(tmp_path, [a.url, b.url])
    record(svc, 4, advocacy=True)
    assert sum(srv.calls for srv in (a, b)) == 0, "recording sends nothing: delivery is after commit"
    deliver_until_settled(svc)
    for srv in (a, b):
        assert [e["type"] for e in srv.accepted] == ["account.revision", "account.advocacy"]
        assert srv.accepted[0]["revision"] == 4 and srv.accepted[1]["flag"] is True
        assert srv.accepted[0]["changes"][0]["source"]["quote"] == "we'd love to be a reference"
    assert b.calls == 4  # two refusals, then both events
    assert {(r.status, r.url) for r in rows(svc)} == {("delivered", a.url), ("delivered", b.url)}
    assert max(r.attempts for r in rows(svc) if r.url == b.url) == 2
    record(svc, 4, advocacy=True)  # a re-run job: nothing recorded or sent twice
    deliver_until_settled(svc)
    assert len(rows(svc)) == 4 and len(a.accepted) == 2


def test_event_ids_are_fixed_length_for_long_account_ids(tmp_path, receiver):
    srv = receiver()
    long_id = "acct-" + "x" * 190  # the accounts table allows 200 characters
    svc = services(tmp_path, [srv.url])
    record(svc, 12345, advocacy=True, account_id=long_id)
    ids = [e["id"] for e in revision_events(long_id, 12345, diff(advocacy=True))]
    assert all(len(i) == len(event_id("")) == 36 and i.startswith("evt_") for i in ids)
    assert [r.event_key for r in rows(svc)] == [f"{long_id}|12345|revision", f"{long_id}|12345|advocacy"]
    deliver_until_settled(svc)
    assert [e["id"] for e in srv.accepted] == ids


def test_wrong_secret_is_refused_and_logged_failed(tmp_path, receiver):
    srv = receiver()
    svc = services(tmp_path, [srv.url], secret="not-the-shared-secret")
    record(svc, 1, advocacy=False)
    deliver_until_settled(svc)
    assert srv.accepted == [] and srv.rejected == 4
    (row,) = rows(svc)
    assert (row.status, row.attempts, row.last_status) == ("failed", 4, 401)


def test_unreachable_url_stays_pending_and_is_retried_later(tmp_path, receiver):
    from servers import free_port

    port = free_port()
    svc = services(tmp_path, [f"http://127.0.0.1:{port}/hook"])
    svc.settings.sync_backoff_s = 0.5
    notify_revision(svc, "acct-1", 2, diff(advocacy=False))  # records, one quick try: nobody listens
    (row,) = rows(svc)
    assert (row.status, row.attempts, row.last_status) == ("pending", 1, None) and row.last_error
    assert deliver_pending(svc) == 0 and rows(svc)[0].attempts == 1, "not due before its backoff"
    crm = receiver(port=port)  # the CRM comes back on its URL
    deliver_until_settled(svc)
    (row,) = rows(svc)
    assert (row.status, row.attempts) == ("delivered", 2) and len(crm.accepted) == 1


def test_a_slow_crm_does_not_hold_the_job(tmp_path, receiver):
    srv = receiver()
    svc = services(tmp_path, [srv.url])
    record(svc, 3, advocacy=False)
    srv.shutdown()  # accepts the connection (listening socket still open) but never answers
    assert deliver_now(svc, "acct-1", timeout_s=0.3) == 0
    (row,) = rows(svc)
    assert row.status == "pending" and row.attempts == 1 and "timed out" in (row.last_error or "")


def test_two_workers_never_post_one_delivery_twice(tmp_path, receiver):
    srv = receiver()
    svc = services(tmp_path, [srv.url])
    record(svc, 5, advocacy=True)
    threads = [threading.Thread(target=deliver_pending, args=(svc,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert srv.calls == 2 and all(r.status == "delivered" for r in rows(svc))


def test_recording_on_postgresql_is_once_even_when_racing(tmp_path):
    from servers import postgres_schema_url

    schema = postgres_schema_url()
    db = Database(next(schema))
    try:
        settings = Settings(data_dir=tmp_path, sync_urls=["http://127.0.0.1:9/hook"], sync_secret=SECRET)
        svc = Services(settings=settings, storage=LocalStorage(tmp_path / "o"), db=db)
        long_id = "acct-" + "y" * 190
        errors: list[Exception] = []

        def racing_job() -> None:
            try:
                record(svc, 7, True, long_id)
            except Exception as e:  # noqa: BLE001 - an IntegrityError here is the bug this guards
                errors.append(e)

        threads = [threading.Thread(target=racing_job) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [] and sorted(len(r.event_id) for r in rows(svc)) == [36, 36]
    finally:
        db.dispose()
        next(schema, None)


def test_events_only_for_advocacy_when_it_changes():
    assert [e["type"] for e in revision_events("a", 1, diff(advocacy=False))] == ["account.revision"]
    ids = [e["id"] for e in revision_events("a", 1, diff(advocacy=True))]
    assert len(set(ids)) == 2
