"""HTTP Range (RFC 9110) for one byte range of a stored object: 206 with Content-Range, 416 when
the range is outside the object; several ranges in one header are answered with the whole object."""
from __future__ import annotations

import re

from fastapi.responses import StreamingResponse

from worker.api.errors import ApiError
from worker.storage import Storage

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single ``bytes=`` range, None for the whole object, 416 if unsatisfiable."""
    if not header or "," in header:
        return None
    m = _RANGE.match(header.strip())
    if m is None or (not m.group(1) and not m.group(2)):
        return None  # a syntactically invalid Range is ignored (RFC 9110 14.2)
    if not m.group(1):  # suffix: the last N bytes
        n = int(m.group(2))
        if n == 0 or size == 0:
            raise _unsatisfiable(size)
        return max(0, size - n), size - 1
    first = int(m.group(1))
    last = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
    if first >= size or (m.group(2) and int(m.group(2)) < first):
        raise _unsatisfiable(size)
    return first, last


def _unsatisfiable(size: int) -> ApiError:
    return ApiError(416, "range_not_satisfiable", f"the range is outside the {size} bytes of the object",
                    headers={"Content-Range": f"bytes */{size}"})


def ranged_response(storage: Storage, key: str, range_header: str | None,
                    media_type: str) -> StreamingResponse:
    """The object (or the asked range of it) streamed from storage in chunks."""
    size = storage.size(key)
    asked = parse_range(range_header, size)
    headers = {"Accept-Ranges": "bytes"}
    if asked is None:
        if size == 0:
            headers["Content-Length"] = "0"
            return StreamingResponse(iter(()), media_type=media_type, headers=headers)
        first, last, status = 0, size - 1, 200
    else:
        (first, last), status = asked, 206
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    headers["Content-Length"] = str(last - first + 1)
    return StreamingResponse(storage.read_range(key, first, last), status_code=status,
                             media_type=media_type, headers=headers)
