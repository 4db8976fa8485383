"""The CSM review page: server-rendered pages (Jinja2 + htmx) on the same app and service code as the API."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from worker.db.repo import NotFoundError
from worker.web.auth import Forbidden, SignInRequired
from worker.web.templating import STATIC, page


def include_web(app: FastAPI) -> None:
    """Add the pages, their static files and their error pages to ``app`` (which has
    ``app.state.services``)."""
    from worker.web import accounts, export, meetings, signin, speakers, upload, users

    for module in (signin, accounts, meetings, speakers, upload, export, users):
        app.include_router(module.router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="web_static")

    @app.exception_handler(SignInRequired)
    def _sign_in(request: Request, exc: SignInRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("hx-request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": "/signin"})
        return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    def _forbidden(request: Request, exc: Forbidden) -> Response:
        return page(request, "error.html", status_code=403, title="Not allowed", message=str(exc))

    @app.exception_handler(NotFoundError)
    def _not_found(request: Request, exc: NotFoundError) -> Response:
        return page(request, "error.html", status_code=404, title="Not found", message=str(exc))

    @app.exception_handler(ValueError)
    def _bad_value(request: Request, exc: ValueError) -> Response:
        return page(request, "error.html", status_code=400, title="Cannot do that", message=str(exc))
