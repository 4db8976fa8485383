"""``alignment-worker account ...``: import, show, history, export, reject."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from worker.commands.common import checked_id, load_account_file, services
from worker.console import console, escape, fail

if TYPE_CHECKING:
    from pipelines.account_state import AccountState


account_app = typer.Typer(help="The stored account records: import, show, history, export, reject.",
                          no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(account_app, name="account")


def import_account(
    path: Annotated[Path, typer.Argument(help="Account JSON (corpus `account` format).")],
) -> None:
    """Store an account record (a new revision if the account exists)."""
    from worker.db import repo

    state = load_account_file(path)
    with services().db.session() as s:
        rev = repo.import_account(s, state)
    typer.echo(f"{state.account_id} revision {rev.number}")


def _state(account_id: str, revision: int | None = None) -> tuple[AccountState, int]:
    from worker.db import repo

    checked_id(account_id)
    with services().db.session() as s:
        try:
            return repo.account_state(s, account_id, revision)
        except repo.NotFoundError as e:
            fail(str(e))


def show(account_id: Annotated[str, typer.Argument(help="Account id.")],
         revision: Annotated[int | None, typer.Option(help="A past revision.")] = None) -> None:
    """The account record with the source of every item."""
    from worker import render

    state, number = _state(account_id, revision)
    render.account(state, number)


def history(account_id: Annotated[str, typer.Argument(help="Account id.")]) -> None:
    """Every revision of the account: when, why and how many changes."""
    from worker import render
    from worker.db import repo

    checked_id(account_id)
    with services().db.session() as s:
        try:
            rows = repo.history(s, account_id)
        except repo.NotFoundError as e:
            fail(str(e))
        render.history((r.number, r.created_at.strftime("%Y-%m-%d %H:%M"), r.kind,
                        r.meeting_id or r.reason or "", len((r.diff or {}).get("changes", [])))
                       for r in rows)


def export(account_id: Annotated[str, typer.Argument(help="Account id.")],
           out: Annotated[Path | None, typer.Option("-o", "--out", help="File to write (default: stdout).")]
           = None,
           revision: Annotated[int | None, typer.Option(help="A past revision.")] = None) -> None:
    """The account record as JSON (schema: pipelines/schemas/account_export.schema.json)."""
    from pipelines.account_state import AccountExport

    state, number = _state(account_id, revision)
    text = json.dumps(AccountExport(revision=number, account=state).model_dump(mode="json", by_alias=True),
                      indent=2)
    if out:
        try:
            out.write_text(text + "\n")
        except OSError as e:
            fail(f"cannot write {out} ({e.strerror}); check that its folder exists and is writable")
        console.print(f"wrote {escape(str(out))}")
    else:
        typer.echo(text)


def reject(meeting_id: Annotated[str, typer.Argument(help="Meeting id.")],
           highlight_id: Annotated[str, typer.Argument(help="Highlight id (h_...).")]) -> None:
    """Reject a highlight: its change is taken out of the record in a new revision."""
    from worker.db import repo
    from worker.sync import notify_revision

    svc = services()
    with svc.db.session() as s:
        try:
            rev = repo.review_highlight(s, meeting_id, highlight_id, "rejected")
        except repo.NotFoundError as e:
            fail(str(e))
        info = (rev.account_id, rev.number, rev.diff) if rev else None
    if info is None:
        typer.echo("already rejected: no change")
        return
    from pipelines.update import AccountUpdate

    notify_revision(svc, info[0], info[1], AccountUpdate.model_validate(info[2]))
    typer.echo(f"{info[0]} revision {info[1]}")


for _name, _command in (("import", import_account), ("show", show), ("history", history),
                        ("export", export), ("reject", reject)):
    account_app.command(_name)(_command)
