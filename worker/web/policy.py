"""Admin page: the review policy of each highlight category (``worker.review_policy``)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from worker.review_policy import MODES, policies, set_policy
from worker.web.auth import ServicesDep, WebAdmin, WebForm
from worker.web.templating import page

router = APIRouter()


def _page(request: Request, svc: ServicesDep, message: str = "") -> HTMLResponse:
    with svc.db.session() as s:
        rules = list(policies(s, svc.settings.review_min_confidence,
                              svc.settings.review_policy == "recommended").values())
    return page(request, "policy.html", title="Review policy", rules=rules, modes=MODES, message=message)


@router.get("/admin/policy", name="policy_page", response_class=HTMLResponse)
def policy_page(request: Request, svc: ServicesDep, web: WebAdmin) -> HTMLResponse:
    return _page(request, svc)


@router.post("/admin/policy", name="save_policy", response_class=HTMLResponse)
async def save_policy(request: Request, svc: ServicesDep, web: WebForm, admin: WebAdmin) -> HTMLResponse:
    form = await request.form()
    with svc.db.session() as s:
        for rule in policies(s, svc.settings.review_min_confidence,
                             svc.settings.review_policy == "recommended").values():
            mode = str(form.get(f"mode-{rule.category}") or rule.mode)
            threshold = float(str(form.get(f"min-{rule.category}") or rule.min_confidence))
            set_policy(s, rule.category, mode, threshold)
    return _page(request, svc, "Saved. It applies to meetings processed from now on.")
