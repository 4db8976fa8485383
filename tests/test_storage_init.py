"""``alignment-worker storage init``: creates a missing bucket (or folder) and proves a round trip."""
from __future__ import annotations

import boto3
import pytest
import typer
from servers import moto_server
from typer.testing import CliRunner

from worker.commands import storage
from worker.settings import get_settings


@pytest.fixture
def run(monkeypatch):
    app = typer.Typer()
    storage.register(app)

    def invoke(env: dict[str, str], *args: str):  # noqa: ANN202
        for var, value in env.items():
            monkeypatch.setenv(var, value)
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, ["storage", "init", *args])
        finally:
            get_settings.cache_clear()

    return invoke


def test_creates_the_bucket_once_and_round_trips(run):
    with moto_server() as endpoint:
        env = {"AW_STORAGE_URL": "s3://fresh-bucket/aw", "AW_S3_ENDPOINT_URL": endpoint}
        first = run(env)
        assert first.exit_code == 0, first.output
        assert "created bucket fresh-bucket" in first.output
        again = run(env)
        assert again.exit_code == 0 and "created bucket" not in again.output
        s3 = boto3.client("s3", endpoint_url=endpoint)
        assert s3.list_objects_v2(Bucket="fresh-bucket").get("KeyCount", 0) == 0  # probe removed


def test_a_folder_store_is_made_ready(run, tmp_path):
    result = run({"AW_STORAGE_URL": str(tmp_path / "objects")})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "objects").is_dir()


def test_an_unreachable_store_fails_with_the_reason(run):
    env = {"AW_STORAGE_URL": "s3://b/aw", "AW_S3_ENDPOINT_URL": "http://127.0.0.1:9"}
    result = run(env, "--wait", "0")
    assert result.exit_code == 1
    assert "not ready" in result.output
