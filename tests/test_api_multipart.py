"""The streaming multipart reader: fields and files, limits while streaming, malformed bodies;
on every refusal no spooled file is left."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from worker.api.errors import ApiError
from worker.api.multipart import MAX_FIELD_BYTES, read_form

B = "xYz"
CT = f"multipart/form-data; boundary={B}"


def part(name: str, data: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return f"--{B}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"


def body(*parts: bytes, end: bool = True) -> bytes:
    return b"".join(parts) + (f"--{B}--\r\n".encode() if end else b"")


async def chunks(data: bytes, size: int = 7) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i:i + size]


def read(tmp_path: Path, data: bytes, limits: dict[str, int] | None = None, ct: str = CT):
    return asyncio.run(read_form(ct, chunks(data), tmp_path, limits or {"file": 1000, "transcript": 100}))


def test_fields_and_files_arrive_in_small_chunks(tmp_path: Path):
    form = read(tmp_path, body(part("account_id", b"acct-1"), part("file", b"RIFF" + bytes(300), "a.wav"),
                               part("title", "Überblick".encode())))
    assert form.fields == {"account_id": "acct-1", "title": "Überblick"}
    f = form.files["file"]
    assert (f.filename, f.size, f.path.read_bytes()) == ("a.wav", 304, b"RIFF" + bytes(300))
    form.cleanup()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("data", "status"), [
    (body(part("file", bytes(1001), "a.wav")), 413),
    (body(part("title", b"x" * (MAX_FIELD_BYTES + 1))), 413),
    (body(part("file", b"1", "a.wav"), part("file", b"2", "b.wav")), 422),
    (body(part("other", b"1", "a.bin")), 422),
    (body(part("file", b"abc", "a.wav"), end=False), 400),
    (b"--xYz\r\nno headers at all", 400),
])
def test_refusals_leave_no_spooled_file(tmp_path: Path, data: bytes, status: int):
    with pytest.raises(ApiError) as e:
        read(tmp_path, data)
    assert e.value.status == status
    assert list(tmp_path.iterdir()) == []


def test_only_multipart_is_read(tmp_path: Path):
    with pytest.raises(ApiError) as e:
        read(tmp_path, b"{}", ct="application/json")
    assert e.value.status == 415


def test_sweep_removes_only_old_spooled_uploads(tmp_path: Path):
    import os
    import time

    from worker.api.multipart import sweep

    old, new, other = tmp_path / "upload-old", tmp_path / "upload-new", tmp_path / "keep.txt"
    for p in (old, new, other):
        p.write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    os.utime(other, (time.time() - 7200, time.time() - 7200))
    assert sweep(tmp_path) == 1 and not old.exists() and new.exists() and other.exists()
    assert sweep(tmp_path / "missing") == 0
