"""The prep brief of an account and the recap of a meeting, as JSON, Markdown or printable HTML."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from pipelines.brief import Brief
from pipelines.recap import Recap
from worker import followthrough
from worker.api.deps import ReadCaller, SessionDep, SettingsDep
from worker.api.errors import ERROR_RESPONSES
from worker.api.schemas.followthrough import Format

router = APIRouter(prefix="/v1", tags=["brief"], responses=ERROR_RESPONSES)

MEDIA = {"json": "application/json", "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}
AsOf = Annotated[date | None, Query(description="date to judge due dates and renewal by (default today)")]
FormatQuery = Annotated[Format, Query(alias="format", description="json, md or html (printable page)")]
RENDERED: dict[int | str, dict[str, Any]] = {200: {"content": {"text/markdown": {}, "text/html": {}},
                  "description": "the JSON model, or the Markdown/HTML document with format=md|html"}}


@router.get("/accounts/{account_id}/brief", response_model=Brief, responses=RENDERED)
def get_brief(account_id: str, s: SessionDep, settings: SettingsDep, _: ReadCaller,
              fmt: FormatQuery = "json", as_of: AsOf = None) -> Response:
    """Prep brief for the next meeting, sized by the account's segment; every claim with its evidence."""
    b = followthrough.brief(s, account_id, as_of or date.today(), settings)
    return Response(followthrough.brief_text(b, fmt), media_type=MEDIA[fmt])


@router.get("/meetings/{meeting_id}/recap", response_model=Recap, responses=RENDERED)
def get_recap(meeting_id: str, s: SessionDep, _: ReadCaller, fmt: FormatQuery = "json") -> Response:
    """Draft follow-up of a meeting from its accepted or edited highlights (an unreviewed one says so)."""
    r = followthrough.recap(s, meeting_id)
    return Response(followthrough.render(r.document, r, fmt), media_type=MEDIA[fmt])
