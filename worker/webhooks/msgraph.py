"""Microsoft Graph change notifications for Teams call recordings and transcripts.

No signature header: Graph proves itself by echoing the subscription's ``clientState`` (compared
in constant time) and by answering the ``validationToken`` handshake. Recording and transcript
notifications become remote sources the job reads through Graph with an app token
(client-credentials grant); lifecycle notifications are logged and ``reauthorizationRequired``
is answered by reauthorizing the subscription.
"""
from __future__ import annotations

import hmac
import re
from typing import Any

import httpx

from pipelines.errors import TransientError
from worker.logs import event
from worker.remote_source import Delivery, RemoteSource
from worker.settings import Settings
from worker.webhooks import NotConfiguredError, SignatureError

SOURCE = "msgraph"
RESOURCE = re.compile(
    r"communications/onlineMeetings\('?([^'/)]+)'?\)/(recordings|transcripts)\('?([^'/)]+)'?\)")
LIFECYCLE = ("reauthorizationRequired", "missed", "subscriptionRemoved")


def check_client_state(expected: str, notification: dict[str, Any]) -> None:
    got = str(notification.get("clientState") or "")
    if not hmac.compare_digest(got.encode(), expected.encode()):
        raise SignatureError("clientState does not match our subscription's")


def delivery(note: dict[str, Any], account_id: str, base_url: str) -> Delivery | None:
    """The remote input of a callRecording/callTranscript ``created`` notification."""
    if note.get("changeType") != "created":
        return None
    found = RESOURCE.search(str(note.get("resource") or ""))
    if not found:
        return None
    meeting, what, item = found.groups()
    content = f"{base_url.rstrip('/')}/communications/onlineMeetings/{meeting}/{what}/{item}/content"
    if what == "transcripts":
        src = RemoteSource(kind="transcript", url=content + "?$format=text/vtt", suffix=".vtt",
                           auth={"scheme": "msgraph"})
    else:
        src = RemoteSource(kind="recording", url=content, suffix=".mp4", auth={"scheme": "msgraph"})
    return Delivery(source=SOURCE, event_key=f"{what}:{meeting}:{item}", subject=meeting,
                    account_id=account_id, title="Teams meeting", sources=[src])


def app_token(settings: Settings) -> str:
    """An app-only Graph access token (client-credentials grant)."""
    if not (settings.msgraph_tenant_id and settings.msgraph_client_id and settings.msgraph_client_secret):
        raise NotConfiguredError("set AW_MSGRAPH_TENANT_ID, AW_MSGRAPH_CLIENT_ID and "
                                 "AW_MSGRAPH_CLIENT_SECRET")
    url = settings.msgraph_token_url.replace("{tenant}", settings.msgraph_tenant_id)
    form = {"grant_type": "client_credentials", "client_id": settings.msgraph_client_id,
            "client_secret": settings.msgraph_client_secret,
            "scope": "https://graph.microsoft.com/.default"}
    return _token(url, form)


def _token(url: str, form: dict[str, str]) -> str:
    try:
        resp = httpx.post(url, data=form, timeout=30.0, trust_env=False)
    except httpx.HTTPError as e:
        raise TransientError(f"token endpoint {url}: {e}") from e
    if resp.status_code >= 500 or resp.status_code == 429:
        raise TransientError(f"token endpoint {url} answered {resp.status_code}")
    if resp.status_code != 200 or "access_token" not in resp.json():
        raise NotConfiguredError(f"token endpoint {url} refused the app credentials ({resp.status_code})")
    return str(resp.json()["access_token"])


def handle_lifecycle(settings: Settings, note: dict[str, Any]) -> None:
    """Log a lifecycle notification; reauthorize the subscription when Graph asks to."""
    kind, sub = note.get("lifecycleEvent"), str(note.get("subscriptionId") or "")
    event("msgraph.lifecycle", level=30, lifecycle=kind, subscription_id=sub,
          expires=note.get("subscriptionExpirationDateTime"))
    if kind != "reauthorizationRequired" or not re.fullmatch(r"[\w-]{1,100}", sub):
        return
    try:
        token = app_token(settings)
        resp = httpx.post(f"{settings.msgraph_base_url.rstrip('/')}/subscriptions/{sub}/reauthorize",
                          headers={"Authorization": f"Bearer {token}"}, timeout=30.0, trust_env=False)
        event("msgraph.reauthorized", subscription_id=sub, status=resp.status_code)
    except Exception as e:  # recorded: the subscription owner must renew it by hand
        event("msgraph.reauthorize_failed", level=40, subscription_id=sub, error=str(e))
