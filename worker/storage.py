"""Object storage for recordings and stage artifacts: one interface, a local folder or S3.

Keys are ``/``-separated relative paths (``meetings/<id>/transcribe-<sha>.json``). Both backends
raise :class:`~pipelines.errors.TransientError` when the store itself fails, so a job retries,
:class:`StorageConfigError` when the store refuses us (missing bucket, bad credentials: retrying
will not help), and ``FileNotFoundError`` for a key that is not there.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

from pipelines.errors import PipelineError, TransientError
from worker.settings import Settings, SettingsError, default, get_settings

CONFIG_ERROR_CODES = frozenset({
    "AccessDenied", "AllAccessDisabled", "NoSuchBucket", "InvalidAccessKeyId", "SignatureDoesNotMatch",
    "InvalidBucketName", "AuthorizationHeaderMalformed", "ExpiredToken", "InvalidToken", "403",
})
"""S3 error codes that mean the store is set up wrong for us, not that it is down."""

CHUNK = 256 * 1024
"""Bytes per chunk of a ranged read."""


class StorageConfigError(PipelineError):
    """The object store refuses us (missing bucket, wrong credentials): fix the settings; no retry."""


@runtime_checkable
class Storage(Protocol):
    """What the service needs from an object store."""

    def put_file(self, key: str, path: str | Path) -> None: ...
    def put_bytes(self, key: str, data: bytes) -> None: ...
    def get_bytes(self, key: str) -> bytes: ...
    def open(self, key: str) -> IO[bytes]: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def url(self, key: str) -> str: ...
    def size(self, key: str) -> int: ...
    def read_range(self, key: str, start: int, end: int) -> Iterator[bytes]: ...
    def keys(self, prefix: str) -> list[str]: ...


def _check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"invalid storage key {key!r}: use a relative path like meetings/<id>/x.json")
    return key


class LocalStorage:
    """A folder; writes go to a temporary file first and are renamed into place (atomic)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise SettingsError(f"AW_STORAGE_URL / AW_DATA_DIR: cannot create the storage folder {self.root} "
                                f"({e.strerror}); choose a writable folder") from None

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    @contextmanager
    def _atomic(self, key: str) -> Iterator[IO[bytes]]:
        dest = self._path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def put_file(self, key: str, path: str | Path) -> None:
        with self._atomic(key) as out, open(path, "rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)

    def put_bytes(self, key: str, data: bytes) -> None:
        with self._atomic(key) as out:
            out.write(data)

    def get_bytes(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def open(self, key: str) -> IO[bytes]:
        return self._path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def url(self, key: str) -> str:
        return self._path(key).as_uri()

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            raise FileNotFoundError(self.url(key)) from None

    def read_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes ``start`` to ``end`` (inclusive) of the object, in chunks."""
        with self._path(key).open("rb") as f:
            f.seek(start)
            left = end - start + 1
            while left > 0:
                chunk = f.read(min(left, CHUNK))
                if not chunk:
                    return
                left -= len(chunk)
                yield chunk

    def keys(self, prefix: str) -> list[str]:
        """Keys under the folder ``prefix``, oldest first (by modification time)."""
        folder = self._path(prefix.rstrip("/"))
        files = [p for p in folder.glob("*") if p.is_file() and not p.name.startswith(".tmp-")]
        files.sort(key=lambda p: (p.stat().st_mtime_ns, p.name))
        return [p.relative_to(self.root).as_posix() for p in files]

    def local_path(self, key: str) -> Path:
        """The file behind ``key`` (local storage only: stages read recordings from disk)."""
        return self._path(key)


class S3Storage:
    """An S3 bucket (AWS or any S3-compatible store via ``endpoint_url``), keys under ``prefix``."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None,
                 client: Any = None, multipart_mb: int = default("s3_multipart_mb")) -> None:
        import boto3
        from boto3.s3.transfer import TransferConfig

        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.client: Any = client or boto3.client("s3", endpoint_url=endpoint_url)
        part = multipart_mb * 1024 * 1024  # larger files go up as multipart, in parts of this size
        self.transfer = TransferConfig(multipart_threshold=part, multipart_chunksize=part)

    def _key(self, key: str) -> str:
        _check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    @contextmanager
    def _errors(self, key: str) -> Iterator[None]:
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except ClientError as e:
            raise self._mapped(e, key) from e
        except S3UploadFailedError as e:  # upload_file wraps the ClientError it got
            cause = e.__context__
            if isinstance(cause, ClientError):
                raise self._mapped(cause, key) from e
            raise TransientError(f"S3 upload to s3://{self.bucket}/{self._key(key)} failed: {e}") from e
        except BotoCoreError as e:
            raise TransientError(f"S3 unreachable for s3://{self.bucket}/{self._key(key)}: {e}") from e

    def _mapped(self, e: Any, key: str) -> Exception:
        """The exception a botocore ClientError stands for: missing key, set-up error or outage."""
        code = e.response.get("Error", {}).get("Code", "")
        if code in CONFIG_ERROR_CODES:
            return self._config_error(code)
        if code in ("NoSuchKey", "404", "NotFound"):
            if code != "NoSuchKey":  # a HEAD has no body: a missing bucket also says 404
                self._check_bucket()
            return FileNotFoundError(f"s3://{self.bucket}/{self._key(key)}")
        return TransientError(f"S3 error on s3://{self.bucket}/{self._key(key)}: {code or e}")

    def _config_error(self, code: str) -> StorageConfigError:
        return StorageConfigError(f"object storage s3://{self.bucket} refused access ({code}): "
                                  "check AW_STORAGE_URL / AW_S3_ENDPOINT_URL and the S3 credentials")

    def _check_bucket(self) -> None:
        """Raise :class:`StorageConfigError` if the bucket is missing or closed to us."""
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as e:
            code = e.response.get("Error", {}).get("Code", "")
            if code in CONFIG_ERROR_CODES or code in ("404", "NotFound"):
                raise self._config_error("NoSuchBucket" if code in ("404", "NotFound") else code) from e

    def put_file(self, key: str, path: str | Path) -> None:
        with self._errors(key):
            self.client.upload_file(str(path), self.bucket, self._key(key), Config=self.transfer)

    def put_bytes(self, key: str, data: bytes) -> None:
        with self._errors(key):
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def get_bytes(self, key: str) -> bytes:
        with self._errors(key):
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()

    def open(self, key: str) -> IO[bytes]:
        with self._errors(key):
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]

    def download(self, key: str, path: str | Path) -> None:
        """Copy an object to a local file (multipart, for recordings the stages decode)."""
        with self._errors(key):
            self.client.download_file(self.bucket, self._key(key), str(path), Config=self.transfer)

    def exists(self, key: str) -> bool:
        try:
            with self._errors(key):
                self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except FileNotFoundError:
            return False
        return True

    def delete(self, key: str) -> None:
        with self._errors(key):
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def url(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"

    def size(self, key: str) -> int:
        with self._errors(key):
            return int(self.client.head_object(Bucket=self.bucket, Key=self._key(key))["ContentLength"])

    def read_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes ``start`` to ``end`` (inclusive), one ranged GET read in chunks."""
        with self._errors(key):
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(key),
                                          Range=f"bytes={start}-{end}")["Body"]
            first = body.read(CHUNK)
        try:
            yield from chain([first], iter(lambda: body.read(CHUNK), b""))
        finally:
            body.close()

    def presigned_post(self, key: str, content_type: str, size: int, expires_s: int) -> dict[str, Any]:
        """A browser/client POST form (SigV4 policy) that can store exactly ``size`` bytes of
        ``content_type`` at ``key``, until ``expires_s`` from now; ``{"url", "fields"}``."""
        import boto3
        from botocore.config import Config

        signer = boto3.client("s3", endpoint_url=self.client.meta.endpoint_url,
                              region_name=self.client.meta.region_name,
                              config=Config(signature_version="s3v4"))
        conditions: list[Any] = [{"Content-Type": content_type}, ["content-length-range", size, size]]
        with self._errors(key):
            return signer.generate_presigned_post(  # type: ignore[no-any-return]
                self.bucket, self._key(key), Fields={"Content-Type": content_type},
                Conditions=conditions, ExpiresIn=expires_s)

    def keys(self, prefix: str) -> list[str]:
        """Keys under the folder ``prefix``, oldest first (by last-modified time)."""
        folder = self._key(prefix.rstrip("/")) + "/"
        found: list[tuple[Any, str]] = []
        with self._errors(prefix):
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                               Prefix=folder):
                found += [(o["LastModified"], o["Key"]) for o in page.get("Contents", [])
                          if "/" not in o["Key"][len(folder):]]
        cut = len(self.prefix) + 1 if self.prefix else 0
        return [k[cut:] for _, k in sorted(found)]


def storage_from_url(url: str, endpoint_url: str | None = None,
                     multipart_mb: int = default("s3_multipart_mb")) -> Storage:
    """``s3://bucket/prefix`` or a folder path."""
    if url.startswith("s3://"):
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        return S3Storage(bucket, prefix, endpoint_url=endpoint_url, multipart_mb=multipart_mb)
    return LocalStorage(url)


def storage_from_settings(settings: Settings | None = None) -> Storage:
    """The storage the settings name (``AW_STORAGE_URL``, ``AW_S3_ENDPOINT_URL``)."""
    s = settings or get_settings()
    return storage_from_url(s.resolved_storage_url, s.s3_endpoint_url, s.s3_multipart_mb)


@contextmanager
def local_copy(storage: Storage, key: str, suffix: str = "") -> Iterator[Path]:
    """A path on disk holding the object (the file itself for local storage, else a temp copy)."""
    if isinstance(storage, LocalStorage):
        path = storage.local_path(key)
        if not path.is_file():
            raise FileNotFoundError(storage.url(key))
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="aw-") as tmp:
        dest = Path(tmp) / f"object{suffix}"
        if isinstance(storage, S3Storage):
            storage.download(key, dest)
        else:
            with storage.open(key) as src, dest.open("wb") as out:
                shutil.copyfileobj(src, out, 1024 * 1024)
        yield dest
