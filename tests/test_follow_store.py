"""The follow-through store on SQLite and on the local PostgreSQL: commitments, worksheet proposals,
advocacy asks and the meeting list the brief reads, from a meeting applied through the repository."""

from __future__ import annotations

from datetime import date

import pytest
from servers import postgres_schema_url

from pipelines.account import Account, Goal, Stakeholder
from pipelines.account_state import AccountState
from pipelines.highlight import AdvocacyFlag, Analysis, Highlight
from worker.db import Database, follow, repo
from worker.settings import default

HELD = date(2026, 3, 3)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'aw.db'}")
        yield database
        database.dispose()
        return
    gen = postgres_schema_url()
    database = Database(next(gen))
    yield database
    database.dispose()
    next(gen, None)


def _analysis(meeting_id: str) -> Analysis:
    def h(kind_: str, evidence: str, turn: int, **attrs: object) -> Highlight:
        return Highlight(
            category=kind_,
            evidence=evidence,
            speaker="Ines Moreau",
            start=10.0 * turn,  # type: ignore[arg-type]
            turns=[turn],
            confidence=0.8,
            extractor="test.v1",
            attributes=dict(attrs),
        )

    hs = [
        h(
            "next_step",
            "I'll send the kiln data by Friday",
            3,
            action="Send the kiln data",
            owner="Ines Moreau",
            due="by Friday",
        ),
        h(
            "risk",
            "the board wants a cheaper tool",
            5,
            category="pricing",
            severity="high",
            summary="Board wants a cheaper tool",
        ),
        h(
            "goal_shift",
            "defects matter less than throughput now",
            7,
            kind="changed",
            previous_goal_id="g1",
            goal="Double kiln throughput",
        ),
        h("advocacy_signal", "happy to be a reference", 9, kind="reference"),
    ]
    return Analysis(
        meeting_id=meeting_id,
        highlights=hs,
        advocacy=AdvocacyFlag(flag=True, confidence=0.9, evidence=[hs[3].id], reason="reference"),
    )


def test_a_meetings_follow_through_is_stored_once_and_reviewed(db: Database):
    state = AccountState.from_account(
        Account(
            account_id="acct-kiln",
            name="Kiln",
            goals=[Goal(id="g1", text="Halve glaze defects")],
            stakeholders=[Stakeholder(name="Ines Moreau", role="executive_sponsor")],
        )
    )
    questions = default("worksheet_questions")
    with db.session() as s:
        repo.import_account(s, state)
        repo.create_meeting(s, "acct-kiln", meeting_id="m1", meeting_date=HELD, status="done")
        repo.apply_meeting(s, "acct-kiln", _analysis("m1"))
        repo.save_highlights(s, "m1", _analysis("m1"))
        assert follow.record_meeting(s, "m1", questions) == (1, 4)
        assert follow.record_meeting(s, "m1", questions) == (0, 0)
    with db.session() as s:
        (c,) = follow.commitments(s, "acct-kiln")
        assert (c.action, c.owner, c.due_text, c.due_date) == (
            "Send the kiln data",
            "Ines Moreau",
            "by Friday",
            date(2026, 3, 6),
        )
        assert c.source and c.source.meeting_id == "m1" and c.source.start == 30.0
        assert follow.mark_done(s, c.id, date(2026, 3, 5)).status_on(date(2026, 4, 1)) == "done"
        props = {p.question_key: p for p in follow.proposals(s, "acct-kiln")}
        assert set(props) == {"success", "changed", "obstacles", "next"}
        assert (
            props["success"].answer == "Double kiln throughput (changed)" and props["success"].held_on == HELD
        )
        follow.review_proposal(s, props["obstacles"].id, "edited", "Price, per the board")
        (m,) = follow.meetings(s, "acct-kiln")
        assert (m.id, m.held_on, m.highlights, m.reviewed) == ("m1", HELD, 4, 0)
        assert follow.signal_kinds(s, "acct-kiln") == {_analysis("m1").highlights[3].id: "reference"}
        follow.record_ask(s, "acct-kiln", "reference", "accepted", date(2026, 3, 9))
        with pytest.raises(ValueError):
            follow.record_ask(s, "acct-kiln", "billboard", "made", date(2026, 3, 9))
        with pytest.raises(repo.NotFoundError):
            follow.mark_done(s, "k_nope", HELD)
    with db.session() as s:
        edited = next(p for p in follow.proposals(s, "acct-kiln") if p.question_key == "obstacles")
        assert (edited.status, edited.text) == ("edited", "Price, per the board")
        assert [(a.kind, a.outcome) for a in follow.asks(s, "acct-kiln")] == [("reference", "accepted")]
        assert follow.commitments(s, "acct-kiln")[0].status == "done"
