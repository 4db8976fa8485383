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

    @field_validator("queues", "sync_urls", "job_retry_backoff_s", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        """A list from the environment: comma-separated (``a,b``) or a JSON list (``["a","b"]``)."""
        if not isinstance(value, str):
            return value
        if value.strip().startswith("["):
            try:
                return json.loads(value)
            except json.JSONDecodeError as e:
                raise ValueError(f"not a JSON list ({e.msg}); or write the values comma-separated") from e
        return [v.strip() for v in value.split(",") if v.strip()]

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
