"""What the service commands share: the services, reading an account file, importing it once."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from worker.console import fail

if TYPE_CHECKING:
    from pipelines.account_state import AccountState
    from worker.services import Services


def services() -> Services:
    """The process's services, or a readable exit when the database or storage is unreachable."""
    from pipelines.errors import TransientError
    from worker.services import Services
    from worker.settings import SettingsError

    try:
        return Services.create()
    except TransientError as e:
        fail(f"{e}; check AW_DATABASE_URL / AW_STORAGE_URL")
    except SettingsError as e:
        fail(f"{e}\nfix the environment variable (or .env) and run again", code=2)


def load_account_file(path: Path) -> AccountState:
    """An account in the corpus ``account`` format (or a corpus meeting JSON that holds one)."""
    from pipelines.account import read_account
    from pipelines.account_state import AccountState
    from pipelines.errors import BadInputError

    try:
        from worker.settings import get_settings

        return AccountState.from_account(read_account(path, get_settings().limits))
    except BadInputError as e:
        fail(str(e))


def ensure_account(svc: Services, state: AccountState) -> tuple[int, bool]:
    """Import the account unless the store has it; (latest revision, imported now)."""
    from worker.db import repo

    with svc.db.session() as s:
        try:
            return repo.account_state(s, state.account_id)[1], False
        except repo.NotFoundError:
            return repo.import_account(s, state).number, True


def checked_id(account_id: str) -> str:
    """An account id given on the command line, or a readable exit if it cannot be one."""
    from pipelines.fields import check_id

    try:
        return check_id(account_id)
    except ValueError as e:
        fail(str(e))
