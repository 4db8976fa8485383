"""The portfolio: what needs attention first across accounts, each row with its evidence."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from pipelines.portfolio import Row, to_document
from worker import followthrough
from worker.api.deps import ReadCaller, SessionDep, SettingsDep
from worker.api.errors import ERROR_RESPONSES
from worker.api.routes.brief import MEDIA, RENDERED, AsOf, FormatQuery

router = APIRouter(prefix="/v1/portfolio", tags=["portfolio"], responses=ERROR_RESPONSES)


@router.get("", response_model=list[Row], responses=RENDERED)
def get_portfolio(s: SessionDep, settings: SettingsDep, _: ReadCaller,
                  since: Annotated[int, Query(ge=1, le=3650, description="period in days")] = 30,
                  owner: Annotated[str | None, Query(max_length=200)] = None,
                  segment: Annotated[str | None, Query(max_length=40)] = None,
                  fmt: FormatQuery = "json", as_of: AsOf = None) -> Response:
    """Goal shifts, sponsor changes, new high risks, advocacy-ready accounts, renewals with open risks,
    quiet accounts and missed commitments; accounts that need a reset first."""
    today = as_of or date.today()
    rows = followthrough.portfolio(s, today, settings, since, owner, segment)
    return Response(followthrough.render(to_document(rows, today, since), rows, fmt), media_type=MEDIA[fmt])
