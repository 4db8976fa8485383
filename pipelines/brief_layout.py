"""The brief sized by segment: a deck outline (high touch), a one-page worksheet (mid touch), a
short checklist (low touch). Every line is a record item or a count of them, with its evidence."""

from __future__ import annotations

from pipelines.brief import Brief, CommitmentLine, Item
from pipelines.document import Document, Line, Section
from pipelines.evidence import cite

LAYOUTS = {"high_touch": "deck outline", "mid_touch": "one-page worksheet", "low_touch": "checklist"}


def _item(i: Item, *, check: bool = False, with_goal: bool = False) -> Line:
    sub = [f"serves goal {i.goal_id}: {i.goal}" if i.goal_id else f"{i.goal}"] if with_goal and i.goal else []
    sub += [f"was: {i.was}"] if i.was else []
    return Line(
        text=i.text, tag=i.status, check=check, quote=i.quote, evidence=i.evidence + i.progress, sub=sub
    )


def _commitment(c: CommitmentLine, *, check: bool = False) -> Line:
    due = (
        f"due {c.due_date}"
        if c.due_date
        else f'due "{c.due_text}" (no date read)'
        if c.due_text
        else "no due date"
    )
    return Line(
        text=f"{c.action} — {c.owner or 'no owner named'}, {due}",
        tag=c.now,
        check=check,
        evidence=c.evidence,
        sub=[f"commitment {c.id}"],
    )


def _quote(i: Item) -> Line:
    serves = f"supports goal {i.goal_id}: {i.goal}" if i.goal_id else "not tied to a goal"
    return Line(
        text=f"{i.owner or 'customer'} ({i.kind or 'value'}{', ' + i.text if i.text != i.kind else ''})",
        quote=i.quote,
        evidence=i.evidence,
        sub=[serves],
    )


def _renewal(b: Brief) -> Line:
    if b.renewal_date is None:
        return Line(text="renewal date not on the record")
    return Line(text=f"renewal on {b.renewal_date}: {b.days_to_renewal} days from {b.as_of}")


def _advocacy(b: Brief) -> list[Line]:
    a = b.advocacy
    if not a.up:
        return [Line(text=f"no ask now: {a.reason}", evidence=a.evidence)]
    return [
        Line(
            text=f"advocacy ask ({a.kind}), flag raised {a.raised_on}, expires {a.expires_on}",
            sub=[f"draft: {a.draft}"],
            evidence=a.evidence,
        )
    ]


def _worksheet(b: Brief) -> list[Line]:
    out = []
    for t in b.worksheet:
        sub = [f"at kickoff: {t.kickoff or 'not recorded'}"]
        sub += [f"{m.held_on or m.meeting_id} ({m.status}): {m.text}" for m in t.moves]
        sub += [
            f"proposed by meeting {p.meeting_id}, awaiting review ({p.id}): {p.answer}" for p in t.pending
        ]
        out.append(
            Line(
                text=f"{t.question} — {t.current or 'no answer yet'}",
                sub=sub,
                evidence=[e for m in t.moves for e in cite(m.sources[0] if m.sources else None, {})],
            )
        )
    return out


def _details(b: Brief) -> list[Section]:
    return [
        Section(
            title="Commitments from last time (missed first)",
            lines=[_commitment(c) for c in b.commitments],
            empty="no commitments recorded",
        ),
        Section(
            title="Open risks by severity",
            lines=[
                _item(r).model_copy(update={"sub": [f"{r.kind}; owner: {r.owner or 'none on the record'}"]})
                for r in b.risks
            ],
            empty="no open risk on the record",
        ),
        Section(title="Five Questions: how the answers moved since kickoff", lines=_worksheet(b)),
        Section(
            title="What the record is missing",
            lines=[Line(text=m) for m in b.missing],
            empty="nothing obvious",
        ),
    ]


def _deck(b: Brief) -> list[Section]:
    done = [c for c in b.commitments if c.now == "done"]
    interpretation = [
        Line(
            text=f'goal {g.goal_id} "{g.text}" is {g.status}; '
            f"{len(g.progress)} value quote(s) of progress on the record",
            evidence=g.evidence + g.progress,
        )
        for g in b.goals
    ]
    interpretation += [
        Line(text=f"{sum(1 for r in b.risks if r.status == s)} open {s} risk(s)")
        for s in ("high", "medium", "low")
        if any(r.status == s for r in b.risks)
    ]
    return [
        Section(
            title="1. Purpose",
            lines=[_item(i) for i in b.why_they_bought] + [_renewal(b)],
            note="Why they bought, and the meeting's place in the relationship.",
        ),
        Section(title="2. Success definition", lines=[_item(g) for g in b.goals]),
        Section(
            title="3. Progress story",
            lines=[_quote(q) for q in b.value_quotes] + [_commitment(c) for c in done],
            empty="no progress on the record yet: ask for it",
        ),
        Section(
            title="4. What changed",
            lines=[_item(c) for c in b.changes],
            empty="no change at the last meeting",
        ),
        Section(title="5. Interpretation", lines=interpretation),
        Section(
            title="6. Next value block",
            lines=[_item(x, with_goal=True) for x in b.expansion]
            + [_commitment(c) for c in b.commitments if c.now == "open"],
            note="Expansion signals with the goal each serves, and the open commitments "
            "(missed ones are under Asks).",
        ),
        Section(title="7. Asks", lines=_advocacy(b) + [_item(d) for d in b.discussion]),
    ]


def _one_page(b: Brief) -> list[Section]:
    return [
        Section(title="Goals and status", lines=[_item(g) for g in b.goals] + [_renewal(b)]),
        Section(
            title="What changed since the last meeting",
            lines=[_item(c) for c in b.changes],
            empty="no change at the last meeting",
        ),
        Section(title="Value in their words", lines=[_quote(q) for q in b.value_quotes]),
        Section(title="Expansion signals", lines=[_item(x, with_goal=True) for x in b.expansion]),
        Section(title="Advocacy", lines=_advocacy(b)),
        Section(title="Questions to ask", lines=[_item(d) for d in b.discussion]),
    ]


def _checklist(b: Brief) -> list[Section]:
    lines = [_commitment(c, check=True) for c in b.commitments if c.now != "done"]
    lines += [_item(r, check=True) for r in b.risks if r.status == "high"]
    lines += [_renewal(b).model_copy(update={"check": True})]
    lines += [
        Line(text=f"confirm goal: {g.text}", tag=g.status, check=True, evidence=g.evidence) for g in b.goals
    ]
    lines += [line.model_copy(update={"check": True}) for line in _advocacy(b) if b.advocacy.up]
    lines += [_item(d, check=True) for d in b.discussion]
    return [
        Section(title="Checklist", lines=lines),
        Section(
            title="What the record is missing",
            lines=[Line(text=m) for m in b.missing],
            empty="nothing obvious",
        ),
    ]


def to_document(b: Brief) -> Document:
    segment = b.segment if b.segment in LAYOUTS else "mid_touch"
    last = b.meetings[-1] if b.meetings else None
    subtitle = (
        f"{segment.replace('_', ' ')} · {LAYOUTS[segment]} · owner {b.owner or 'not recorded'} · "
        f"as of {b.as_of} · {len(b.meetings)} meeting(s)"
        + (f", last {last.held_on} ({last.id})" if last else "")
    )
    notice = None if b.meetings else "No meeting has been processed for this account yet."
    if segment == "high_touch":
        sections = _deck(b) + _details(b)
    elif segment == "mid_touch":
        sections = _one_page(b) + _details(b)
    else:
        sections = _checklist(b)
    return Document(title=f"Prep brief: {b.name}", subtitle=subtitle, notice=notice, sections=sections)
