"""Readable terminal output of highlights, account updates, records and revision history."""
from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from pipelines.account_state import AccountState
from pipelines.formats import clock as formatted_clock
from pipelines.highlight import Analysis
from pipelines.transcript import Transcript
from pipelines.update import AccountUpdate

out = Console(soft_wrap=True)
"""Soft wrap: long lines stay whole when stdout is a file or pipe (no hard breaks at 80 columns)."""


def clock(seconds: float | None, turns: list[int] | None = None) -> str:
    """``mm:ss`` (or ``h:mm:ss``); ``turn N`` for an imported transcript without times."""
    if seconds is None:
        return f"turn {turns[0]}" if turns else "--:--"
    return formatted_clock(seconds, compact=True)


LONG_TEXT = {"quote", "goal", "action", "summary"}
"""Attributes that repeat the evidence in other words: left out of the one-line details."""


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def transcript(tr: Transcript) -> None:
    """One line per turn: ``[00:06] Helen Park (customer): text``; a guessed side ends in ``?``."""
    out.print(f"[bold]Transcript[/] ({len(tr.segments)} turns)")
    for k, seg in enumerate(tr.segments):
        side = f" ({seg.side}{'?' if seg.side_inferred else ''})" if seg.side else ""
        at, who = escape(f"[{clock(seg.start, [k])}]"), escape(seg.speaker or "?")
        text = escape(" ".join(seg.text.split()))
        out.print(f"[cyan]{at}[/] [bold]{who}[/]{side}: {text}", highlight=False)


def highlights(analysis: Analysis) -> None:
    out.print(f"[bold]Highlights of meeting {analysis.meeting_id}[/] ({len(analysis.highlights)})")
    for h in sorted(analysis.highlights, key=lambda h: (h.start is None, h.start or 0.0)):
        details = " · ".join(f"{k}={v}" for k, v in h.attributes.items()
                             if k not in LONG_TEXT and v not in (None, "", []))
        out.print(f"  [cyan]{clock(h.start, h.turns)}[/] [bold]{h.category}[/] {escape(h.speaker or '?')} "
                  f"[dim]({h.confidence:.2f}) {escape(details)}[/]")
        out.print(f'         "{escape(_short(h.evidence))}"')
    adv = analysis.advocacy
    out.print(f"[bold]Advocacy moment:[/] {'YES' if adv.flag else 'no'} "
              f"(confidence {adv.confidence:.2f}) {escape(adv.reason)}")


def update(diff: AccountUpdate, revision: int | None) -> None:
    if not diff.changes:
        out.print("[bold]Account update:[/] no change to the account record")
        return
    where = f" → revision {revision}" if revision else ""
    out.print(f"[bold]Account update for {escape(diff.account_id)}{where}[/] ({len(diff.changes)} changes)")
    for c in diff.changes:
        src = c.source
        at = clock(src.start, src.turns)
        said = f'{src.speaker or "?"} at {at}: "{_short(src.quote, 90)}"' if src.quote \
            else f"meeting {src.meeting_id}"
        out.print(f"  [cyan]{c.kind}[/] {escape(_short(c.summary))}")
        out.print(f"      [dim]← {escape(said)} ({escape(src.highlight_id or 'meeting')})[/]")


def _rows(title: str, cols: list[str], rows: Iterable[list[str]]) -> None:
    rows = list(rows)
    if not rows:
        return
    table = Table(title=title, expand=True)
    for c in cols:
        table.add_column(c)
    for r in rows:
        table.add_row(*(Text(cell) for cell in r))  # cells hold what users wrote: never markup
    out.print(table)


def _src(item: object) -> str:
    s = getattr(item, "source", None)
    return f"{s.meeting_id} {clock(s.start, s.turns)} {s.speaker or ''}".strip() if s else "imported"


def account(state: AccountState, revision: int) -> None:
    moment = "YES" if state.advocacy.flag else "no"
    out.print(f"[bold]{escape(state.name)}[/] ({escape(state.account_id)}) — revision {revision}, "
              f"renewal {escape(state.renewal_date or '?')}, advocacy moment: {moment}")
    _rows("Goals", ["id", "goal", "status", "source"],
          ([g.id, g.text, g.status or "", _src(g)] for g in state.goals))
    _rows("Stakeholders", ["name", "title", "role", "status", "source"],
          ([s.name, s.title or "", s.role or "", "active" if s.active else f"left → {s.replaced_by or '?'}",
            _src(s)] for s in state.stakeholders))
    _rows("Open risks", ["severity", "category", "risk", "source"],
          ([r.severity, r.category, r.summary, _src(r)] for r in state.risks if r.status == "open"))
    _rows("Value quotes", ["quote", "speaker", "type", "source"],
          ([f'"{q.quote}"', q.speaker or "", q.value_type or "", _src(q)] for q in state.value_quotes))
    _rows("Expansion signals", ["signal", "source"], ([x.summary, _src(x)] for x in state.expansion_signals))
    _rows("Next steps", ["action", "owner", "due", "source"],
          ([n.action, n.owner or "", n.due or "", _src(n)] for n in state.next_steps))


def history(rows: Iterable[tuple[int, str, str, str, int]]) -> None:
    _rows("Revisions", ["#", "when", "kind", "from", "changes"],
          ([str(n), when, kind, src, str(k)] for n, when, kind, src, k in rows))
