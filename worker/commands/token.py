"""``alignment-worker token ...``: API bearer tokens (create shows the token once)."""
from __future__ import annotations

from typing import Annotated

import typer

from worker.commands.common import services
from worker.console import fail

token_app = typer.Typer(help="Bearer tokens of the HTTP API: create, list, revoke.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")


@token_app.command("create")
def create(
    name: Annotated[str, typer.Option("--name", help="A name to recognise the token by (unique).")],
    scope: Annotated[str, typer.Option("--scope", help="read, write (uploads, review) or admin "
                                       "(also account import).")] = "read",
) -> None:
    """Create a token; it is printed once, as the last line (only its hash is stored)."""
    from worker.tokens import TokenError, create_token

    with services().db.session() as s:
        try:
            row, token = create_token(s, name, scope)
        except TokenError as e:
            fail(str(e))
    typer.echo(f"token {row.name!r} (scope {row.scope}) created; it is shown only now:", err=True)
    typer.echo(token)


@token_app.command("list")
def list_() -> None:
    """Every token: name, scope, prefix, created, last used, revoked."""
    from worker.tokens import list_tokens

    with services().db.session() as s:
        rows = list_tokens(s)
    for r in rows:
        used = r.last_used_at.isoformat(timespec="seconds") if r.last_used_at else "never"
        state = f"revoked {r.revoked_at:%Y-%m-%d}" if r.revoked_at else "live"
        typer.echo(f"{r.name}\t{r.scope}\t{r.prefix}...\tcreated {r.created_at:%Y-%m-%d}\t"
                   f"used {used}\t{state}")


@token_app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="Name of the token to revoke.")]) -> None:
    """Revoke a token: requests with it get 401 from now on."""
    from worker.tokens import revoke_token

    with services().db.session() as s:
        if not revoke_token(s, name):
            fail(f"no live token named {name!r} (see `alignment-worker token list`)")
    typer.echo(f"token {name!r} revoked")
