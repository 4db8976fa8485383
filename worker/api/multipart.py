"""A multipart/form-data body streamed to temporary files, with the size limit enforced while
it streams: a recording is never held in memory whole, and an oversize one is refused (413) at
the first chunk past the limit, its partial file removed."""
from __future__ import annotations

import os
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from worker.api.errors import ApiError

MAX_FIELD_BYTES = 16 * 1024
"""A text field (account id, title, participants...) longer than this is refused."""


@dataclass
class SpooledFile:
    field: str
    filename: str
    content_type: str
    path: Path
    size: int = 0


@dataclass
class Form:
    """The fields and files of one request; ``cleanup()`` removes the files (always call it)."""

    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, SpooledFile] = field(default_factory=dict)

    def cleanup(self) -> None:
        for f in self.files.values():
            f.path.unlink(missing_ok=True)


class _Reader:
    """python-multipart callbacks that write file parts to disk and count their bytes."""

    def __init__(self, form: Form, tmp_dir: Path, limits: dict[str, int]) -> None:
        self.form, self.tmp_dir, self.limits = form, tmp_dir, limits
        self.header = self.value = b""
        self.headers: dict[bytes, bytes] = {}
        self.name = ""
        self.data = bytearray()
        self.out: IO[bytes] | None = None
        self.file: SpooledFile | None = None

    def on_part_begin(self) -> None:
        self.headers, self.data, self.out, self.file = {}, bytearray(), None, None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header.lower()] = self.value
        self.header, self.value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        if b"name" not in options:
            raise ApiError(422, "invalid", "a multipart part without a name")
        self.name = options[b"name"].decode("utf-8", "replace")
        if b"filename" not in options:
            return
        if self.name not in self.limits:
            raise ApiError(422, "invalid", f"unexpected file field {self.name!r}: send "
                           f"{' and '.join(sorted(self.limits))}")
        if self.name in self.form.files:
            raise ApiError(422, "invalid", f"the file field {self.name!r} was sent twice")
        fd, tmp = tempfile.mkstemp(dir=self.tmp_dir, prefix="upload-")
        self.out = os.fdopen(fd, "wb")
        self.file = SpooledFile(self.name, options[b"filename"].decode("utf-8", "replace")[-500:],
                                self.headers.get(b"content-type", b"").decode("latin-1")[:200], Path(tmp))
        self.form.files[self.name] = self.file

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.file is None:
            if len(self.data) + end - start > MAX_FIELD_BYTES:
                raise ApiError(413, "too_large", f"field {self.name!r} is over {MAX_FIELD_BYTES} bytes")
            self.data += data[start:end]
            return
        self.file.size += end - start
        limit = self.limits[self.file.field]
        if self.file.size > limit:
            raise ApiError(413, "too_large", f"{self.file.field} is larger than {limit // 2**20} MiB "
                           "(AW_MAX_UPLOAD_MB); for large files use POST /v1/uploads",
                           {"limit_bytes": limit})
        assert self.out is not None
        self.out.write(data[start:end])

    def on_part_end(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None
        elif self.file is None:
            self.form.fields[self.name] = self.data.decode("utf-8", "replace")

    def close(self) -> None:
        if self.out is not None:
            self.out.close()


async def read_form(content_type: str, stream: AsyncIterator[bytes], tmp_dir: Path,
                    limits: dict[str, int]) -> Form:
    """Parse the body: file parts (only the fields named in ``limits``, each within its byte
    limit) go to files in ``tmp_dir``; on any error every file written is removed."""
    kind, params = parse_options_header(content_type)
    if kind != b"multipart/form-data" or b"boundary" not in params:
        raise ApiError(415, "unsupported_media", "send the upload as multipart/form-data")
    tmp_dir.mkdir(parents=True, exist_ok=True)
    form = Form()
    reader = _Reader(form, tmp_dir, limits)
    callbacks = {name: getattr(reader, name) for name in (
        "on_part_begin", "on_part_data", "on_part_end", "on_header_field", "on_header_value",
        "on_header_end", "on_headers_finished")}
    try:
        parser = MultipartParser(params[b"boundary"], callbacks)  # type: ignore[arg-type]
        async for chunk in stream:
            parser.write(chunk)
        if parser.state != MultipartState.END:
            raise MultipartParseError("the body ended before its closing boundary")
        parser.finalize()
    except MultipartParseError as e:
        reader.close()
        form.cleanup()
        raise ApiError(400, "bad_request", f"malformed multipart body: {e}") from None
    except BaseException:
        reader.close()
        form.cleanup()
        raise
    return form


def sweep(folder: Path, older_than_s: float = 3600.0) -> int:
    """Remove spooled uploads left by a server that died mid-request; returns how many."""
    removed = 0
    cutoff = time.time() - older_than_s
    for p in folder.glob("upload-*") if folder.is_dir() else ():
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed
