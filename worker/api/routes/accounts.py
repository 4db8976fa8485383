"""Account records: read, import (PUT, like ``account import``), revisions."""
from __future__ import annotations

from fastapi import APIRouter, Response

from pipelines.account import Account
from pipelines.account_state import AccountState
from worker.api.deps import AdminCaller, ReadCaller, SessionDep
from worker.api.errors import ERROR_RESPONSES, ApiError
from worker.api.schemas.accounts import AccountPublic, RevisionList, RevisionPublic, RevisionSummary
from worker.db import repo
from worker.db.models import AccountRow, RevisionRow

router = APIRouter(prefix="/v1/accounts", tags=["accounts"], responses=ERROR_RESPONSES)


def _public(state: AccountState, number: int) -> AccountPublic:
    return AccountPublic(id=state.account_id, name=state.name, revision=number,
                         record=state.model_dump(mode="json"))


def _summary(row: RevisionRow) -> dict[str, object]:
    return {"number": row.number, "kind": row.kind, "meeting_id": row.meeting_id, "reason": row.reason,
            "changes": len((row.diff or {}).get("changes", [])), "created_at": row.created_at}


@router.get("/{account_id}", response_model=AccountPublic)
def get_account(account_id: str, s: SessionDep, _: ReadCaller) -> AccountPublic:
    """The latest revision of the record, every item with its source."""
    return _public(*repo.account_state(s, account_id))


@router.put("/{account_id}", response_model=AccountPublic, responses={201: {"model": AccountPublic}})
def put_account(account_id: str, account: Account, s: SessionDep, response: Response,
                _: AdminCaller) -> AccountPublic:
    """Import a record (the corpus ``account`` format): the first revision, or a new one."""
    if account.account_id != account_id:
        raise ApiError(422, "invalid", f"the body is account {account.account_id!r}, the path {account_id!r}")
    existed = s.get(AccountRow, account_id) is not None
    row = repo.import_account(s, AccountState.from_account(account))
    response.status_code = 200 if existed else 201
    return _public(AccountState.model_validate(row.state), row.number)


@router.get("/{account_id}/revisions", response_model=RevisionList)
def revisions(account_id: str, s: SessionDep, _: ReadCaller) -> RevisionList:
    """Every revision: when, why (import, meeting, review) and how many changes."""
    rows = repo.history(s, account_id)
    items = [RevisionSummary.model_validate(_summary(r)) for r in rows]
    return RevisionList(account_id=account_id, items=items)


@router.get("/{account_id}/revisions/{number}", response_model=RevisionPublic)
def revision(account_id: str, number: int, s: SessionDep, _: ReadCaller) -> RevisionPublic:
    """One revision: the whole record then, and the diff that made it."""
    row = next((r for r in repo.history(s, account_id) if r.number == number), None)
    if row is None:
        raise ApiError(404, "not_found", f"account {account_id!r} has no revision {number}")
    return RevisionPublic.model_validate({**_summary(row), "state": row.state, "diff": row.diff})
