"""A size limit for request bodies the API reads whole (JSON): 413 past ``max_bytes``, whether
the client announced the length or streamed it chunked. Multipart uploads are exempt: they
stream to disk with their own limits (:mod:`worker.api.multipart`)."""
from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from worker.api.errors import error_response

JSON_MAX_BYTES = 2 * 2**20
"""Largest non-upload request body (an account record, a review decision, a webhook event)."""


class _TooLarge(BaseException):
    """Not an ``Exception``: FastAPI turns any Exception while reading the body into a 400."""


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = JSON_MAX_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: dict[bytes, bytes] = dict(scope["headers"])
        if headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data"):
            await self.app(scope, receive, send)
            return
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen, started = 0, False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise _TooLarge
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, "too_large", f"the request body is over {self.max_bytes} bytes",
                                  {"limit_bytes": self.max_bytes}, {"Connection": "close"})
        await response(scope, receive, send)
