"""Before and after the meeting: gathers what the brief, recap and portfolio read from the store,
and records a processed meeting's follow-through (its date, commitments, worksheet proposals).

The CLI and the HTTP routes call these; the documents themselves are built in ``pipelines/``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipelines.advocacy_ask import status as advocacy_status
from pipelines.brief import Brief, BriefInput, build
from pipelines.brief_layout import to_document
from pipelines.document import Document
from pipelines.document_render import to_html, to_markdown
from pipelines.portfolio import AccountDigest, Row
from pipelines.portfolio import build as build_portfolio
from pipelines.recap import Recap, ReviewedHighlight
from pipelines.recap import build as build_recap
from worker.db import follow, repo
from worker.db.models import AccountRow
from worker.services import Services
from worker.settings import Settings

Format = Literal["md", "json", "html"]
FORMATS: tuple[str, ...] = ("md", "json", "html")


def meeting_date_in(data: bytes) -> date | None:
    """The ``meeting_date`` a JSON transcript (a corpus meeting) carries, if any."""
    try:
        value = json.loads(data).get("meeting_date")
        return date.fromisoformat(value) if isinstance(value, str) else None
    except (ValueError, AttributeError, UnicodeDecodeError):
        return None


def after_meeting(svc: Services, s: Session, meeting_id: str) -> tuple[int, int]:
    """A processed meeting's follow-through, in the update stage's transaction; idempotent."""
    m = repo.get_meeting(s, meeting_id)
    if m.meeting_date is None and m.transcript_key and m.transcript_key.endswith(".json"):
        repo.set_meeting(s, meeting_id, meeting_date=meeting_date_in(svc.storage.get_bytes(m.transcript_key)))
        s.refresh(m)
    return follow.record_meeting(s, meeting_id, svc.settings.worksheet_questions)


def brief_input(s: Session, account_id: str, today: date, settings: Settings) -> BriefInput:
    state, _ = repo.account_state(s, account_id)
    meetings = follow.meetings(s, account_id)
    changes = follow.meeting_changes(s, account_id)
    last = changes.get(meetings[-1].id, []) if meetings else []
    return BriefInput(
        state=state,
        initial=follow.initial_state(s, account_id),
        meetings=meetings,
        last_changes=last,
        commitments=follow.commitments(s, account_id),
        asks=follow.asks(s, account_id),
        proposals=follow.proposals(s, account_id),
        signal_kinds=follow.signal_kinds(s, account_id),
        questions=settings.worksheet_questions,
        today=today,
        advocacy_expiry_days=settings.advocacy_expiry_days,
    )


def brief(s: Session, account_id: str, today: date, settings: Settings) -> Brief:
    return build(brief_input(s, account_id, today, settings))


def recap(s: Session, meeting_id: str) -> Recap:
    m = repo.get_meeting(s, meeting_id)
    rev = repo.meeting_revision(s, m.account_id, meeting_id)
    state = repo.account_state(s, m.account_id, rev.number if rev else None)[0]
    latest = repo.account_state(s, m.account_id)[0]  # rejections made after the meeting still count
    state = state.model_copy(update={"rejected_highlights": latest.rejected_highlights})
    rows = repo.highlights(s, meeting_id)
    hs = [
        ReviewedHighlight.model_validate({
            "id": r.highlight_id, "category": r.category, "evidence": r.evidence, "speaker": r.speaker,
            "side": r.side, "start": r.start, "end": r.end, "turns": r.turns, "confidence": r.confidence,
            "extractor": r.extractor, "attributes": r.attributes, "review_status": r.review_status,
        })
        for r in rows
    ]
    commitments = [c for c in follow.commitments(s, m.account_id) if c.meeting_id == meeting_id]
    dates = {x.id: x.held_on for x in follow.meetings(s, m.account_id)}
    return build_recap(meeting_id, follow.held_on(m), hs, state, commitments, dates)


def portfolio(
    s: Session,
    today: date,
    settings: Settings,
    since_days: int,
    owner: str | None = None,
    segment: str | None = None,
) -> list[Row]:
    digests = []
    for account_id in s.scalars(select(AccountRow.id).order_by(AccountRow.id)):
        inp = brief_input(s, account_id, today, settings)
        changes = [c for cs in follow.meeting_changes(s, account_id).values() for c in cs]
        adv = advocacy_status(
            inp.state, inp.asks, inp.dates, today, settings.advocacy_expiry_days, inp.signal_kinds
        )
        digests.append(
            AccountDigest(
                state=inp.state,
                meetings=inp.meetings,
                changes=changes,
                commitments=inp.commitments,
                advocacy=adv,
            )
        )
    return build_portfolio(digests, today, since_days, settings.portfolio_quiet_days, owner, segment)


def render(doc: Document, data: object, fmt: str) -> str:
    """``md`` or ``html`` of the document, or ``json`` of the typed data behind it."""
    if fmt == "md":
        return to_markdown(doc)
    if fmt == "html":
        return to_html(doc)
    if fmt == "json":
        from pydantic import TypeAdapter

        return TypeAdapter(type(data)).dump_json(data, indent=2).decode()
    raise ValueError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")


def brief_text(b: Brief, fmt: str) -> str:
    return render(to_document(b), b, fmt)
