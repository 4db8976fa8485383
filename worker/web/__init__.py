"""The CSM review page: server-rendered pages (Jinja2 + htmx) on the API's app, services, queue
and permission rule (``worker.tokens.allows``); record changes go through ``worker.db``."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from pipelines.errors import BadInputError
from worker.api.errors import error_response
from worker.db.repo import NotFoundError
from worker.web.auth import Forbidden, SignInRequired, mark_page
from worker.web.templating import STATIC, page


def _is_page(request: Request) -> bool:
    return bool(getattr(request.state, "web_page", False))


def include_web(app: FastAPI) -> None:
    """Add the pages, their static files and their error pages to the API ``app``.

    Errors of page routes become pages; errors of API routes keep the API's JSON shape.
    """
    from worker.web import accounts, export, meetings, policy, signin, speakers, upload, users

    for module in (signin, accounts, meetings, speakers, upload, export, users, policy):
        app.include_router(module.router, include_in_schema=False, dependencies=[Depends(mark_page)])
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
        if not _is_page(request):
            return error_response(404, "not_found", str(exc).strip("'\""))
        return page(request, "error.html", status_code=404, title="Not found", message=str(exc))

    @app.exception_handler(BadInputError)
    def _bad_input(request: Request, exc: BadInputError) -> Response:
        if not _is_page(request):
            return error_response(422, "invalid", str(exc))
        return page(request, "error.html", status_code=400, title="Cannot do that", message=str(exc))

    @app.exception_handler(ValueError)
    def _bad_value(request: Request, exc: ValueError) -> Response:
        if not _is_page(request):
            return error_response(500, "internal", "internal error; the server log has the details")
        return page(request, "error.html", status_code=400, title="Cannot do that", message=str(exc))
