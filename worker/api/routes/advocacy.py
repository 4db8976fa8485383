"""The advocacy flag of an account, its draft ask, and recording the ask."""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from pipelines.advocacy_ask import AdvocacyStatus
from worker import followthrough
from worker.api.deps import ReadCaller, SessionDep, SettingsDep, WriteCaller
from worker.api.errors import ERROR_RESPONSES
from worker.api.routes.brief import AsOf
from worker.api.schemas.followthrough import AskCreate
from worker.db import follow

router = APIRouter(prefix="/v1/accounts/{account_id}/advocacy", tags=["advocacy"], responses=ERROR_RESPONSES)


@router.get("", response_model=AdvocacyStatus)
def get_advocacy(account_id: str, s: SessionDep, settings: SettingsDep, _: ReadCaller,
                 as_of: AsOf = None) -> AdvocacyStatus:
    """Whether to ask now, the draft ask in the customer's words, and its evidence."""
    return followthrough.brief(s, account_id, as_of or date.today(), settings).advocacy


@router.post("", response_model=AdvocacyStatus, status_code=201)
def record_ask(account_id: str, body: AskCreate, s: SessionDep, settings: SettingsDep,
               _: WriteCaller) -> AdvocacyStatus:
    """Record an ask as made, accepted or declined; answers the flag as it now stands."""
    on = body.recorded_on or date.today()
    drafted = followthrough.brief(s, account_id, on, settings).advocacy
    follow.record_ask(s, account_id, body.kind or drafted.kind or "reference", body.outcome, on, body.note)
    return followthrough.brief(s, account_id, on, settings).advocacy
