"""Meeting-platform webhooks (no API token: each platform signs its own deliveries).

Every route verifies before it parses, answers within milliseconds (downloads happen in the
job), records each platform event once (:mod:`worker.webhooks.delivery`), and refuses forged or
stale deliveries with 401, storing nothing but a log line.
"""
from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from worker.api.deps import QueueDep, ServicesDep
from worker.api.errors import ApiError, ErrorResponse
from worker.api.metrics import WEBHOOK_DELIVERIES
from worker.logs import event
from worker.remote_source import Delivery
from worker.services import Services
from worker.webhooks import NotConfiguredError, SignatureError, google_meet, msgraph, standard, zoom
from worker.webhooks.delivery import accept

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

MAX_BODY = 1024 * 1024
"""Largest webhook body read (platform events are a few KiB)."""


class WebhookAck(BaseModel):
    """What became of a delivery."""

    status: Literal["accepted", "duplicate", "ignored"]
    meeting_id: str | None = Field(default=None, max_length=100)
    status_url: str | None = Field(default=None, max_length=200)


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": what} for code, what in (
        (401, "signature, token or timestamp refused"),
        (404, "webhook not enabled (its secret is not set), or the account is not found"),
        (413, "body too large"), (422, "body is not a valid event"))}


class ZoomValidation(BaseModel):
    """The answer to Zoom's ``endpoint.url_validation``."""

    plainToken: str = Field(max_length=200)  # noqa: N815 - Zoom's field names
    encryptedToken: str = Field(max_length=64)  # noqa: N815


Responses = dict[int | str, dict[str, Any]]
ACK_200: Responses = {200: {"model": WebhookAck, "description": "a replayed event (duplicate) or one we "
                            "do not use"}}
RESPONSES: Responses = {**ERRORS, **ACK_200}
ZOOM_RESPONSES: Responses = {**ERRORS, 200: {
    "model": WebhookAck | ZoomValidation, "description": "url validation answer, replay or unused event"}}
GRAPH_RESPONSES: Responses = {**ERRORS, 200: {
    "content": {"text/plain": {"schema": {"type": "string"}}},
    "description": "the validationToken echoed (subscription handshake)"}}
RECORDING_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": standard.RecordingEvent.model_json_schema()}}}}


async def _body(request: Request) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise ApiError(413, "too_large", f"webhook bodies are at most {MAX_BODY} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _refused(source: str, request: Request, reason: str) -> ApiError:
    WEBHOOK_DELIVERIES.labels(source=source, result="refused").inc()
    event("webhook.refused", level=30, source=source, reason=reason,
          client=request.client.host if request.client else None)
    return ApiError(401, "unauthorized", f"{source} webhook refused: {reason}")


def _unconfigured(source: str, what: str) -> ApiError:
    """A webhook whose secret (or account) is not set is not enabled: 404, saying what to set."""
    WEBHOOK_DELIVERIES.labels(source=source, result="not_enabled").inc()
    return ApiError(404, "not_found", f"the {source} webhook is not enabled: set {what}")


def _json(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, else 422."""
    try:
        body = json.loads(raw)
    except ValueError as e:
        raise ApiError(422, "invalid", f"the body is not JSON: {e}") from e
    if not isinstance(body, dict):
        raise ApiError(422, "invalid", "the body is not a JSON object")
    return body


def _account(svc: Services, source: str) -> str:
    if not svc.settings.webhook_account_id:
        raise _unconfigured(source, "AW_WEBHOOK_ACCOUNT_ID")
    return svc.settings.webhook_account_id


async def _accept(svc: Services, queue: QueueDep, d: Delivery | None, source: str,
                  ack_status: int = 200) -> JSONResponse:
    """Record the delivery; 202 when accepted, ``ack_status`` for a replay or an unused event."""
    if d is None:
        WEBHOOK_DELIVERIES.labels(source=source, result="ignored").inc()
        return JSONResponse(WebhookAck(status="ignored").model_dump(), status_code=ack_status)
    out = await run_in_threadpool(accept, svc, queue, d)
    WEBHOOK_DELIVERIES.labels(source=source, result="duplicate" if out.duplicate else "accepted").inc()
    ack = WebhookAck(status="duplicate" if out.duplicate else "accepted", meeting_id=out.meeting_id,
                     status_url=f"/v1/meetings/{out.meeting_id}" if out.meeting_id else None)
    return JSONResponse(ack.model_dump(), status_code=ack_status if out.duplicate else 202)


@router.post("/zoom", response_model=WebhookAck, status_code=202, responses=ZOOM_RESPONSES)
async def zoom_webhook(request: Request, svc: ServicesDep, queue: QueueDep) -> Response:
    """Zoom: ``endpoint.url_validation`` answered, ``recording.completed`` makes the meeting,
    ``recording.transcript_completed`` adds its transcript (``x-zm-signature`` checked)."""
    secret = svc.settings.zoom_webhook_secret
    if not secret:
        raise _unconfigured("zoom", "AW_ZOOM_WEBHOOK_SECRET")
    raw = await _body(request)
    try:
        zoom.verify(secret, request.headers.get("x-zm-request-timestamp"),
                    request.headers.get("x-zm-signature"), raw, svc.settings.webhook_tolerance_s)
    except SignatureError as e:
        raise _refused("zoom", request, str(e)) from e
    body = _json(raw)
    if body.get("event") == "endpoint.url_validation":
        WEBHOOK_DELIVERIES.labels(source="zoom", result="validation").inc()
        payload = body.get("payload")
        plain = str(payload.get("plainToken") or "")[:200] if isinstance(payload, dict) else ""
        return JSONResponse(zoom.url_validation(secret, plain))
    d = zoom.delivery(body, _account(svc, "zoom")) if body.get("event") in zoom.RECORDING_EVENTS else None
    return await _accept(svc, queue, d, "zoom")


@router.post("/msgraph", response_model=WebhookAck, status_code=202, responses=GRAPH_RESPONSES)
async def msgraph_webhook(request: Request, svc: ServicesDep, queue: QueueDep, tasks: BackgroundTasks,
                          validation_token: str | None = Query(None, alias="validationToken",
                                                               max_length=2000)) -> Response:
    """Microsoft Graph change notifications (Teams call recordings and transcripts), their
    ``validationToken`` handshake and lifecycle notifications; ``clientState`` checked."""
    if validation_token is not None:
        WEBHOOK_DELIVERIES.labels(source="msgraph", result="validation").inc()
        return PlainTextResponse(validation_token)
    expected = svc.settings.msgraph_client_state
    if not expected:
        raise _unconfigured("msgraph", "AW_MSGRAPH_CLIENT_STATE")
    notes = _json(await _body(request)).get("value") or []
    trusted = []
    for note in [n for n in notes if isinstance(n, dict)] if isinstance(notes, list) else []:
        try:
            msgraph.check_client_state(expected, note)
            trusted.append(note)
        except SignatureError as e:
            event("webhook.refused", level=30, source="msgraph", reason=str(e),
                  subscription_id=note.get("subscriptionId"))
    if not trusted:
        raise _refused("msgraph", request, "no notification with our clientState")
    last: Response = JSONResponse(WebhookAck(status="ignored").model_dump(), status_code=202)
    for note in trusted:
        if note.get("lifecycleEvent"):
            WEBHOOK_DELIVERIES.labels(source="msgraph", result="lifecycle").inc()
            tasks.add_task(msgraph.handle_lifecycle, svc.settings, note)
            continue
        d = msgraph.delivery(note, _account(svc, "msgraph"), svc.settings.msgraph_base_url)
        last = await _accept(svc, queue, d, "msgraph", ack_status=202)
    return last


@router.post("/google-meet", response_model=WebhookAck, status_code=202, responses=RESPONSES)
async def google_meet_webhook(request: Request, svc: ServicesDep, queue: QueueDep) -> Response:
    """Google Meet events pushed by Cloud Pub/Sub (the push request's OIDC token checked):
    ``recording.v2.fileGenerated`` / ``transcript.v2.fileGenerated`` fetch the files in the job."""
    try:
        await run_in_threadpool(google_meet.verify_token, svc.settings, request.headers.get("authorization"))
    except NotConfiguredError as e:
        raise _unconfigured("google-meet", "AW_GOOGLE_AUDIENCE") from e
    except SignatureError as e:
        raise _refused("google-meet", request, str(e)) from e
    body = _json(await _body(request))
    d = google_meet.delivery(body, _account(svc, "google-meet"), svc.settings.google_meet_api_url)
    return await _accept(svc, queue, d, "google-meet")


@router.post("/recording", response_model=WebhookAck, status_code=202, responses=RESPONSES,
             openapi_extra=RECORDING_BODY)
async def recording_webhook(request: Request, svc: ServicesDep, queue: QueueDep) -> Response:
    """Any recorder: Standard Webhooks signature (``webhook-id``, ``webhook-timestamp``,
    ``webhook-signature``), a JSON body naming the account, the recording URL and optionally a
    transcript URL (see :class:`RecordingEvent`)."""
    secret = svc.settings.recording_webhook_secret
    if not secret:
        raise _unconfigured("recording", "AW_RECORDING_WEBHOOK_SECRET")
    raw = await _body(request)
    names = ("webhook-id", "webhook-timestamp", "webhook-signature")
    headers = {k: request.headers.get(k, "") for k in names}
    try:
        standard.verify(secret, raw, headers, svc.settings.webhook_tolerance_s)
    except SignatureError as e:
        raise _refused("recording", request, str(e)) from e
    try:
        body = standard.RecordingEvent.model_validate_json(raw)
    except ValidationError as e:
        raise ApiError(422, "invalid", "the body is not a recording event: see detail",
                       json.loads(e.json(include_url=False, include_input=False))) from e
    return await _accept(svc, queue, standard.delivery(headers["webhook-id"], body), "recording")
