"""The FastAPI app factory: services and queue on ``app.state``, the one error shape, the routes.

``uvicorn --factory worker.api.app:create_app`` (or ``alignment-worker serve``) builds it from
the settings; tests pass their own :class:`Services`.
"""
from __future__ import annotations

from fastapi import FastAPI

from worker.api import errors
from worker.api.limits import BodyLimit
from worker.api.routes import routers
from worker.queue import JobQueue
from worker.services import Services
from worker.settings import Settings

API_VERSION = "1"


def api_queue(settings: Settings, svc: Services) -> JobQueue:
    """RQ on Redis when ``AW_REDIS_URL`` is set, else the database queue of the embedded worker."""
    if settings.redis_url:
        from worker.rq_queue import RQQueue

        return RQQueue(settings)
    from worker.db_queue import DatabaseQueue

    return DatabaseQueue(svc)


def create_app(services: Services | None = None, queue: JobQueue | None = None) -> FastAPI:
    """The API app; without arguments, services and queue come from the settings."""
    svc = services or Services.create()
    app = FastAPI(
        docs_url=None,  # served below from vendored assets: /docs works offline
        title="alignment-worker",
        version=API_VERSION,
        summary="Recordings in, reviewable account-record updates out.",
        description="Every route except /healthz, /readyz, /metrics and the webhooks needs "
        "`Authorization: Bearer <token>` (`alignment-worker token create`). Every error is "
        '`{"error": {"code", "message", "detail"}}`.',
    )
    app.state.services = svc
    app.state.queue = queue or api_queue(svc.settings, svc)
    errors.install(app)
    app.add_middleware(BodyLimit)
    for router in routers():
        app.include_router(router)
    from worker.web import include_web

    include_web(app)  # the review pages at /, on the same services, queue and permissions
    _offline_docs(app)
    return app


def _offline_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from the copy in worker/web/static/swagger (no CDN)."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json",
                                   title=f"{app.title}: API docs",
                                   swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger/swagger-ui.css",
                                   swagger_favicon_url="/static/swagger/favicon-32x32.png")
