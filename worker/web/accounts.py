"""The accounts page (one row per account) and one account's record, history and quotes."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from worker.web.auth import ServicesDep, WebUser
from worker.web.templating import page
from worker.web.views import SEVERITIES, account_summaries, account_view, filtered, proposals

router = APIRouter()

FILTERS = {"": "All accounts", "risks": "With open risks", "waiting": "With highlights waiting",
           "advocacy": "At an advocacy moment"}


@router.get("/", name="accounts_page", response_class=HTMLResponse)
def accounts_page(request: Request, svc: ServicesDep, web: WebUser, q: str = "", sort: str = "name",
                  only: str = "") -> HTMLResponse:
    with svc.db.session() as s:
        rows = account_summaries(s)
    shown = filtered(rows, q[:200], sort, only)
    return page(request, "accounts.html", title="Accounts", rows=shown, total=len(rows), q=q[:200],
                sort=sort, only=only, filters=FILTERS, severities=SEVERITIES)


@router.get("/accounts/{account_id}", name="account_page", response_class=HTMLResponse)
def account_page(request: Request, account_id: str, svc: ServicesDep, web: WebUser) -> HTMLResponse:
    with svc.db.session() as s:
        state, number, revisions, meetings, waiting = account_view(s, account_id)
        pending = proposals(s, account_id)
    return page(request, "account.html", title=state.name, state=state, number=number,
                revisions=revisions, meetings=meetings, waiting=waiting, proposals=pending)
