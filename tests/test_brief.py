"""Brief, recap, commitments, worksheet, advocacy ask and portfolio over an account built through
three real processed meetings (a corpus meeting's account, its conversation imported as three
dated transcripts through the real job), checked against what those meetings put on the record."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.brief_layout import to_document
from pipelines.commitments import ORDER
from pipelines.document_render import to_html, to_markdown
from pipelines.duedates import parse_due
from worker import followthrough
from worker.cli import app
from worker.commands.common import load_account_file
from worker.db import Database, follow, repo
from worker.intake import new_meeting
from worker.local_queue import InProcessQueue
from worker.services import Services
from worker.settings import Settings, get_settings
from worker.storage import LocalStorage

CORPUS = Path(__file__).parents[2] / "shared" / "eval" / "meetings"
SOURCE = CORPUS / "dev-001.json"
QUIET = CORPUS / "dev-007.json"  # another account, never met: a brief with no meetings
DATES = (date(2026, 10, 13), date(2026, 10, 27), date(2026, 11, 10))
TODAY = date(2026, 11, 24)

pytestmark = pytest.mark.slow


def _services(root: Path) -> Services:
    settings = Settings(data_dir=root, job_retries=0, job_retry_backoff_s=[0])
    return Services(
        settings=settings, storage=LocalStorage(root / "objects"), db=Database(settings.resolved_database_url)
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """Import the account, then three dated thirds of its meeting as transcripts, in date order."""
    if not SOURCE.is_file():
        pytest.skip(f"{SOURCE} not found (the shared eval corpus)")
    root = tmp_path_factory.mktemp("brief")
    svc = _services(root)
    meeting = json.loads(SOURCE.read_text())
    with svc.db.session() as s:
        repo.import_account(s, load_account_file(SOURCE))
        repo.import_account(s, load_account_file(QUIET))
    turns = meeting["utterances"]
    cuts = [0, len(turns) // 3, 2 * len(turns) // 3, len(turns)]
    queue, ids = InProcessQueue(svc, sleep=False), []
    for k, held in enumerate(DATES):
        part = dict(
            meeting,
            meeting_date=held.isoformat(),
            gold={},
            utterances=[dict(t, i=j) for j, t in enumerate(turns[cuts[k] : cuts[k + 1]])],
        )
        path = root / f"part-{k}.json"
        path.write_text(json.dumps(part))
        mid = new_meeting(svc, meeting["account"]["account_id"], path)
        queue.enqueue_meeting(mid)
        ids.append(mid)
    return {
        "svc": svc,
        "root": root,
        "ids": ids,
        "account": meeting["account"],
        "segment": meeting["segment"],
    }


def _brief(built: dict, today: date = TODAY):
    svc = built["svc"]
    with svc.db.session() as s:
        return followthrough.brief(s, built["account"]["account_id"], today, svc.settings)


def _highlights(built: dict, k: int, category: str) -> list:
    with built["svc"].db.session() as s:
        rows = repo.highlights(s, built["ids"][k])
        s.expunge_all()
    return [r for r in rows if r.category == category]


def test_meetings_are_dated_from_their_transcripts_and_in_order(built):
    b = _brief(built)
    assert [m.id for m in b.meetings] == built["ids"]
    assert [m.held_on for m in b.meetings] == list(DATES)
    assert b.segment == built["segment"] == "high_touch"
    assert b.owner == next(m["name"] for m in built["account"]["vendor_team"] if "Success" in m["title"])


def test_why_they_bought_is_the_imported_goals_and_goals_carry_status_and_evidence(built):
    b = _brief(built)
    assert [i.text for i in b.why_they_bought] == [g["text"] for g in built["account"]["goals"]]
    with built["svc"].db.session() as s:
        state, _ = repo.account_state(s, built["account"]["account_id"])
    assert [(g.goal_id, g.status) for g in b.goals] == [
        (g.id, g.status) for g in sorted(state.goals, key=lambda g: g.priority or 99)
    ]
    shifted = {h.highlight_id for k in range(3) for h in _highlights(built, k, "goal_shift")}
    for g in b.goals:  # a goal a meeting changed cites that meeting's highlight
        assert all(e.highlight_id in shifted and e.held_on in DATES for e in g.evidence)
    assert any(g.evidence for g in b.goals), "the meetings shift at least one goal"


def test_what_changed_is_the_last_meetings_goal_and_stakeholder_changes(built):
    b = _brief(built)
    last = {h.highlight_id for c in ("goal_shift", "stakeholder_change") for h in _highlights(built, 2, c)}
    assert b.changes, "the last third has stakeholder changes"
    assert {e.highlight_id for c in b.changes for e in c.evidence} == last
    assert all(c.held_on == DATES[2] and c.evidence[0].meeting_id == built["ids"][2] for c in b.changes)


def test_open_risks_by_severity_with_owner_or_a_question(built):
    b = _brief(built)
    risks = {h.highlight_id: h for k in range(3) for h in _highlights(built, k, "risk")}
    assert {r.evidence[0].highlight_id for r in b.risks} == set(risks)
    order = {"high": 0, "medium": 1, "low": 2}
    assert [order[r.status] for r in b.risks] == sorted(order[r.status] for r in b.risks)
    for r in b.risks:
        assert r.status == risks[r.evidence[0].highlight_id].attributes["severity"]
        asked = [d for d in b.discussion if d.kind == "risk without owner" and d.evidence == r.evidence]
        assert bool(asked) == (r.owner is None)


def test_value_quotes_are_the_customers_words_with_their_second_and_goal(built):
    b = _brief(built)
    quotes = {h.highlight_id: h for k in range(3) for h in _highlights(built, k, "value_quote")}
    assert {q.evidence[0].highlight_id for q in b.value_quotes} == set(quotes)
    turns = " ".join(t["text"] for t in json.loads(SOURCE.read_text())["utterances"])
    for q in b.value_quotes:
        assert q.quote and q.quote in turns, "a quote is the customer's own words, verbatim"
        tied = [g for g in b.goals if g.goal_id == q.goal_id]
        assert (q.goal_id is None) or (tied and q.evidence[0] in tied[0].progress)


def test_commitments_are_the_next_steps_with_dates_read_from_the_meeting_date(built):
    b = _brief(built)
    steps = {h.highlight_id: (k, h) for k in range(3) for h in _highlights(built, k, "next_step")}
    assert {c.highlight_id for c in b.commitments} == set(steps)
    for c in b.commitments:
        k, h = steps[c.highlight_id]
        assert (c.action, c.owner, c.due_text) == (
            h.attributes["action"],
            h.attributes["owner"],
            h.attributes["due"],
        )
        assert c.due_date == parse_due(h.attributes["due"], DATES[k])
        assert c.now == ("missed" if c.due_date and c.due_date < TODAY else "open")
    assert [ORDER[c.now] for c in b.commitments] == sorted(ORDER[c.now] for c in b.commitments)
    assert any(c.now == "missed" for c in b.commitments) and any(c.due_date is None for c in b.commitments)


def test_renewal_expansion_and_discussion_points_come_from_the_record(built):
    b = _brief(built)
    renewal = date.fromisoformat(built["account"]["renewal_date"])
    assert (b.renewal_date, b.days_to_renewal) == (renewal, (renewal - TODAY).days)
    expansion = {h.highlight_id for k in range(3) for h in _highlights(built, k, "expansion_signal")}
    assert {x.evidence[0].highlight_id for x in b.expansion} == expansion and expansion
    goal_ids = {g.goal_id for g in b.goals}
    assert all(x.goal_id in goal_ids or x.goal == "not yet tied to a goal" for x in b.expansion)
    gaps = {
        "missed commitment",
        "goal without progress",
        "goal at risk",
        "risk without owner",
        "departed executive sponsor",
        "departed champion",
        "no executive sponsor",
        "no champion",
        "renewal with open risks",
    }
    assert b.discussion and {d.kind for d in b.discussion} <= gaps
    missed = [c for c in b.commitments if c.now == "missed"]
    assert len([d for d in b.discussion if d.kind == "missed commitment"]) == len(missed)


def test_high_touch_brief_is_a_deck_outline_in_markdown_html_and_json(built):
    b = _brief(built)
    doc = to_document(b)
    titles = [s.title for s in doc.sections]
    assert titles[:7] == [
        "1. Purpose",
        "2. Success definition",
        "3. Progress story",
        "4. What changed",
        "5. Interpretation",
        "6. Next value block",
        "7. Asks",
    ]
    md = followthrough.brief_text(b, "md")
    for q in b.value_quotes:
        assert f'"{q.quote}"' in md and q.evidence[0].highlight_id in md
    html = followthrough.brief_text(b, "html")
    assert html.startswith("<!doctype html>") and "@media print" in html and "<script" not in html
    data = json.loads(followthrough.brief_text(b, "json"))
    assert data["account_id"] == built["account"]["account_id"] and len(data["commitments"]) == len(
        b.commitments
    )


def test_worksheet_proposals_are_reviewed_and_the_brief_shows_the_moves(built):
    svc, account_id = built["svc"], built["account"]["account_id"]
    with svc.db.session() as s:
        props = follow.proposals(s, account_id)
    assert {p.meeting_id for p in props} <= set(built["ids"]) and all(p.status == "pending" for p in props)
    changed = [p for p in props if p.question_key == "changed"]
    assert changed and all(p.sources for p in changed)
    with svc.db.session() as s:
        follow.review_proposal(s, changed[0].id, "accepted")
        follow.review_proposal(s, changed[-1].id, "edited", "Their unit supervisor retired; a new champion")
    trail = next(t for t in _brief(built).worksheet if t.key == "changed")
    assert trail.kickoff is None and [m.id for m in trail.moves] == [changed[0].id, changed[-1].id]
    assert trail.current == "Their unit supervisor retired; a new champion"
    why = next(t for t in _brief(built).worksheet if t.key == "why_bought")
    assert why.kickoff == why.current and built["account"]["goals"][0]["text"] in why.kickoff
    with svc.db.session() as s, pytest.raises(ValueError):
        follow.review_proposal(s, changed[0].id, "edited", " ")


def test_recap_holds_only_reviewed_highlights_and_says_when_unreviewed(built):
    svc, first, last = built["svc"], built["ids"][0], built["ids"][2]
    with svc.db.session() as s:
        unreviewed = followthrough.recap(s, first)
    assert unreviewed.included == 0 and "not been reviewed" in (unreviewed.document.notice or "")
    assert all(not sec.lines for sec in unreviewed.document.sections[:4])
    rows = {c: _highlights(built, 2, c) for c in ("value_quote", "next_step", "risk", "stakeholder_change")}
    dropped = rows["value_quote"][0]
    with svc.db.session() as s:
        for hs in rows.values():
            for h in hs:
                repo.review_highlight(s, last, h.highlight_id, "rejected" if h is dropped else "accepted")
    with svc.db.session() as s:
        r = followthrough.recap(s, last)
    md = to_markdown(r.document)
    sponsor = next(p["name"] for p in built["account"]["stakeholders"] if p["role"] == "executive_sponsor")
    assert r.document.subtitle and r.document.subtitle.startswith(f"Hi {sponsor.split()[0]},")
    assert dropped.highlight_id not in md and r.rejected == 1
    for h in rows["value_quote"][1:] + rows["stakeholder_change"] + rows["risk"]:
        assert h.highlight_id in md
    steps = r.document.sections[3].lines
    assert len(steps) == len(rows["next_step"])
    for h, line in zip(rows["next_step"], steps, strict=True):
        due = parse_due(h.attributes["due"], DATES[2])
        assert h.attributes["action"] in line.text and (h.attributes["owner"] or "not named") in line.text
        assert (f"by {due}" in line.text) if due else ("no date agreed" in line.text or '"' in line.text)
    assert [x.text for x in r.document.sections[4].lines] == [
        g.text for g in _brief(built).goals if g.status != "dropped"
    ]
    assert r.pending == sum(1 for h in _highlights_all(built, 2) if h.review_status == "pending")
    # the rejected quote also leaves the brief
    assert dropped.highlight_id not in {q.evidence[0].highlight_id for q in _brief(built).value_quotes}


def _highlights_all(built: dict, k: int) -> list:
    with built["svc"].db.session() as s:
        rows = repo.highlights(s, built["ids"][k])
        s.expunge_all()
    return rows


@pytest.fixture
def cli(built, monkeypatch):
    monkeypatch.setenv("AW_DATA_DIR", str(built["root"]))
    for var in ("AW_DATABASE_URL", "AW_STORAGE_URL", "AW_REDIS_URL"):
        monkeypatch.delenv(var, raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_commitments_command_lists_missed_first_and_marks_one_done(built, cli):
    account_id = built["account"]["account_id"]
    out = cli.invoke(app, ["commitments", account_id, "--as-of", TODAY.isoformat()])
    assert out.exit_code == 0, out.output
    states = re.findall(r"^k_\w+\s+(\w+)", out.output, re.M)
    assert states and states == sorted(states, key=ORDER.__getitem__)
    missed = re.search(r"^(k_\w+)\s+missed", out.output, re.M)
    assert missed
    done = cli.invoke(
        app, ["commitments", account_id, "--done", missed.group(1), "--as-of", TODAY.isoformat()]
    )
    assert re.search(rf"^{missed.group(1)}\s+done", done.output, re.M), done.output
    assert next(c for c in _brief(built).commitments if c.id == missed.group(1)).now == "done"
    bad = cli.invoke(app, ["commitments", account_id, "--done", "k_nope"])
    assert bad.exit_code != 0 and "not found" in bad.output


def test_brief_and_recap_commands_print_each_format(built, cli):
    account_id = built["account"]["account_id"]
    md = cli.invoke(app, ["brief", account_id, "--as-of", TODAY.isoformat()])
    assert md.exit_code == 0 and md.output.startswith("# Prep brief:"), md.output
    html = cli.invoke(app, ["brief", account_id, "--format", "html"])
    assert html.output.startswith("<!doctype html>")
    recap = cli.invoke(app, ["recap", built["ids"][1], "--format", "json"])
    assert json.loads(recap.output)["meeting_id"] == built["ids"][1]
    assert cli.invoke(app, ["brief", account_id, "--format", "pdf"]).exit_code != 0
    assert "not found" in cli.invoke(app, ["brief", "acct-nope"]).output


def test_advocacy_ask_quotes_the_customer_and_stays_up_until_recorded_or_expired(built, cli):
    svc, account_id = built["svc"], built["account"]["account_id"]
    a = _brief(built).advocacy
    signals = {h.highlight_id: h for k in range(3) for h in _highlights(built, k, "advocacy_signal")}
    assert a.up and a.evidence and all(e.highlight_id in signals for e in a.evidence)
    assert a.kind in ("reference", "review", "case_study", "referral", "testimonial")
    assert a.evidence[0].quote in (a.draft or "") and a.raised_on in DATES
    assert a.expires_on == a.raised_on + timedelta(days=svc.settings.advocacy_expiry_days)
    assert not _brief(built, a.expires_on + timedelta(days=1)).advocacy.up  # expired
    out = cli.invoke(app, ["advocacy", account_id, "--record", "made", "--as-of", TODAY.isoformat()])
    assert out.exit_code == 0 and "no ask now" in out.output, out.output
    after = _brief(built).advocacy
    assert not after.up and "recorded as made" in after.reason
    with svc.db.session() as s:  # a later ask record is the account's history, not a new flag
        assert [x.outcome for x in follow.asks(s, account_id)] == ["made"]


def test_portfolio_puts_the_met_account_first_with_evidence_and_filters(built, cli):
    svc = built["svc"]
    with svc.db.session() as s:
        rows = followthrough.portfolio(s, TODAY, svc.settings, since_days=60)
    assert [r.account_id for r in rows][0] == built["account"]["account_id"]
    first = rows[0]
    kinds = {sig.kind for sig in first.signals}
    assert {"goal shift", "missed commitment"} <= kinds or "new high risk" in kinds
    assert all(
        sig.evidence
        for sig in first.signals
        if sig.kind in ("goal shift", "new high risk", "missed commitment")
    )
    quiet = next(r for r in rows if r.account_id != first.account_id)
    assert [sig.kind for sig in quiet.signals] == ["no recent meeting"]
    high = [r for r in _brief(built).risks if r.status == "high"]
    missed = [c for c in _brief(built).commitments if c.now == "missed"]
    assert first.reset == (bool(high) and bool(missed)) and quiet.reset is False
    assert first.reasons == (
        [f"{len(high)} high risk(s) open", f"{len(missed)} commitment(s) missed"] if first.reset else []
    )
    with svc.db.session() as s:
        only = followthrough.portfolio(s, TODAY, svc.settings, 60, segment="low_touch")
        owned = followthrough.portfolio(s, TODAY, svc.settings, 60, owner=first.owner)
    assert [r.account_id for r in only] == [quiet.account_id]
    assert first.account_id in [r.account_id for r in owned] and quiet.account_id not in [
        r.account_id for r in owned
    ]
    out = cli.invoke(app, ["portfolio", "--since", "60", "--as-of", TODAY.isoformat()])
    assert out.exit_code == 0 and out.output.index(first.name) < out.output.index(quiet.name)


def test_a_brief_with_no_meetings_says_what_is_missing(built):
    svc = built["svc"]
    quiet = json.loads(QUIET.read_text())
    with svc.db.session() as s:
        b = followthrough.brief(s, quiet["account"]["account_id"], TODAY, svc.settings)
    assert b.meetings == [] and b.segment == "low_touch"
    assert any("no processed meeting" in m for m in b.missing) and any("value quote" in m for m in b.missing)
    doc = to_document(b)
    assert doc.notice and [s.title for s in doc.sections] == ["Checklist", "What the record is missing"]
    assert [d.kind for d in b.discussion if d.kind == "goal without progress"] == [
        "goal without progress"
    ] * len(b.goals)
    md = to_markdown(doc)
    assert all(f"confirm goal: {g['text']}" in md for g in quiet["account"]["goals"])
    assert "- [ ] " in md


def test_html_escapes_everything_from_the_record(built):
    b = _brief(built)
    hostile = b.model_copy(
        update={
            "name": "<script>alert(1)</script>",
            "goals": [b.goals[0].model_copy(update={"text": '"><img src=x onerror=alert(1)>'})],
        }
    )
    html = to_html(to_document(hostile))
    assert "<script>alert" not in html and "<img" not in html and "&lt;script&gt;" in html


@pytest.fixture
def api(built):
    from fastapi.testclient import TestClient

    from worker.api.app import create_app
    from worker.tokens import create_token

    svc = built["svc"]
    with svc.db.session() as s:
        tokens = {
            scope: create_token(s, f"brief-{scope}-{len(built['ids'])}-{id(s)}", scope)[1]
            for scope in ("read", "write")
        }
    with TestClient(create_app(svc, InProcessQueue(svc, sleep=False))) as client:
        yield client, {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}


def test_api_brief_recap_commitments_and_portfolio(built, api):
    client, auth = api
    account_id, last = built["account"]["account_id"], built["ids"][2]
    as_of = {"as_of": TODAY.isoformat()}
    r = client.get(f"/v1/accounts/{account_id}/brief", params=as_of, headers=auth["read"])
    assert r.status_code == 200 and r.json()["account_id"] == account_id
    assert r.json() == json.loads(followthrough.brief_text(_brief(built), "json"))
    md = client.get(
        f"/v1/accounts/{account_id}/brief", params={**as_of, "format": "md"}, headers=auth["read"]
    )
    assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("# Prep brief:")
    html = client.get(f"/v1/accounts/{account_id}/brief", params={"format": "html"}, headers=auth["read"])
    assert html.headers["content-type"].startswith("text/html") and "<!doctype html>" in html.text
    missing = client.get("/v1/accounts/acct-nope/brief", headers=auth["read"])
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get(f"/v1/accounts/{account_id}/brief").status_code == 401
    bad = client.get(f"/v1/accounts/{account_id}/brief", params={"format": "pdf"}, headers=auth["read"])
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"

    recap = client.get(f"/v1/meetings/{last}/recap", headers=auth["read"]).json()
    assert recap["meeting_id"] == last and recap["held_on"] == DATES[2].isoformat()

    listed = client.get(f"/v1/accounts/{account_id}/commitments", params=as_of, headers=auth["read"]).json()
    assert [c["id"] for c in listed["items"]] == [c.id for c in _brief(built).commitments]
    target = next(c for c in listed["items"] if c["now"] != "done")
    path = f"/v1/accounts/{account_id}/commitments/{target['id']}"
    assert client.post(path, json={}, headers=auth["read"]).status_code == 403
    done = client.post(path, json={"done_on": TODAY.isoformat()}, headers=auth["write"])
    assert done.status_code == 200 and done.json()["now"] == "done"
    other = client.post(f"/v1/accounts/{account_id}/commitments/k_nope", json={}, headers=auth["write"])
    assert other.status_code == 404

    rows = client.get("/v1/portfolio", params={**as_of, "since": 60}, headers=auth["read"]).json()
    assert rows[0]["account_id"] == account_id and all("signals" in row for row in rows)
    low = client.get("/v1/portfolio", params={"segment": "low_touch"}, headers=auth["read"]).json()
    assert [row["segment"] for row in low] == ["low_touch"]


def test_api_worksheet_review_and_advocacy_ask(built, api):
    client, auth = api
    account_id = built["account"]["account_id"]
    trail = client.get(f"/v1/accounts/{account_id}/worksheet", headers=auth["read"]).json()
    assert [t["key"] for t in trail] == list(built["svc"].settings.worksheet_questions)
    pending = next(p for t in trail for p in t["pending"])
    path = f"/v1/accounts/{account_id}/worksheet/{pending['id']}"
    assert client.post(path, json={"status": "rejected"}, headers=auth["read"]).status_code == 403
    empty = client.post(path, json={"status": "edited", "text": ""}, headers=auth["write"])
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "invalid"
    assert (
        client.post(path, json={"status": "rejected"}, headers=auth["write"]).json()["status"] == "rejected"
    )
    after = client.get(f"/v1/accounts/{account_id}/worksheet", headers=auth["read"]).json()
    assert pending["id"] not in {p["id"] for t in after for p in t["pending"] + t["moves"]}

    adv = client.get(f"/v1/accounts/{account_id}/advocacy", headers=auth["read"]).json()
    assert adv["up"] is False and "recorded as made" in adv["reason"]  # recorded by the CLI test above
    made = client.post(
        f"/v1/accounts/{account_id}/advocacy",
        headers=auth["write"],
        json={"outcome": "declined", "kind": "case_study", "recorded_on": TODAY.isoformat()},
    )
    assert made.status_code == 201 and "case_study ask recorded as declined" in made.json()["reason"]
    assert client.get("/v1/accounts/acct-nope/worksheet", headers=auth["read"]).status_code == 404


def test_meetings_processed_before_the_follow_through_are_caught_up(built, cli):
    from sqlalchemy import delete

    from worker.db.models import CommitmentRow

    svc, account_id, first = built["svc"], built["account"]["account_id"], built["ids"][0]
    with svc.db.session() as s:
        before = [c.id for c in follow.commitments(s, account_id) if c.meeting_id == first]
        s.execute(delete(CommitmentRow).where(CommitmentRow.meeting_id == first))
    assert before
    out = cli.invoke(app, ["commitments", account_id, "--as-of", TODAY.isoformat()])
    assert out.exit_code == 0 and all(cid in out.output for cid in before), out.output
