"""CLI: ``user create`` — a local user who signs in to the review page."""
from __future__ import annotations

import sys
from typing import Annotated

import typer

from worker.commands.common import services
from worker.console import console, fail

user_app = typer.Typer(help="Local users of the review page.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")


@user_app.command("create")
def create(
    email: Annotated[str, typer.Option("--email", help="The user's email (their sign-in name).")],
    role: Annotated[str, typer.Option("--role", help="csm (review) or admin (also settings).")] = "csm",
    password_stdin: Annotated[bool, typer.Option("--password-stdin",
                                                 help="Read the password from stdin, not a prompt.")] = False,
) -> None:
    """Create a user; the password is prompted (or read from stdin) and stored as a scrypt hash."""
    from worker.db.users import ROLES, UserExistsError, create_user
    from worker.passwords import WeakPasswordError

    if role not in ROLES:
        fail(f"--role {role!r}: use one of {', '.join(ROLES)}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    svc = services()
    try:
        with svc.db.session() as s:
            create_user(s, email, role, password)
    except (UserExistsError, WeakPasswordError, ValueError) as e:
        fail(str(e))
    console.print(f"user {email.strip().casefold()} ({role}) created")
