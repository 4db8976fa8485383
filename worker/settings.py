"""The one settings object, read from the environment (prefix ``AW_``).

Every tunable of the service lives here with its default and why; nothing else reads
``os.environ``. The README's settings table is generated from these fields.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    queues: list[str] = Field(default=["default"], description="RQ queue names a worker listens on.")
    sync_urls: list[str] = Field(
        default_factory=list,
        description="Outbound webhook URLs (CRM bridge) that get each account revision; JSON list.",
    )
    sync_secret: str | None = Field(
        default=None, description="Shared secret for the HMAC-SHA256 signature of outbound events."
    )
    log_level: str = Field(default="INFO", description="Log level of the JSON logs.")
    sync_max_attempts: int = Field(default=5, description="Delivery attempts per outbound event and URL.")
    sync_backoff_s: float = Field(
        default=1.0, description="First wait between delivery attempts; doubles after each failure."
    )
    sync_timeout_s: float = Field(default=10.0, description="HTTP timeout of one outbound delivery.")
    job_retry_backoff_s: list[int] = Field(
        default=[10, 60, 300], description="Waits (s) before the 1st, 2nd, 3rd... retry of a job; JSON list."
    )
    heartbeat_s: float = Field(
        default=10.0, description="How often a running job proves it is alive (watchdog heartbeat)."
    )
    stale_after_s: float = Field(
        default=60.0,
        description="A started job without a heartbeat for this long (worker killed, or stuck in "
        "native code) is requeued by the watchdog of another worker.",
    )

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'alignment.db').resolve()}"

    @property
    def resolved_storage_url(self) -> str:
        return self.storage_url or str((self.data_dir / "objects").resolve())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own ``Settings``)."""
    return Settings()


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
