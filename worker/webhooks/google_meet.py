"""Google Meet events (Workspace Events API) delivered by a Cloud Pub/Sub push subscription.

The push request carries an OIDC token (``Authorization: Bearer <JWT>``) signed by Google: its
RS256 signature is checked against the configured keys (a JWKS URL or file), and its issuer,
audience, expiry and (when set) service-account email. The CloudEvent's type is in the message
attributes (``ce-type``), the event data base64 in ``message.data``. ``recording.v2.fileGenerated``
and ``transcript.v2.fileGenerated`` name a resource; the job reads it through the Meet API with
a service-account token and downloads the recording from Drive / writes the transcript as VTT.
"""
from __future__ import annotations

import base64
import json
import time
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import jwt

from pipelines.errors import TransientError
from worker.remote_source import Delivery, RemoteSource
from worker.settings import Settings
from worker.webhooks import NotConfiguredError, SignatureError

SOURCE = "google-meet"
PREFIX = "google.workspace.meet."
FILE_EVENTS = {"recording.v2.fileGenerated": "recording", "transcript.v2.fileGenerated": "transcript"}
SCOPES = "https://www.googleapis.com/auth/meetings.space.readonly https://www.googleapis.com/auth/drive.readonly"


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600)


def signing_key(jwks: str, token: str) -> Any:
    """The key that signed ``token``, from a JWKS file path or URL."""
    if not jwks.startswith(("http://", "https://")):
        header = jwt.get_unverified_header(token)
        keys = jwt.PyJWKSet.from_dict(json.loads(Path(jwks).read_text()))
        for key in keys.keys:
            if key.key_id == header.get("kid"):
                return key.key
        raise SignatureError("the token's key id is not among the configured keys")
    return _jwks_client(jwks).get_signing_key_from_jwt(token).key


def verify_token(settings: Settings, authorization: str | None) -> dict[str, Any]:
    """The verified claims of the push request's OIDC token; :class:`SignatureError` otherwise."""
    if not settings.google_audience:
        raise NotConfiguredError("set AW_GOOGLE_AUDIENCE (the push subscription's audience)")
    if not authorization or not authorization.lower().startswith("bearer "):
        raise SignatureError("missing bearer token")
    token = authorization.split(" ", 1)[1].strip()
    try:
        key = signing_key(settings.google_jwks_url, token)
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=["RS256"], audience=settings.google_audience,
            issuer=settings.google_issuers, options={"require": ["exp", "iat", "iss", "aud"]})
    except (jwt.PyJWTError, ValueError, OSError) as e:
        raise SignatureError(f"push token refused: {e}") from e
    if settings.google_push_email and (claims.get("email") != settings.google_push_email
                                       or claims.get("email_verified") is False):
        raise SignatureError("push token is from another service account")
    return claims


def delivery(body: dict[str, Any], account_id: str, meet_api: str) -> Delivery | None:
    """The remote input of a fileGenerated event (None for other events)."""
    message = _object(body.get("message"))
    attrs = _object(message.get("attributes"))
    kind = FILE_EVENTS.get(str(attrs.get("ce-type", "")).removeprefix(PREFIX))
    if kind is None:
        return None
    try:
        data = _object(json.loads(base64.b64decode(str(message.get("data") or ""))))
    except ValueError:
        return None
    name = str(_object(data.get(kind)).get("name") or "")
    if not name.startswith("conferenceRecords/") or ".." in name:
        return None
    conference = "/".join(name.split("/")[:2])
    src = RemoteSource(kind=kind, url=f"{meet_api.rstrip('/')}/{name}",  # type: ignore[arg-type]
                       suffix=".mp4" if kind == "recording" else ".vtt",
                       auth={"scheme": "google", "resolve": kind})
    return Delivery(source=SOURCE, event_key=f"{kind}:{name}", subject=conference, account_id=account_id,
                    title="Google Meet meeting", sources=[src])


def _object(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (a malformed event is ignored)."""
    return value if isinstance(value, dict) else {}


def access_token(settings: Settings) -> str:
    """A service-account access token (JWT-bearer grant at the key file's ``token_uri``)."""
    if settings.google_credentials_file is None:
        raise NotConfiguredError("set AW_GOOGLE_CREDENTIALS_FILE (a service-account JSON key)")
    info = json.loads(settings.google_credentials_file.read_text())
    now = int(time.time())
    claims = {"iss": info["client_email"], "scope": SCOPES, "aud": info["token_uri"], "iat": now,
              "exp": now + 3600}
    if settings.google_subject:
        claims["sub"] = settings.google_subject
    assertion = jwt.encode(claims, info["private_key"], algorithm="RS256",
                           headers={"kid": info.get("private_key_id")})
    try:
        form = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion}
        resp = httpx.post(info["token_uri"], data=form, timeout=30.0, trust_env=False)
    except httpx.HTTPError as e:
        raise TransientError(f"Google token endpoint: {e}") from e
    if resp.status_code >= 500 or resp.status_code == 429:
        raise TransientError(f"Google token endpoint answered {resp.status_code}")
    if resp.status_code != 200:
        raise NotConfiguredError(f"Google token endpoint refused the service account ({resp.status_code})")
    return str(resp.json()["access_token"])


def api_get(url: str, token: str, params: dict[str, str] | None = None) -> dict[str, Any]:
    try:
        resp = httpx.get(url, params=params, headers={"Authorization": f"Bearer {token}"}, timeout=30.0,
                         trust_env=False)
    except httpx.HTTPError as e:
        raise TransientError(f"{url}: {e}") from e
    if resp.status_code >= 500 or resp.status_code == 429:
        raise TransientError(f"{url} answered {resp.status_code}")
    if resp.status_code != 200:
        from worker.remote_fetch import RemoteInputError

        raise RemoteInputError(f"{url} answered {resp.status_code}")
    return dict(resp.json())


def recording_file_url(settings: Settings, resource_url: str, token: str) -> str:
    """The Drive download URL of a Meet recording."""
    rec = api_get(resource_url, token)
    file_id = (rec.get("driveDestination") or {}).get("file")
    if not file_id:
        from worker.remote_fetch import RemoteInputError

        raise RemoteInputError(f"{resource_url}: the recording has no Drive file yet")
    return f"{settings.google_drive_api_url.rstrip('/')}/files/{file_id}?alt=media"


def transcript_vtt(settings: Settings, resource_url: str, token: str) -> str:
    """The transcript's entries as WebVTT with speaker names (times from the conference start)."""
    base = settings.google_meet_api_url.rstrip("/")
    conference = "/".join(resource_url.removeprefix(base + "/").split("/")[:2])
    start = _time(api_get(f"{base}/{conference}", token).get("startTime"))
    entries: list[dict[str, Any]] = []
    page: str | None = None
    while True:
        params = {"pageSize": "100", **({"pageToken": page} if page else {})}
        got = api_get(f"{resource_url}/entries", token, params)
        entries += got.get("transcriptEntries") or []
        page = got.get("nextPageToken")
        if not page:
            break
    names: dict[str, str] = {}
    lines = ["WEBVTT", ""]
    for e in entries:
        who = str(e.get("participant") or "")
        if who and who not in names:
            p = api_get(f"{base}/{who}", token)
            user = p.get("signedinUser") or p.get("anonymousUser") or p.get("phoneUser") or {}
            names[who] = str(user.get("displayName") or "Participant")
        a, b = _time(e.get("startTime")) - start, _time(e.get("endTime")) - start
        text = str(e.get("text") or "").replace("\n", " ").replace("<", "‹")
        lines += [f"{_ts(a)} --> {_ts(max(a, b))}", f"<v {names.get(who, 'Participant')}>{text}", ""]
    return "\n".join(lines)


def _time(value: Any) -> float:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp() if value else 0.0


def _ts(seconds: float) -> str:
    ms = int(round(max(0.0, seconds) * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
