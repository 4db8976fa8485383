"""An account's commitments (the next steps of its meetings): list them, mark one done."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from pipelines.commitments import ordered
from worker.api.deps import ReadCaller, SessionDep, WriteCaller
from worker.api.errors import ERROR_RESPONSES, ApiError
from worker.api.schemas.followthrough import CommitmentDone, CommitmentList, CommitmentPublic
from worker.db import follow, repo

router = APIRouter(prefix="/v1/accounts/{account_id}/commitments", tags=["commitments"],
                   responses=ERROR_RESPONSES)


def _listed(s: SessionDep, account_id: str, today: date) -> CommitmentList:
    repo.account_state(s, account_id)  # 404 for an unknown account
    items = [CommitmentPublic(**c.model_dump(), now=c.status_on(today))
             for c in ordered(follow.commitments(s, account_id), today)]
    return CommitmentList(account_id=account_id, as_of=today, items=items)


@router.get("", response_model=CommitmentList)
def list_commitments(account_id: str, s: SessionDep, _: ReadCaller,
                     as_of: Annotated[date | None, Query()] = None) -> CommitmentList:
    """Commitments, missed first, then open by due date, then done."""
    return _listed(s, account_id, as_of or date.today())


@router.post("/{commitment_id}", response_model=CommitmentPublic)
def mark_commitment(account_id: str, commitment_id: str, body: CommitmentDone, s: SessionDep,
                    _: WriteCaller) -> CommitmentPublic:
    """Mark a commitment done."""
    on = body.done_on or date.today()
    if not any(c.id == commitment_id for c in follow.commitments(s, account_id)):
        raise ApiError(404, "not_found", f"commitment {commitment_id!r} not found in account {account_id!r}")
    c = follow.mark_done(s, commitment_id, on)
    return CommitmentPublic(**c.model_dump(), now=c.status_on(on))
