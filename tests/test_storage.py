"""Storage: the local folder and S3 against a real S3-compatible server (moto_server) on loopback."""
from __future__ import annotations

import os
from pathlib import Path

import boto3
import pytest
from servers import moto_server

from pipelines.errors import TransientError
from worker.settings import Settings
from worker.storage import (
    LocalStorage,
    S3Storage,
    Storage,
    StorageConfigError,
    local_copy,
    storage_from_settings,
)


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_server() as url:
        yield url


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "objects")
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"aw-{tmp_path.name.lower().replace('_', '-')[-40:]}".strip("-")
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=bucket)
    return S3Storage(bucket, "pre/fix", endpoint_url=endpoint)


def test_round_trip(storage: Storage, tmp_path: Path):
    assert isinstance(storage, Storage)
    assert not storage.exists("meetings/m1/a.json")
    storage.put_bytes("meetings/m1/a.json", b'{"x": 1}')
    assert storage.exists("meetings/m1/a.json")
    assert storage.get_bytes("meetings/m1/a.json") == b'{"x": 1}'
    src = tmp_path / "rec.bin"
    src.write_bytes(os.urandom(3000))
    storage.put_file("meetings/m1/rec.bin", src)
    with storage.open("meetings/m1/rec.bin") as f:
        assert f.read() == src.read_bytes()
    with local_copy(storage, "meetings/m1/rec.bin", ".bin") as p:
        assert p.read_bytes() == src.read_bytes()
    storage.put_bytes("meetings/m1/a.json", b"{}")  # overwrite
    assert storage.get_bytes("meetings/m1/a.json") == b"{}"
    storage.delete("meetings/m1/a.json")
    assert not storage.exists("meetings/m1/a.json")
    with pytest.raises(FileNotFoundError):
        storage.get_bytes("meetings/m1/a.json")
    assert "meetings/m1/rec.bin" in storage.url("meetings/m1/rec.bin")


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "a//b"])
def test_bad_keys_are_refused(storage: Storage, key: str):
    with pytest.raises(ValueError):
        storage.put_bytes(key, b"x")


def test_local_writes_are_atomic(tmp_path: Path):
    s = LocalStorage(tmp_path)
    s.put_bytes("k/v.json", b"old")

    class Boom(Exception):
        pass

    with pytest.raises(Boom), s._atomic("k/v.json") as f:
        f.write(b"half")
        raise Boom
    assert s.get_bytes("k/v.json") == b"old"
    assert [p.name for p in (tmp_path / "k").iterdir()] == ["v.json"]


def test_s3_multipart_upload(s3_endpoint: str, tmp_path: Path):
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket="aw-multipart")
    s = storage_from_settings(Settings(storage_url="s3://aw-multipart", s3_endpoint_url=s3_endpoint,
                                       s3_multipart_mb=5))  # S3's smallest part
    assert isinstance(s, S3Storage)
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(11 * 1024 * 1024))
    s.put_file("rec/big.bin", big)
    head = s.client.head_object(Bucket="aw-multipart", Key="rec/big.bin")
    assert "-" in head["ETag"], "a multipart upload's ETag ends in -<parts>"
    assert s.get_bytes("rec/big.bin") == big.read_bytes()


def test_s3_store_down_is_transient(tmp_path: Path):
    from botocore.config import Config
    from servers import free_port

    client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{free_port()}",
                          config=Config(retries={"max_attempts": 1}, connect_timeout=1))
    s = S3Storage("nobucket", client=client)
    with pytest.raises(TransientError):
        s.put_bytes("a/b", b"x")


def test_missing_bucket_is_a_configuration_error_not_transient(s3_endpoint: str, tmp_path: Path):
    s = S3Storage("no-such-bucket", endpoint_url=s3_endpoint)
    src = tmp_path / "rec.flac"
    src.write_bytes(b"x" * 100)
    for call in (lambda: s.put_bytes("a/b", b"x"), lambda: s.put_file("a/c", src),
                 lambda: s.get_bytes("a/b"), lambda: s.exists("a/b")):
        with pytest.raises(StorageConfigError, match="AW_STORAGE_URL") as info:
            call()
        assert not isinstance(info.value, TransientError)
    with pytest.raises(StorageConfigError), local_copy(s, "a/b.flac", ".flac"):
        pass


def test_storage_from_settings(tmp_path: Path, s3_endpoint: str):
    local = storage_from_settings(Settings(data_dir=tmp_path))
    assert isinstance(local, LocalStorage) and local.root == (tmp_path / "objects").resolve()
    s3 = storage_from_settings(Settings(storage_url="s3://bkt/some/prefix", s3_endpoint_url=s3_endpoint))
    assert isinstance(s3, S3Storage) and s3.url("x") == "s3://bkt/some/prefix/x"
