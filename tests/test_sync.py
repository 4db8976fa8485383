"""Outbound sync: signed events reach a real local HTTP receiver that checks the signature."""
from __future__ import annotations

import threading

import pytest
from servers import Receiver
from sqlalchemy import select

from pipelines.account_state import Provenance
from pipelines.update import AccountUpdate, Change
from worker.db import Database
from worker.db.models import SyncDeliveryRow
from worker.jobs import Services
from worker.settings import Settings
from worker.storage import LocalStorage
from worker.sync import deliver_pending, notify_revision, revision_events, sign, verify

SECRET = "s3cret-for-tests"


@pytest.fixture
def receiver():
    servers: list[Receiver] = []

    def start(fail_first: int = 0) -> Receiver:
        srv = Receiver(SECRET, fail_first)
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


def test_revision_and_advocacy_events_are_delivered_signed(tmp_path, receiver):
    a, b = receiver(), receiver(fail_first=2)
    svc = services(tmp_path, [a.url, b.url])
    notify_revision(svc, "acct-1", 4, diff(advocacy=True))
    for srv in (a, b):
        assert [e["type"] for e in srv.accepted] == ["account.revision", "account.advocacy"]
        assert srv.accepted[0]["revision"] == 4 and srv.accepted[1]["flag"] is True
        assert srv.accepted[0]["changes"][0]["source"]["quote"] == "we'd love to be a reference"
    assert b.calls == 4  # two refusals, then both events
    with svc.db.session() as s:
        rows = s.scalars(select(SyncDeliveryRow).order_by(SyncDeliveryRow.id)).all()
        assert {(r.status, r.url) for r in rows} == {("delivered", a.url), ("delivered", b.url)}
        assert max(r.attempts for r in rows if r.url == b.url) == 3
    notify_revision(svc, "acct-1", 4, diff(advocacy=True))  # a re-run job: nothing sent twice
    assert len(a.accepted) == 2


def test_wrong_secret_is_refused_and_logged_failed(tmp_path, receiver):
    srv = receiver()
    svc = services(tmp_path, [srv.url], secret="not-the-shared-secret")
    notify_revision(svc, "acct-1", 1, diff(advocacy=False))
    assert srv.accepted == [] and srv.rejected == 4
    with svc.db.session() as s:
        row = s.scalars(select(SyncDeliveryRow)).one()
        assert (row.status, row.attempts, row.last_status) == ("failed", 4, 401)


def test_unreachable_url_stays_in_the_log_and_is_retried_later(tmp_path, receiver):
    from servers import free_port

    dead = f"http://127.0.0.1:{free_port()}/hook"
    svc = services(tmp_path, [dead])
    svc.settings.sync_max_attempts = 2
    notify_revision(svc, "acct-1", 2, diff(advocacy=False))
    with svc.db.session() as s:
        row = s.scalars(select(SyncDeliveryRow)).one()
        assert row.status == "failed" and row.last_status is None and row.last_error
        row.status, row.attempts, row.url = "pending", 0, receiver().url  # the CRM comes back
    assert deliver_pending(svc) == 1


def test_events_only_for_advocacy_when_it_changes():
    assert [e["type"] for e in revision_events("a", 1, diff(advocacy=False))] == ["account.revision"]
    ids = [e["id"] for e in revision_events("a", 1, diff(advocacy=True))]
    assert len(set(ids)) == 2
