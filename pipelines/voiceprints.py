"""Voice profiles enrolled per account: a CSM confirms a speaker once, later meetings name them.

Pure functions over numpy arrays and pydantic models; storing profiles is the service's job.
"""
from __future__ import annotations

import numpy as np
from pydantic import BaseModel

MATCH_SIMILARITY = 0.90
"""Cosine similarity of a cluster's mean voice to a profile above which they count as one person.

Resemblyzer embeddings are non-negative, so even different voices score high: on the test clips
two halves of one voice's speech scored 0.93-0.96, two similar telephone voices 0.88.
"""


class VoiceProfile(BaseModel):
    """A person's mean voice embedding over ``count`` windows of confirmed speech."""

    name: str
    embedding: list[float]
    count: int

    def vector(self) -> np.ndarray:
        return np.asarray(self.embedding, dtype=np.float32)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)


def enroll(name: str, embeddings: np.ndarray, profile: VoiceProfile | None = None) -> VoiceProfile:
    """A profile from window embeddings (n, d), folded into an existing profile when given."""
    embeddings = np.atleast_2d(np.asarray(embeddings, dtype=np.float32))
    if len(embeddings) == 0:
        raise ValueError(f"no speech to enroll for {name!r}")
    total = embeddings.sum(axis=0)
    count = len(embeddings)
    if profile is not None:
        total = total + profile.vector() * profile.count
        count += profile.count
    return VoiceProfile(name=name, embedding=_unit(total / count).tolist(), count=count)


def match_profiles(
    centroids: dict[str, np.ndarray], profiles: list[VoiceProfile], threshold: float = MATCH_SIMILARITY
) -> dict[str, tuple[str, float]]:
    """Cluster label -> (profile name, similarity) for clusters that match a profile; one each.

    Pairs are taken best first, so two clusters never get the same person.
    """
    if not centroids or not profiles:
        return {}
    labels = list(centroids)
    a = np.stack([_unit(np.asarray(centroids[k], dtype=np.float32)) for k in labels])
    b = np.stack([_unit(p.vector()) for p in profiles])
    similarity = a @ b.T
    pairs = sorted(
        ((float(similarity[i, j]), i, j) for i in range(len(labels)) for j in range(len(profiles))),
        reverse=True,
    )
    out: dict[str, tuple[str, float]] = {}
    used: set[int] = set()
    for score, i, j in pairs:
        if score < threshold:
            break
        if labels[i] in out or j in used:
            continue
        out[labels[i]] = (profiles[j].name, score)
        used.add(j)
    return out
