"""Whisper model resolution: packaged tiny.en, base joined with checksums, device and compute type."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from models import whisper
from models.whisper import (
    PackagedFile,
    base_is_ready,
    base_sources,
    load_whisper,
    prepare_base,
    resolve_compute_type,
    resolve_device,
    resolve_model,
    resolve_threads,
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_tiny_en_resolves_to_the_packaged_folder():
    folder = Path(resolve_model("tiny.en"))
    assert folder == whisper.tiny_en_dir() and (folder / "model.bin").is_file()
    assert whisper.verify_tiny_en() == folder


def test_other_names_and_paths_pass_through(tmp_path: Path):
    assert resolve_model("large-v3") == "large-v3"
    assert resolve_model("Systran/faster-distil-whisper-small.en") == "Systran/faster-distil-whisper-small.en"
    assert resolve_model(tmp_path) == str(tmp_path.resolve())


def test_auto_device_picks_cuda_only_when_present():
    assert resolve_device("auto", cuda_devices=0) == "cpu"
    assert resolve_device("auto", cuda_devices=2) == "cuda"
    assert resolve_device("cpu", cuda_devices=2) == "cpu"
    assert resolve_device("auto") in ("cpu", "cuda")  # asks CTranslate2 on this machine


def test_auto_compute_type():
    assert resolve_compute_type("auto", "cpu", {"float32", "int8", "int8_float32"}) == "int8"
    assert resolve_compute_type("auto", "cuda", {"float32", "float16", "int8_float16"}) == "float16"
    assert resolve_compute_type("auto", "cuda", {"float32", "int8"}) == "float32"  # old GPU without fp16
    assert resolve_compute_type("int8_float32", "cpu", set()) == "int8_float32"
    import ctranslate2

    assert resolve_compute_type("auto", "cpu") in ctranslate2.get_supported_compute_types("cpu")


def test_threads_zero_means_all_cores():
    assert resolve_threads(3) == 3 and resolve_threads(0) >= 1


def test_copy_checked_rejects_a_part_that_differs_from_its_record(tmp_path: Path):
    part = tmp_path / "model.bin.part1"
    part.write_bytes(b"abc")
    good = PackagedFile(part, 3, hashlib.sha256(b"abc").hexdigest())
    assert whisper._copy_checked([good, good], tmp_path / "joined")["size"] == 6
    with pytest.raises(ValueError, match="does not match its package checksum"):
        whisper._copy_checked([PackagedFile(part, 3, "0" * 64)], tmp_path / "x")
    with pytest.raises(ValueError, match="has 3 bytes, its package promises 4"):
        whisper._copy_checked([PackagedFile(part, 4, None)], tmp_path / "y")


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepare_base(tmp_path_factory.mktemp("models") / "whisper-base")


@pytest.mark.slow
def test_base_is_joined_once_with_a_checked_manifest(joined: Path):
    parts, shared = base_sources()
    assert all(p.sha256 and p.size for p in parts)  # the wheels' RECORD gives both
    manifest = json.loads((joined / "manifest.json").read_text())
    model = joined / "model.bin"
    assert model.stat().st_size == sum(p.size or 0 for p in parts) == manifest["model.bin"]["size"]
    assert sha256(model) == manifest["model.bin"]["sha256"]
    for f in shared:
        assert sha256(joined / f.path.name) == f.sha256
    assert not list(joined.parent.glob(".*tmp*"))  # the temporary folder is gone
    before = model.stat().st_mtime_ns
    assert prepare_base(joined) == joined and model.stat().st_mtime_ns == before  # not joined again


@pytest.mark.slow
def test_a_damaged_join_is_redone(joined: Path):
    model = joined / "model.bin"
    size = model.stat().st_size
    with model.open("r+b") as fh:  # same size, different bytes: only --verify notices
        fh.seek(size // 2)
        fh.write(b"\0" * 64)
    assert base_is_ready(joined)
    prepare_base(joined, verify=True)
    assert sha256(model) == json.loads((joined / "manifest.json").read_text())["model.bin"]["sha256"]
    with model.open("r+b") as fh:  # cut short: noticed without hashing
        fh.truncate(size // 2)
    assert not base_is_ready(joined)
    prepare_base(joined)
    assert base_is_ready(joined) and model.stat().st_size == size


@pytest.mark.slow
def test_one_cached_model_per_setting(joined: Path):
    tiny = load_whisper("tiny.en", "auto", "auto", 1)
    device = resolve_device("auto")
    assert load_whisper("tiny.en", device, resolve_compute_type("auto", device), 1) is tiny
    assert load_whisper(whisper.tiny_en_dir(), "auto", "auto", 1) is tiny
    assert load_whisper("tiny.en", "cpu", "float32", 1) is not tiny
    base = load_whisper("base", "cpu", "int8", 1, cache_dir=joined)
    assert base is not tiny and base.model.is_multilingual
