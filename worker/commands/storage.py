"""``alignment-worker storage init``: make the configured object storage ready and prove it works."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

from worker.console import console, fail

if TYPE_CHECKING:
    from worker.storage import S3Storage

OWNED = ("BucketAlreadyOwnedByYou", "BucketAlreadyExists")
"""Answers to create_bucket that mean another run created it first."""

storage_app = typer.Typer(help="The object storage of recordings and artifacts.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(storage_app, name="storage")


@storage_app.command("init")
def init(wait: Annotated[float, typer.Option(help="Seconds to wait for the store to answer.")] = 60.0,
         ) -> None:
    """Create the bucket (S3) or folder if missing, then write, read and delete a probe object."""
    from pipelines.errors import PipelineError
    from worker.settings import get_settings
    from worker.storage import S3Storage, storage_from_settings

    settings = get_settings()
    storage, where = storage_from_settings(settings), settings.resolved_storage_url
    deadline = time.monotonic() + wait
    while True:
        try:
            if isinstance(storage, S3Storage):
                _ensure_bucket(storage)
            storage.put_bytes("aw-probe/init", b"ok")
            ok = storage.get_bytes("aw-probe/init") == b"ok"
            storage.delete("aw-probe/init")
            break
        except (PipelineError, OSError) as e:
            if time.monotonic() > deadline:
                fail(f"storage {where} not ready after {wait:.0f} s: {e}")
            time.sleep(1.0)
    if not ok:
        fail(f"storage {where} returned something else than was written")
    console.print(f"storage ready: {where}", markup=False)


def _ensure_bucket(storage: S3Storage) -> None:
    """Create the bucket unless it exists (an S3-compatible store's first start)."""
    from botocore.exceptions import BotoCoreError, ClientError

    from pipelines.errors import TransientError

    try:
        storage.client.head_bucket(Bucket=storage.bucket)
        return
    except ClientError as e:
        if e.response.get("Error", {}).get("Code", "") not in ("404", "NoSuchBucket", "NotFound"):
            raise TransientError(f"bucket {storage.bucket}: {e}") from e
    except BotoCoreError as e:  # endpoint not up yet
        raise TransientError(str(e)) from e
    try:
        storage.client.create_bucket(Bucket=storage.bucket)
        console.print(f"created bucket {storage.bucket}", markup=False)
    except ClientError as e:
        if e.response.get("Error", {}).get("Code", "") not in OWNED:
            raise TransientError(f"cannot create bucket {storage.bucket}: {e}") from e
