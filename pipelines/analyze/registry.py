"""Extractors under versioned names (``aw.<category>.v<n>``); every highlight records which produced it."""

from __future__ import annotations

from collections.abc import Callable

from pipelines.analyze.context import MeetingContext
from pipelines.highlight import Highlight

Extractor = Callable[[MeetingContext], list[Highlight]]
EXTRACTORS: dict[str, Extractor] = {}


def register(name: str) -> Callable[[Extractor], Extractor]:
    """Register an extractor under a versioned name such as ``aw.risk.v1``."""

    def wrap(fn: Extractor) -> Extractor:
        if name in EXTRACTORS:
            raise ValueError(f"extractor {name} registered twice")
        EXTRACTORS[name] = fn
        return fn

    return wrap
