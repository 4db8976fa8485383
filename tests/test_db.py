"""The account store on SQLite and on the local PostgreSQL (a fresh schema per run, dropped after)."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from servers import postgres_schema_url

from pipelines.account import Account, Goal, Stakeholder
from pipelines.account_state import AccountState
from pipelines.errors import TransientError
from pipelines.highlight import AdvocacyFlag, Analysis, Highlight
from worker.db import Database, repo
from worker.db.models import RevisionRow


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'aw.db'}")
        yield database
        database.dispose()
        return
    gen = postgres_schema_url()
    url = next(gen)
    database = Database(url)
    yield database
    database.dispose()
    next(gen, None)


def _state() -> AccountState:
    return AccountState.from_account(Account(
        account_id="acct-kiln", name="Kiln Ceramics",
        goals=[Goal(id="g1", text="Halve glaze defects", status="on_track")],
        stakeholders=[Stakeholder(name="Ines Moreau", title="COO", role="executive_sponsor")]))


def _analysis(meeting_id: str) -> Analysis:
    hs = [Highlight(category="risk", evidence="the board wants a cheaper tool", speaker="Ines Moreau",
                    start=12.5, end=15.0, turns=[4], confidence=0.7, extractor="test.risk.v1",
                    attributes={"category": "pricing", "severity": "high", "summary": "Board wants cheaper"}),
          Highlight(category="advocacy_signal", evidence="we'd happily do a case study",
                    speaker="Ines Moreau",
                    start=40.0, end=43.0, turns=[9], confidence=0.9, extractor="test.adv.v1")]
    return Analysis(meeting_id=meeting_id, highlights=hs,
                    advocacy=AdvocacyFlag(flag=True, confidence=0.9, evidence=[hs[1].id],
                                          reason="case study"))


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from worker.db.engine import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()  # type: ignore[return-value]


def test_migrations_run_and_rerun(db: Database):
    with db.engine.connect() as c:
        assert c.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == _head()
    again = Database(db.url)  # upgrade head on start is a no-op the second time
    again.dispose()
    names = set(sa.inspect(db.engine).get_table_names())
    assert {"accounts", "account_revisions", "meetings", "highlights", "sync_deliveries"} <= names


def test_meeting_revision_with_provenance_once(db: Database):
    with db.session() as s:
        assert repo.import_account(s, _state()).number == 1
        repo.create_meeting(s, "acct-kiln", meeting_id="m-1", filename="call.flac")
    analysis = _analysis("m-1")
    with db.session() as s:
        rev, diff = repo.apply_meeting(s, "acct-kiln", analysis)
        assert rev is not None and rev.number == 2 and rev.meeting_id == "m-1"
        assert repo.save_highlights(s, "m-1", analysis) == 2
    with db.session() as s:  # the same meeting again: nothing new
        rev2, diff2 = repo.apply_meeting(s, "acct-kiln", analysis)
        assert rev2.number == 2 and diff2 == diff
        assert repo.save_highlights(s, "m-1", analysis) == 0
        state, number = repo.account_state(s, "acct-kiln")
    assert number == 2
    risk = state.risks[0]
    assert (risk.source.meeting_id, risk.source.speaker, risk.source.start) == ("m-1", "Ines Moreau", 12.5)
    assert risk.source.quote == "the board wants a cheaper tool"
    assert state.advocacy.flag


def test_reject_highlight_makes_a_new_revision_and_keeps_history(db: Database):
    analysis = _analysis("m-2")
    with db.session() as s:
        repo.import_account(s, _state())
        repo.create_meeting(s, "acct-kiln", meeting_id="m-2")
        repo.apply_meeting(s, "acct-kiln", analysis)
        repo.save_highlights(s, "m-2", analysis)
    with db.session() as s:
        rev = repo.review_highlight(s, "m-2", analysis.highlights[0].id, "rejected")
        assert rev is not None and rev.number == 3 and rev.kind == "review"
        assert repo.review_highlight(s, "m-2", analysis.highlights[0].id, "rejected") is None
        repo.review_highlight(s, "m-2", analysis.highlights[1].id, "accepted")
    with db.session() as s:
        revs = repo.history(s, "acct-kiln")
        assert [r.kind for r in revs] == ["import", "meeting", "review"]
        assert len(revs[1].state["risks"]) == 1 and revs[2].state["risks"] == []
        assert repo.account_state(s, "acct-kiln", 2)[0].risks  # older revision unchanged
        assert [h.review_status for h in repo.highlights(s, "m-2")] == ["rejected", "accepted"]
        with pytest.raises(ValueError):
            repo.review_highlight(s, "m-2", analysis.highlights[0].id, "maybe")


def test_concurrent_apply_of_one_meeting_makes_one_revision(db: Database):
    with db.session() as s:
        repo.import_account(s, _state())
        repo.create_meeting(s, "acct-kiln", meeting_id="m-3")
    numbers: list[int] = []
    errors: list[Exception] = []

    def apply() -> None:
        for _ in range(20):  # only a transient error is retried, as the job's retry policy does
            try:
                with db.session() as s:
                    rev, _ = repo.apply_meeting(s, "acct-kiln", _analysis("m-3"))
                    numbers.append(rev.number)
                return
            except TransientError:
                continue
            except Exception as e:  # noqa: BLE001 - e.g. IntegrityError: the job would fail the meeting
                errors.append(e)
                return
        errors.append(RuntimeError("gave up"))

    threads = [threading.Thread(target=apply) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and numbers == [2, 2, 2, 2]
    with db.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(RevisionRow)
                        .where(RevisionRow.meeting_id == "m-3")) == 1


def test_unknown_ids_have_readable_errors(db: Database):
    with db.session() as s, pytest.raises(repo.NotFoundError, match="account import"):
        repo.create_meeting(s, "nope")
    with db.session() as s, pytest.raises(repo.NotFoundError, match="'m-x' not found"):
        repo.get_meeting(s, "m-x")


def test_database_down_is_transient(tmp_path):
    from servers import free_port

    with pytest.raises(TransientError, match="database unavailable"):
        Database(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nope")
