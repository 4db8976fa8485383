"""The Five Questions worksheet of an account: answers, how they moved, proposals to review."""
from __future__ import annotations

from fastapi import APIRouter

from pipelines.worksheet import AnswerTrail, Proposal, kickoff, trails
from worker.api.deps import ReadCaller, SessionDep, SettingsDep, WriteCaller
from worker.api.errors import ERROR_RESPONSES, ApiError
from worker.api.schemas.followthrough import ProposalReview
from worker.db import follow

router = APIRouter(prefix="/v1/accounts/{account_id}/worksheet", tags=["worksheet"],
                   responses=ERROR_RESPONSES)


@router.get("", response_model=list[AnswerTrail])
def get_worksheet(account_id: str, s: SessionDep, settings: SettingsDep, _: ReadCaller) -> list[AnswerTrail]:
    """Each question: its kickoff answer, its answer now, the accepted moves and pending proposals."""
    questions = settings.worksheet_questions
    return trails(questions, kickoff(follow.initial_state(s, account_id), questions),
                  follow.proposals(s, account_id))


@router.post("/{proposal_id}", response_model=Proposal)
def review_proposal(account_id: str, proposal_id: str, body: ProposalReview, s: SessionDep,
                    _: WriteCaller) -> Proposal:
    """Accept, edit or reject a proposed answer (the same decisions as a highlight's review)."""
    if not any(p.id == proposal_id for p in follow.proposals(s, account_id)):
        raise ApiError(404, "not_found", f"proposal {proposal_id!r} not found in account {account_id!r}")
    try:
        return follow.review_proposal(s, proposal_id, body.status, body.text)
    except ValueError as e:
        raise ApiError(422, "invalid", str(e)) from None
