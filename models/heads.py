"""Small trained classifier heads over turn features, stored as npz + json.

Two kinds: a linear head (standardisation + one linear layer: sigmoid for yes/no heads, softmax
for attribute heads) and a turn network (standardisation + a small ensemble of one-hidden-layer
networks with one sigmoid output per category); each category head is one output of the network.
Plain numpy at run time (no pickles, no torch or scikit-learn needed to analyze).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

HEADS_DIR = Path(__file__).parent / "heads"
TRAINING_DIR = Path(__file__).parent / "training" / "meetings"
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


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh form (the same as torch's ``approximate="tanh"``)."""
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))


@dataclass
class TurnNetwork:
    """Standardise, then the mean of an ensemble of ``x -> gelu(x W1 + b1) W2 + b2 -> sigmoid``
    networks; one output per label (``labels``)."""

    mean: np.ndarray  # (d,)
    scale: np.ndarray  # (d,)
    w1: np.ndarray  # (members, d, hidden)
    b1: np.ndarray  # (members, hidden)
    w2: np.ndarray  # (members, hidden, labels)
    b2: np.ndarray  # (members, labels)
    labels: list[str]

    def __post_init__(self) -> None:
        self.w1, self.w2 = (np.asarray(w, dtype=np.float32) for w in (self.w1, self.w2))

    def proba_all(self, x: np.ndarray) -> np.ndarray:
        """(n, labels) probabilities."""
        z = ((np.atleast_2d(x) - self.mean) / self.scale).astype(np.float32)
        out = np.zeros((len(z), len(self.labels)), dtype=np.float64)
        for m in range(len(self.w1)):
            logits = gelu(z @ self.w1[m] + self.b1[m]) @ self.w2[m] + self.b2[m]
            out += 1.0 / (1.0 + np.exp(-np.clip(logits, -60.0, 60.0)))
        return out / len(self.w1)


@dataclass
class NetworkOutput:
    """One label of a turn network, used as a yes/no head."""

    network: TurnNetwork
    index: int
    classes: list[str] = field(default_factory=list)

    def proba(self, x: np.ndarray) -> np.ndarray:
        """(n,) probabilities of this output's label."""
        return self.network.proba_all(x)[:, self.index]


Head = LinearHead | NetworkOutput
_LINEAR = ("mean", "scale", "coef", "intercept")
_NETWORK = ("mean", "scale", "w1", "b1", "w2", "b2")
NETWORK_KEY = "network"  # the arrays' prefix of the shared turn network


@dataclass
class HeadSet:
    """All heads of one training run plus its metadata (thresholds, training meetings, versions)."""

    heads: dict[str, Head]
    meta: dict[str, Any]


def save_heads(heads: HeadSet, folder: Path) -> None:
    """Arrays to ``heads.npz`` (network weights as float16), names and metadata to ``heads.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    classes: dict[str, list[str]] = {}
    outputs: dict[str, int] = {}
    network: TurnNetwork | None = None
    for name, h in heads.heads.items():
        if isinstance(h, NetworkOutput):
            if network is not None and h.network is not network:
                raise ValueError("a heads file holds one turn network; these heads come from two")
            network, outputs[name] = h.network, h.index
            continue
        for part in _LINEAR:
            arrays[f"{name}/{part}"] = getattr(h, part).astype(np.float32)
        classes[name] = h.classes
    if network is not None:
        for part in _NETWORK:
            dtype = np.float16 if part in ("w1", "w2") else np.float32
            arrays[f"{NETWORK_KEY}/{part}"] = getattr(network, part).astype(dtype)
    np.savez_compressed(folder / ARRAYS, **arrays)  # type: ignore[arg-type]
    meta = dict(heads.meta, classes=classes, network_outputs=outputs)
    if network is not None:
        meta["network_labels"] = network.labels
    (folder / META).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")


def read_heads(folder: Path) -> HeadSet:
    """Heads from a folder written by ``save_heads``."""
    meta = json.loads((folder / META).read_text())
    with np.load(folder / ARRAYS) as data:
        arrays = {k: data[k] for k in data.files}
    heads: dict[str, Head] = {
        name: LinearHead(
            arrays[f"{name}/mean"],
            arrays[f"{name}/scale"],
            arrays[f"{name}/coef"],
            arrays[f"{name}/intercept"],
            list(cls),
        )
        for name, cls in meta["classes"].items()
    }
    if meta.get("network_outputs"):
        net = {part: arrays[f"{NETWORK_KEY}/{part}"].astype(np.float32) for part in _NETWORK}
        labels = list(meta["network_labels"])
        network = TurnNetwork(net["mean"], net["scale"], net["w1"], net["b1"], net["w2"], net["b2"], labels)
        heads.update({name: NetworkOutput(network, i) for name, i in meta["network_outputs"].items()})
    return HeadSet(heads, meta)


@lru_cache(maxsize=4)
def load_heads(folder: str | None = None) -> HeadSet:
    """The shipped heads (or another folder's), cached per process."""
    path = Path(folder) if folder else HEADS_DIR
    if not (path / META).exists():
        raise RuntimeError(f"no trained heads in {path}: run `alignment-worker train CORPUS_DIR`")
    return read_heads(path)


def training_meeting_files() -> list[Path]:
    """The labeled meetings shipped to train the heads on (models/training/meetings), by file name."""
    return sorted(TRAINING_DIR.glob("*.json")) if TRAINING_DIR.is_dir() else []
