"""Small trained classifier heads: linear models over turn features, stored as npz + json.

A head is standardisation + one linear layer: sigmoid for yes/no heads, softmax for
attribute heads. Plain numpy at run time (no pickles, no scikit-learn needed to analyze).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

HEADS_DIR = Path(__file__).parent / "heads"
ARRAYS = "heads.npz"
META = "heads.json"


@dataclass
class LinearHead:
    """Standardise, then one linear layer; ``classes`` empty for a yes/no head."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (k, d); k = 1 for a yes/no head
    intercept: np.ndarray  # (k,)
    classes: list[str] = field(default_factory=list)

    def logits(self, x: np.ndarray) -> np.ndarray:
        z = (np.atleast_2d(x) - self.mean) / self.scale
        return z @ self.coef.T + self.intercept

    def proba(self, x: np.ndarray) -> np.ndarray:
        """(n,) probabilities for a yes/no head, (n, k) for an attribute head."""
        z = self.logits(x)
        if not self.classes:
            return 1.0 / (1.0 + np.exp(-z[:, 0]))
        if z.shape[1] == 1:  # a two-class attribute head stores one logit for classes[1]
            p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1 - p1, p1], axis=1)
        z = z - z.max(1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(1, keepdims=True)

    def predict(self, x: np.ndarray) -> list[str]:
        """Most likely class per row (attribute heads only)."""
        return [self.classes[i] for i in self.proba(x).argmax(1)]


@dataclass
class HeadSet:
    """All heads of one training run plus its metadata (thresholds, training meetings, versions)."""

    heads: dict[str, LinearHead]
    meta: dict[str, Any]


def save_heads(heads: HeadSet, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    classes: dict[str, list[str]] = {}
    for name, h in heads.heads.items():
        for part in ("mean", "scale", "coef", "intercept"):
            arrays[f"{name}/{part}"] = getattr(h, part).astype(np.float32)
        classes[name] = h.classes
    np.savez_compressed(folder / ARRAYS, **arrays)  # type: ignore[arg-type]
    meta = dict(heads.meta, classes=classes)
    (folder / META).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")


def read_heads(folder: Path) -> HeadSet:
    """Heads from a folder written by ``save_heads``."""
    meta = json.loads((folder / META).read_text())
    data = np.load(folder / ARRAYS)
    heads = {
        name: LinearHead(
            data[f"{name}/mean"],
            data[f"{name}/scale"],
            data[f"{name}/coef"],
            data[f"{name}/intercept"],
            list(cls),
        )
        for name, cls in meta["classes"].items()
    }
    return HeadSet(heads, meta)


@lru_cache(maxsize=4)
def load_heads(folder: str | None = None) -> HeadSet:
    """The shipped heads (or another folder's), cached per process."""
    path = Path(folder) if folder else HEADS_DIR
    if not (path / META).exists():
        raise RuntimeError(f"no trained heads in {path}: run `alignment-worker train CORPUS_DIR`")
    return read_heads(path)
