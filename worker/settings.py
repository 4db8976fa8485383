"""The one settings object, read from the environment (prefix ``AW_``).

Every tunable of the service lives here with its default and why; nothing else reads
``os.environ``. The README's settings table is generated from these fields.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as _SourceError

from pipelines.limits import Limits
from pipelines.worksheet import DEFAULT_QUESTIONS

_LIMITS = Limits.model_fields


class SettingsError(ValueError):
    """A setting from the environment that cannot be used; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AW_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("./data"),
        description="Where the embedded defaults keep their files (SQLite database, recordings, "
        "artifacts, joined model files).",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the account store, e.g. postgresql+psycopg://user@host/db. "
        "Unset: a SQLite file in the data dir.",
    )
    redis_url: str | None = Field(
        default=None, description="Redis URL for the RQ queue. Unset: jobs run in-process."
    )
    storage_url: str | None = Field(
        default=None,
        description="Object storage: a folder path, or s3://bucket/prefix. Unset: <data dir>/objects.",
    )
    s3_endpoint_url: str | None = Field(
        default=None, description="Endpoint of an S3-compatible store (MinIO, R2, ...). Unset: AWS."
    )
    whisper_model: str = Field(
        default="tiny.en",
        description="faster-whisper model: tiny.en and base come offline from pip packages; any other "
        "name (small.en, large-v3, distil-large-v3) or a local CTranslate2 folder also works.",
    )
    device: str = Field(default="auto", description="cpu, cuda or auto (CUDA when present).")
    compute_type: str = Field(
        default="auto", description="CTranslate2 compute type; auto = int8 on CPU, float16 on CUDA."
    )
    cpu_threads: int = Field(default=0, description="Threads for ASR on the CPU; 0 = all cores.")
    asr_batch_size: int = Field(
        default=1, description="Batched faster-whisper inference (> 1: ~1.5-2.3x faster on CPU but drops "
        "words in overlapping meeting speech, see bench/transcribe.py); 0 or 1 = sequential decoding."
    )
    language: str | None = Field(default=None, description="Spoken language; unset = detect.")
    vad_min_silence_ms: int = Field(
        default=500, description="Silence (ms) that splits speech regions for VAD."
    )
    max_upload_mb: int = Field(default=2048, description="Largest recording accepted, in MiB.")
    max_duration_s: float = Field(
        default=4 * 3600, description="Longest recording accepted, in seconds."
    )
    job_timeout_per_audio_min: float = Field(
        default=60.0, description="Job timeout: seconds allowed per minute of audio (plus a base)."
    )
    job_timeout_base_s: float = Field(default=300.0, description="Job timeout base, seconds.")
    job_retries: int = Field(default=3, description="Retries of a job after a transient error.")
    queues: Annotated[list[str], NoDecode] = Field(
        default=["default"], description="RQ queue names a worker listens on; comma-separated."
    )
    sync_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Outbound webhook URLs (CRM bridge) that get each account revision; comma-separated.",
    )
    sync_secret: str | None = Field(
        default=None, description="Shared secret for the HMAC-SHA256 signature of outbound events."
    )
    log_level: str = Field(default="INFO", description="Log level of the JSON logs.")
    sync_max_attempts: int = Field(
        default=12, ge=1,
        description="Delivery attempts per outbound event and URL before it is marked failed (with "
        "AW_SYNC_BACKOFF_S=1 doubling, 12 attempts span about an hour of CRM downtime).",
    )
    sync_backoff_s: float = Field(
        default=1.0, description="First wait between delivery attempts; doubles after each failure."
    )
    sync_timeout_s: float = Field(default=10.0, description="HTTP timeout of one outbound delivery.")
    job_retry_backoff_s: Annotated[list[int], NoDecode] = Field(
        default=[10, 60, 300],
        description="Waits (s) before the 1st, 2nd, 3rd... retry of a job; comma-separated.",
    )
    heartbeat_s: float = Field(
        default=10.0, description="How often a running job proves it is alive (watchdog heartbeat)."
    )
    stale_after_s: float = Field(
        default=60.0,
        description="A started job without a heartbeat for this long (worker killed, or stuck in "
        "native code) is requeued by the watchdog of another worker.",
    )

    watchdog_max_recoveries: int = Field(
        default=3, ge=0,
        description="Times the watchdog requeues a job whose worker was lost (killed, out of memory, "
        "stuck) before it fails the meeting instead (a recording that kills every worker).",
    )
    stuck_grace_s: float = Field(
        default=30.0, gt=0,
        description="How long past its timeout a job stuck in native code may run before its worker "
        "process is ended (the watchdog then requeues the job).",
    )
    orphan_scan_every: int = Field(
        default=12, ge=1,
        description="Worker maintenance ticks (each min(AW_HEARTBEAT_S, 5) s) between two scans of the "
        "database for in-flight meetings whose job Redis lost.",
    )
    job_result_ttl_s: int = Field(
        default=7 * 24 * 3600, ge=0, description="How long Redis keeps a finished job's result, seconds."
    )
    job_failure_ttl_s: int = Field(
        default=30 * 24 * 3600, ge=0,
        description="How long Redis keeps a failed job for inspection, seconds.",
    )
    s3_multipart_mb: int = Field(
        default=16, ge=5,
        description="Files larger than this (MiB) go to S3 as a multipart upload in parts of this "
        "size (S3's smallest part is 5 MiB).",
    )
    embedded_poll_s: float = Field(
        default=1.0, gt=0,
        description="Without AW_REDIS_URL, how often the worker that `serve` starts looks for queued "
        "meetings in the database (the meeting rows are its queue).",
    )
    upload_url_expiry_s: int = Field(
        default=900, ge=60, le=7 * 24 * 3600,
        description="Lifetime of a presigned upload (POST /v1/uploads, S3 storage only), seconds.",
    )
    worksheet_questions: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_QUESTIONS),
        description="The account worksheet's questions, as a JSON object {key: question}. The keys "
        "why_bought, success, changed, obstacles and next are answered from the record by each "
        "meeting (as proposals to review); a question under another key is answered by hand.",
    )
    advocacy_expiry_days: int = Field(
        default=90, ge=1,
        description="Days an advocacy flag stays up without an ask recorded (made, accepted or "
        "declined) before it expires.",
    )
    portfolio_quiet_days: int = Field(
        default=60, ge=1,
        description="The portfolio lists an account with no meeting in this many days.",
    )
    webhook_account_id: str | None = Field(
        default=None,
        description="Account that meetings reported by Zoom, Teams and Google Meet webhooks are filed "
        "under (their payloads do not name our account). Unset: those webhooks answer 404 (not enabled).",
    )
    webhook_tolerance_s: int = Field(
        default=300, ge=1,
        description="Oldest webhook timestamp accepted (Zoom, Standard Webhooks), seconds; older "
        "deliveries are refused as replays.",
    )
    zoom_webhook_secret: str | None = Field(
        default=None, description="Zoom app's Secret Token (signs x-zm-signature). Unset: /v1/webhooks/zoom "
        "answers 404 (not enabled).",
    )
    recording_webhook_secret: str | None = Field(
        default=None,
        description="Standard Webhooks secret (whsec_...) of POST /v1/webhooks/recording. Unset: 404.",
    )
    msgraph_client_state: str | None = Field(
        default=None, description="clientState of our Graph subscriptions; notifications carrying another "
        "are dropped. Unset: /v1/webhooks/msgraph answers 404 (validation handshakes still pass).",
    )
    msgraph_tenant_id: str | None = Field(default=None, description="Azure AD tenant of the Graph app.")
    msgraph_client_id: str | None = Field(
        default=None, description="Application (client) id of the Graph app."
    )
    msgraph_client_secret: str | None = Field(default=None, description="Client secret of the Graph app.")
    msgraph_token_url: str = Field(
        default="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        description="OAuth2 token endpoint of the Graph app ({tenant} is replaced).",
    )
    msgraph_base_url: str = Field(
        default="https://graph.microsoft.com/v1.0", description="Microsoft Graph API base URL."
    )
    google_audience: str | None = Field(
        default=None, description="Expected audience (aud) of the Pub/Sub push OIDC token: the push "
        "subscription's audience, usually the endpoint URL. Unset: /v1/webhooks/google-meet answers 404.",
    )
    google_push_email: str | None = Field(
        default=None, description="Service account the push subscription signs as (email claim); unset: any.",
    )
    google_issuers: Annotated[list[str], NoDecode] = Field(
        default=["https://accounts.google.com", "accounts.google.com"],
        description="Accepted issuers (iss) of the push OIDC token; comma-separated.",
    )
    google_jwks_url: str = Field(
        default="https://www.googleapis.com/oauth2/v3/certs",
        description="Keys that sign the push OIDC tokens: a JWKS URL or a local JWKS file path.",
    )
    google_credentials_file: Path | None = Field(
        default=None, description="Service-account JSON key used in the job to read Meet recordings and "
        "transcripts (domain-wide delegation); its token_uri is where tokens are obtained.",
    )
    google_subject: str | None = Field(
        default=None, description="Workspace user the service account acts for (delegation); unset: itself.",
    )
    google_meet_api_url: str = Field(
        default="https://meet.googleapis.com/v2", description="Google Meet REST API base URL."
    )
    google_drive_api_url: str = Field(
        default="https://www.googleapis.com/drive/v3",
        description="Google Drive API base URL (recording files).",
    )
    fetch_allow_networks: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Private, loopback or link-local networks (CIDR, comma-separated) remote downloads may "
        "reach, e.g. 10.0.0.0/8 for a platform on the LAN or 127.0.0.1/32 in tests. Any other such address "
        "is refused, also after DNS resolution and on every redirect.",
    )
    fetch_timeout_s: float = Field(
        default=600.0, gt=0, description="Longest a remote download may take, seconds (plus 10 s to connect)."
    )

    web_session_hours: float = Field(
        default=12.0, gt=0, description="How long a review-page sign-in lasts, hours."
    )
    web_secure_cookie: bool = Field(
        default=False,
        description="Mark the review page's session cookie Secure (sent over HTTPS only); set it when "
        "the service is reached through HTTPS.",
    )

    review_min_confidence: float = Field(
        default=0.6, ge=0.0, le=1.0,
        description="Review policy: the confidence below which a highlight of a category set to "
        "'confidence' waits as a proposal until a CSM accepts it (per category on /admin/policy).",
    )
    review_policy: str = Field(
        default="apply", pattern="^(apply|recommended)$",
        description="Review policy of categories not set on /admin/policy: apply (every change goes "
        "into the record at once, reversible) or recommended (stakeholder changes wait for a CSM, "
        "others wait below AW_REVIEW_MIN_CONFIDENCE).",
    )

    max_transcript_cues: int = Field(
        default=_LIMITS["max_cues"].default, ge=1,
        description="Most cues (or lines, utterances, turns) of an imported transcript.",
    )
    max_transcript_chars: int = Field(
        default=_LIMITS["max_chars"].default, ge=1,
        description="Most characters of an imported transcript's text (the file may be 8x larger).",
    )
    max_account_items: int = Field(
        default=_LIMITS["max_account_items"].default, ge=1,
        description="Most goals + stakeholders + vendor team members of an imported account.",
    )
    max_json_depth: int = Field(
        default=_LIMITS["max_json_depth"].default, ge=2,
        description="Deepest nesting of an account or transcript JSON file.",
    )

    @field_validator("queues", "sync_urls", "job_retry_backoff_s", "google_issuers",
                     "fetch_allow_networks", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        """A list from the environment: comma-separated (``a,b``) or a JSON list (``["a","b"]``)."""
        return text_list(value)

    @field_validator("sync_urls")
    @classmethod
    def _http_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) == 0:
                raise ValueError(f"{url!r} is not an http(s):// URL")
        return urls

    @property
    def limits(self) -> Limits:
        """The input limits the pipelines enforce (AW_MAX_TRANSCRIPT_*, AW_MAX_ACCOUNT_ITEMS...)."""
        return Limits(max_cues=self.max_transcript_cues, max_chars=self.max_transcript_chars,
                      max_duration_s=self.max_duration_s, max_account_items=self.max_account_items,
                      max_json_depth=self.max_json_depth)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'alignment.db').resolve()}"

    @property
    def resolved_storage_url(self) -> str:
        return self.storage_url or str((self.data_dir / "objects").resolve())


def text_list(value: Any) -> Any:
    """A list written as text, comma-separated (``a, b``) or as JSON (``["a","b"]``); anything
    that is not text is returned as it is. Raises ValueError for broken JSON."""
    if not isinstance(value, str):
        return value
    if value.strip().startswith("["):
        try:
            return json.loads(value)
        except json.JSONDecodeError as e:
            raise ValueError(f"not a JSON list ({e.msg}); or write the values comma-separated") from None
    return [v.strip() for v in value.split(",") if v.strip()]


def default(name: str) -> Any:
    """A setting's default, for functions that take it as a parameter (one source of truth)."""
    return Settings.model_fields[name].get_default(call_default_factory=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own ``Settings``).

    Raises :class:`SettingsError` naming the variable (``AW_CPU_THREADS: ...``) for a bad value.
    """
    try:
        return Settings()
    except ValidationError as e:
        raise SettingsError(_explain(e)) from None
    except _SourceError as e:
        raise SettingsError(str(e)) from None


def _explain(error: ValidationError) -> str:
    """``AW_X: what is wrong (got 'value')`` for each bad setting, one per line."""
    lines = []
    for err in error.errors():
        name = f"AW_{str(err['loc'][0]).upper()}" if err["loc"] else "settings"
        msg = str(err["msg"]).removeprefix("Value error, ")
        got = err.get("input")
        shown = f" (got {got!r})" if isinstance(got, str | int | float) else ""
        lines.append(f"{name}: {msg}{shown}")
    return "\n".join(dict.fromkeys(lines))


def settings_table() -> str:
    """The README's settings table, made from the fields above (``python -m worker.settings``)."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        shown = "unset" if default is None else f"`{json.dumps(default, default=str)}`"
        rows.append(f"| `AW_{name.upper()}` | {shown} | {field.description or ''} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(settings_table())
