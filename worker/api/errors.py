"""One error shape for every answer that is not a success: ``{"error": {code, message, detail}}``."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipelines.errors import BadInputError, PipelineError, TransientError
from worker.db.repo import NotFoundError
from worker.logs import event
from worker.storage import StorageConfigError


class ErrorBody(BaseModel):
    code: str = Field(max_length=60, description="machine-readable, e.g. not_found, too_large")
    message: str = Field(max_length=4000, description="what went wrong and what to do")
    detail: Any = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    """An error a route raises to answer with ``status`` and the one error shape."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.detail, self.headers = detail, headers


STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media",
                416: "range_not_satisfiable", 422: "invalid", 429: "too_many_requests",
                500: "internal", 503: "unavailable"}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": name.replace("_", " ")}
    for code, name in STATUS_CODES.items() if code in (401, 403, 404, 422)
}
"""Documented on every route (OpenAPI), so clients and schemathesis know the error shape."""


def error_response(status: int, code: str, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "detail": detail}}
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_detail(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")),
             "type": str(e.get("type", ""))} for e in exc.errors()]


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the one shape."""

    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.detail, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = STATUS_CODES.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc.detail), None, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid", "the request does not match the API schema: see detail",
                              _validation_detail(exc))

    @app.exception_handler(NotFoundError)
    async def _missing(_: Request, exc: NotFoundError) -> JSONResponse:
        return error_response(404, "not_found", str(exc).strip("'\""))

    @app.exception_handler(BadInputError)
    async def _bad(_: Request, exc: BadInputError) -> JSONResponse:
        return error_response(422, "invalid", str(exc))

    @app.exception_handler(TransientError)
    async def _down(_: Request, exc: TransientError) -> JSONResponse:
        event("api.unavailable", level=30, error=str(exc))
        return error_response(503, "unavailable", f"{exc}; try again shortly", None, {"Retry-After": "5"})

    @app.exception_handler(StorageConfigError)
    async def _storage(_: Request, exc: StorageConfigError) -> JSONResponse:
        event("api.storage_refused", level=40, error=str(exc))
        return error_response(503, "unavailable", str(exc))

    @app.exception_handler(PipelineError)
    async def _pipeline(_: Request, exc: PipelineError) -> JSONResponse:
        return error_response(422, "invalid", str(exc))

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        event("api.internal_error", level=40, error=f"{type(exc).__name__}: {exc}", exc_info=True)
        return error_response(500, "internal", "internal error; the server log has the details")
