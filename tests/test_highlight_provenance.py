"""A stored highlight keeps what produced it: extractor name and version, heads id, features version."""
from __future__ import annotations

from pipelines.account import Account
from pipelines.account_state import AccountState
from pipelines.highlight import Analysis, Highlight
from worker.db import Database, repo


def test_stored_highlights_record_extractor_heads_and_features(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'aw.db'}")
    h = Highlight.model_validate({
        "id": "h_1", "category": "risk", "evidence": "We might not renew.", "speaker": "Ana",
        "side": "customer", "turns": [3], "confidence": 0.8, "extractor": "aw.risk.v2",
        "heads": "heads-abc123", "features": "v4", "attributes": {"category": "renewal", "severity": "high"}})
    with db.session() as s:
        repo.import_account(s, AccountState.from_account(Account(account_id="a", name="A")))
        repo.create_meeting(s, "a", meeting_id="m1")
        repo.save_highlights(s, "m1", Analysis(meeting_id="m1", highlights=[h]))
    with db.session() as s:
        row = repo.highlights(s, "m1")[0]
        assert (row.extractor, row.heads, row.features) == ("aw.risk.v2", "heads-abc123", "v4")
        assert row.attributes["severity"] == "high"
    db.dispose()
