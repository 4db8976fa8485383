"""repo.edit_highlight: an edited highlight's change is made again with the new attributes, as one
new revision; editing a rejected highlight is refused; a no-op edit makes no revision."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.highlight import Analysis, Highlight
from worker.commands.common import load_account_file
from worker.db import Database, repo

SAMPLES = Path(__file__).parents[1] / "samples"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'h.db'}")


def applied(db: Database, *highlights: Highlight) -> str:
    state = load_account_file(SAMPLES / "demo-account.json")
    with db.session() as s:
        repo.import_account(s, state)
        repo.create_meeting(s, state.account_id, meeting_id="m1")
        repo.apply_meeting(s, state.account_id, Analysis(meeting_id="m1", highlights=list(highlights)))
        repo.save_highlights(s, "m1", Analysis(meeting_id="m1", highlights=list(highlights)))
    return state.account_id


def highlight(category: str, evidence: str, **attributes: str) -> Highlight:
    return Highlight(category=category, evidence=evidence, speaker="Helen Park", side="customer", start=1.0,
                     end=2.0, turns=[1], confidence=0.9, extractor="test.v1", attributes=attributes)


def test_an_edit_remakes_the_change_with_the_new_attributes(db: Database):
    quote = highlight("value_quote", "Booking online saved our front desk hours every week.",
                      value_type="time_saved")
    step = highlight("next_step", "We will send the rollout plan by Friday.", action="send the rollout plan")
    account = applied(db, quote, step)
    with db.session() as s:
        edit = {"quote": "saved our front desk hours", "metric": "hours"}
        rev = repo.edit_highlight(s, "m1", quote.id, edit)
        assert rev is not None and rev.kind == "review" and "edited" in (rev.reason or "")
        state, number = repo.account_state(s, account)
        assert number == rev.number == 3
        (item,) = [q for q in state.value_quotes if q.source and q.source.highlight_id == quote.id]
        assert (item.quote, item.metric, item.value_type) == (
            "saved our front desk hours", "hours", "time_saved")
        assert [n.action for n in state.next_steps] == ["send the rollout plan"], "other changes stay"
        assert repo.get_highlight(s, "m1", quote.id).review_status == "edited"
    with db.session() as s:
        assert repo.edit_highlight(s, "m1", quote.id, {"metric": "hours"}) is None, "nothing differs"
        assert repo.account_state(s, account)[1] == 3


def test_a_rejected_highlight_cannot_be_edited(db: Database):
    step = highlight("next_step", "We will send the rollout plan by Friday.", action="send the rollout plan")
    applied(db, step)
    with db.session() as s:
        assert repo.review_highlight(s, "m1", step.id, "rejected") is not None
    with db.session() as s, pytest.raises(repo.RejectedError):
        repo.edit_highlight(s, "m1", step.id, {"owner": "vendor"})
    with db.session() as s, pytest.raises(repo.NotFoundError):
        repo.edit_highlight(s, "m1", "h_missing", {"owner": "vendor"})


def test_an_edit_with_values_the_category_does_not_take_is_refused(db: Database):
    risk = Highlight(category="risk", evidence="Legal may block the renewal over data residency.",
                     speaker="Helen Park", side="customer", turns=[1], confidence=0.9, extractor="test.v1",
                     attributes={"category": "security_compliance", "severity": "high"})
    applied(db, risk)
    with db.session() as s, pytest.raises(repo.InvalidEditError, match="severity"):
        repo.edit_highlight(s, "m1", risk.id, {"severity": "catastrophic"})
    with db.session() as s:
        assert repo.get_highlight(s, "m1", risk.id).attributes["severity"] == "high"
