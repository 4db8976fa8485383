"""``alignment-worker brief | recap | commitments | worksheet | advocacy | portfolio``: before and
after the meeting."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from worker.commands.common import services
from worker.console import console, fail

FormatOption = Annotated[str, typer.Option("--format", "-f", help="md, json or html (printable page).")]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Date to judge due dates and renewal by (YYYY-MM-DD; default: today)."),
]
Out = Annotated[Path | None, typer.Option("-o", "--out", help="File to write (default: stdout).")]


def _today(as_of: str | None) -> date:
    try:
        return date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        fail(f"--as-of {as_of!r}: write the date as YYYY-MM-DD")


def _emit(text: str, out: Path | None) -> None:
    if out:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {out}")
    else:
        typer.echo(text, nl=False)


def _format(fmt: str) -> str:
    from worker.followthrough import FORMATS

    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


def brief(
    account_id: Annotated[str, typer.Argument(help="Account id.")],
    fmt: FormatOption = "md",
    as_of: AsOf = None,
    out: Out = None,
) -> None:
    """Prep brief for the next meeting, sized by the account's segment; every claim with its evidence."""
    from worker import followthrough
    from worker.db import follow, repo

    svc = services()
    with svc.db.session() as s:
        try:
            follow.catch_up(s, account_id, svc.settings.worksheet_questions)
            b = followthrough.brief(s, account_id, _today(as_of), svc.settings)
        except repo.NotFoundError as e:
            fail(str(e))
    _emit(followthrough.brief_text(b, _format(fmt)), out)


def recap(
    meeting_id: Annotated[str, typer.Argument(help="Meeting id.")], fmt: FormatOption = "md", out: Out = None
) -> None:
    """Draft follow-up of a meeting from its accepted or edited highlights."""
    from worker import followthrough
    from worker.db import repo

    with services().db.session() as s:
        try:
            r = followthrough.recap(s, meeting_id)
        except repo.NotFoundError as e:
            fail(str(e))
    _emit(followthrough.render(r.document, r, _format(fmt)), out)


def commitments(
    account_id: Annotated[str, typer.Argument(help="Account id.")],
    done: Annotated[str | None, typer.Option("--done", help="Mark this commitment (k_...) done.")] = None,
    as_of: AsOf = None,
) -> None:
    """The account's commitments (missed first); --done ID marks one done."""
    from pipelines.commitments import ordered
    from worker.db import follow, repo

    today, svc = _today(as_of), services()
    with svc.db.session() as s:
        try:
            repo.account_state(s, account_id)
            follow.catch_up(s, account_id, svc.settings.worksheet_questions)
            if done:
                c = follow.mark_done(s, done, today)
                if c.account_id != account_id:
                    fail(f"commitment {done} belongs to account {c.account_id}, not {account_id}")
            rows = ordered(follow.commitments(s, account_id), today)
        except repo.NotFoundError as e:
            fail(str(e))
    if not rows:
        typer.echo(f"{account_id}: no commitments yet (they come from the next steps of processed meetings)")
    for c in rows:
        due = c.due_date.isoformat() if c.due_date else (f'"{c.due_text}"' if c.due_text else "no date")
        typer.echo(
            f"{c.id}  {c.status_on(today):<6}  due {due:<12}  {c.owner or '-'}: {c.action}"
            f"  [meeting {c.meeting_id}, highlight {c.highlight_id}]"
        )


def worksheet(
    account_id: Annotated[str, typer.Argument(help="Account id.")],
    accept: Annotated[str | None, typer.Option(help="Accept this proposal (w_...).")] = None,
    reject: Annotated[str | None, typer.Option(help="Reject this proposal.")] = None,
    edit: Annotated[str | None, typer.Option(help="Edit this proposal (with --text).")] = None,
    text: Annotated[str | None, typer.Option(help="The edited answer.")] = None,
) -> None:
    """The Five Questions worksheet: answers and how they moved; review proposed answers."""
    from pipelines.worksheet import kickoff, trails
    from worker.db import follow, repo

    svc = services()
    with svc.db.session() as s:
        try:
            for pid, status in ((accept, "accepted"), (reject, "rejected"), (edit, "edited")):
                if pid:
                    follow.review_proposal(s, pid, status, text)
            initial = follow.initial_state(s, account_id)
            props = follow.proposals(s, account_id)
        except (repo.NotFoundError, ValueError) as e:
            fail(str(e))
    questions = svc.settings.worksheet_questions
    for t in trails(questions, kickoff(initial, questions), props):
        typer.echo(f"{t.question}\n  now: {t.current or 'no answer yet'}")
        typer.echo(f"  at kickoff: {t.kickoff or 'not recorded'}")
        for m in t.moves:
            typer.echo(f"  {m.held_on} {m.status} ({m.id}, meeting {m.meeting_id}): {m.text}")
        for p in t.pending:
            typer.echo(f"  proposed, to review: {p.id} (meeting {p.meeting_id}): {p.answer}")


def advocacy(
    account_id: Annotated[str, typer.Argument(help="Account id.")],
    record: Annotated[str | None, typer.Option(help="Record an ask: made, accepted or declined.")] = None,
    kind: Annotated[str | None, typer.Option(help="The ask's kind (default: the one drafted).")] = None,
    note: Annotated[str | None, typer.Option(help="A note on the ask.")] = None,
    as_of: AsOf = None,
) -> None:
    """The advocacy flag and the draft ask; --record made|accepted|declined brings the flag down."""
    from worker import followthrough
    from worker.db import follow, repo

    svc, today = services(), _today(as_of)
    with svc.db.session() as s:
        try:
            a = followthrough.brief(s, account_id, today, svc.settings).advocacy
            if record:
                follow.record_ask(s, account_id, kind or a.kind or "reference", record, today, note)
                a = followthrough.brief(s, account_id, today, svc.settings).advocacy
        except (repo.NotFoundError, ValueError) as e:
            fail(str(e))
    typer.echo(("ask now: " + (a.kind or "") if a.up else "no ask now") + f" ({a.reason})")
    if a.draft:
        typer.echo(f"draft: {a.draft}")
    from pipelines.evidence import label

    for ev in a.evidence:
        typer.echo(f"evidence: {label(ev)}" + (f' "{ev.quote}"' if ev.quote else ""))


def portfolio(
    since: Annotated[int, typer.Option(help="Period in days for changes and new risks.")] = 30,
    owner: Annotated[str | None, typer.Option(help="Only accounts owned by this person.")] = None,
    segment: Annotated[str | None, typer.Option(help="high_touch, mid_touch or low_touch.")] = None,
    fmt: FormatOption = "md",
    as_of: AsOf = None,
    out: Out = None,
) -> None:
    """Across accounts: what needs attention first, each row with its evidence."""
    from pipelines.portfolio import to_document
    from worker import followthrough

    svc, today = services(), _today(as_of)
    with svc.db.session() as s:
        rows = followthrough.portfolio(s, today, svc.settings, since, owner, segment)
    _emit(followthrough.render(to_document(rows, today, since), rows, _format(fmt)), out)


def register(app: typer.Typer) -> None:
    for name, command in (
        ("brief", brief),
        ("recap", recap),
        ("commitments", commitments),
        ("worksheet", worksheet),
        ("advocacy", advocacy),
        ("portfolio", portfolio),
    ):
        app.command(name)(command)
