"""Grouping speaker embeddings into speakers, with the number of speakers found automatically.

Embeddings are centred on the recording's mean voice (raises the contrast between voices).
The number of speakers is the largest eigengap of the normalised Laplacian of a refined cosine
affinity (Wang et al., "Speaker Diarization with LSTM", 2018: row-wise thresholding,
symmetrisation, diffusion, row max-normalisation; the thresholding share tuned per recording
as in NME-SC) within [min, max]; a one-speaker check comes first, since an eigengap cannot tell
one speaker from two. The labels then come from
average-linkage agglomerative clustering cut at that count, polished by a few k-means rounds
(on the test clips this beat k-means in the spectral space when the count is known).
"""
from __future__ import annotations

import numpy as np

SAME_SPEAKER_SIMILARITY = 0.78
"""Cosine similarity above which all windows count as one voice (Resemblyzer embeddings).

Two or more voices average below ~0.75; one clean voice averages ~0.80 (measured on the test clips).
"""
ROW_KEEP = 0.25
"""Default share of the strongest affinities kept per row in the refinement; the rest are damped."""
KEEP_SHARES = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
"""Candidate shares for the per-recording tuning of the refinement (NME-SC)."""
MIN_NEIGHBOURS = 8
"""Each window keeps at least this many neighbours: with fewer, short clips break into crumbs."""
SPLIT_SIMILARITY = 0.80
"""A cluster whose two halves' mean voices are less similar than this is two speakers."""
SPLIT_MIN_WINDOWS = 4
"""Each half of a split needs at least this many windows (3 s of speech)."""
COUNT_WINDOWS = 600
"""Windows used to count speakers (a 4-hour recording has ~19,000; the eigen-decomposition is
cubic, and 600 windows, 7.5 minutes of speech, still hear every regular voice)."""
AGGLOMERATE_WINDOWS = 2000
"""Windows clustered by average linkage at most: its distance matrix grows with the square (2,000
windows, 25 minutes of speech, take 16 MB; 2 hours would take 240 MB); the other windows of a
longer recording join the nearest of the clusters found, and k-means rounds polish all of them."""
BLAS_THREADS = 1
"""BLAS threads while clustering: on a shared 2-core machine one thread was 10x faster."""
MAX_SPEAKERS = 10
"""Default upper bound of the speaker count when none is given."""


def refine_affinity(similarity: np.ndarray, keep: float = ROW_KEEP) -> np.ndarray:
    """Row-wise thresholding, symmetrisation, diffusion and row max-normalisation."""
    a = np.clip(similarity, 0.0, 1.0).copy()
    n = len(a)
    k = max(1, int(np.ceil(keep * n)))
    for i in range(n):
        cut = np.partition(a[i], n - k)[n - k]
        a[i, a[i] < cut] *= 0.01
    a = np.maximum(a, a.T)
    a = a @ a.T
    return a / a.max(axis=1, keepdims=True)


def laplacian_eigenvalues(affinity: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` smallest eigenvalues (ascending) of the symmetric normalised Laplacian."""
    from scipy.linalg import eigh

    degree = affinity.sum(axis=1)
    scale = 1.0 / np.sqrt(np.maximum(degree, 1e-12))
    laplacian = np.eye(len(affinity)) - scale[:, None] * affinity * scale[None, :]
    last = min(count, len(affinity)) - 1
    return eigh(laplacian, eigvals_only=True, subset_by_index=[0, last])


def count_by_eigengap(values: np.ndarray, low: int, high: int) -> int:
    """Number of clusters at the largest gap between consecutive Laplacian eigenvalues."""
    high = min(high, len(values) - 1)
    if high < low:
        return max(1, min(low, len(values)))
    gaps = np.diff(values[: high + 1])  # gaps[k - 1] = values[k] - values[k - 1]
    return int(np.argmax(gaps[low - 1 : high]) + low)


def cluster_embeddings(
    embeddings: np.ndarray,
    *,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
) -> np.ndarray:
    """A speaker label (0..k-1, in order of first appearance) per L2-normed embedding."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(BLAS_THREADS):  # small matrices: threads only wait on each other
        return _cluster(embeddings, num_speakers, min_speakers, max_speakers)


def _cluster(
    embeddings: np.ndarray, num_speakers: int | None, min_speakers: int | None, max_speakers: int | None
) -> np.ndarray:
    n = len(embeddings)
    if n == 0:
        return np.zeros(0, dtype=int)
    low = max(1, num_speakers or min_speakers or 1)
    high = min(n, num_speakers or max_speakers or MAX_SPEAKERS)
    low = min(low, high)
    mean_similarity = float(np.square(embeddings.mean(axis=0)).sum())  # the mean of all pairs' dot products
    if high == 1 or (low == 1 and mean_similarity >= SAME_SPEAKER_SIMILARITY) or n < 3:
        return np.zeros(n, dtype=int) if low == 1 or n < 2 else _first_order(np.arange(n) % low)
    centred = _centred(embeddings)
    k = low if low == high else count_speakers(centred, max(2, low), high)
    labels = reassign(centred, agglomerate(centred, k))
    if low != high:
        labels = split_mixed(embeddings, labels, high)
    return _first_order(labels)


def split_mixed(embeddings: np.ndarray, labels: np.ndarray, high: int) -> np.ndarray:
    """Split clusters whose two halves (2-way agglomerative) sound like two different voices.

    The eigengap overlooks a quiet participant next to a talkative one; their two mean voices
    are still far apart, while the halves of one voice are close (0.93-0.96 on the test clips).
    """
    labels = labels.copy()
    queue = list(np.unique(labels))
    while queue and len(np.unique(labels)) < high:
        label = queue.pop()
        members = np.flatnonzero(labels == label)
        if len(members) < 2 * SPLIT_MIN_WINDOWS:
            continue
        halves = agglomerate(_centred(embeddings[members]), 2)
        parts = [members[halves == h] for h in (1, 2)]
        if min(len(p) for p in parts) < SPLIT_MIN_WINDOWS:
            continue
        means = [_unit(embeddings[p].mean(axis=0)) for p in parts]
        if float(means[0] @ means[1]) < SPLIT_SIMILARITY:
            new = labels.max() + 1
            labels[parts[1]] = new
            queue += [label, new]
    return labels


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)


def _centred(embeddings: np.ndarray) -> np.ndarray:
    c = embeddings - embeddings.mean(axis=0)
    return c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)


def count_speakers(centred: np.ndarray, low: int, high: int) -> int:
    """Speaker count in [low, high] by eigengap, on at most COUNT_WINDOWS evenly spread windows.

    The share of affinities kept per row is tuned per recording as in NME-SC (Park et al., 2019):
    of the candidate shares, the one with the smallest share / eigengap ratio wins (a small share
    lets a quiet speaker stand out; the gap says whether the structure is real).
    """
    sample = centred[:: max(1, int(np.ceil(len(centred) / COUNT_WINDOWS)))]
    similarity = sample @ sample.T
    best: tuple[float, int] | None = None
    for share in sorted({max(keep, MIN_NEIGHBOURS / len(sample)) for keep in KEEP_SHARES}):
        values = laplacian_eigenvalues(refine_affinity(similarity, min(share, 1.0)), high + 1)
        k = count_by_eigengap(values, low, high)
        ratio = share / max(float(values[k] - values[k - 1]), 1e-9) if k < len(values) else np.inf
        if best is None or ratio < best[0]:
            best = (ratio, k)
    return best[1] if best else low


def agglomerate(embeddings: np.ndarray, k: int) -> np.ndarray:
    """Average-linkage clustering on cosine distance, cut at ``k`` clusters (labels from 1).

    Above ``AGGLOMERATE_WINDOWS`` the linkage runs on evenly spread windows and every window
    takes the cluster whose mean voice is nearest.
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    step = int(np.ceil(len(embeddings) / AGGLOMERATE_WINDOWS))
    sample = embeddings[::step] if step > 1 else embeddings
    labels = fcluster(linkage(sample, method="average", metric="cosine"), k, criterion="maxclust")
    if step == 1:
        return labels
    ids = np.unique(labels)
    means = np.stack([_unit(sample[labels == i].mean(axis=0)) for i in ids])
    return ids[np.argmax(embeddings @ means.T, axis=1)]


def reassign(embeddings: np.ndarray, labels: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Move each embedding to its nearest cluster centroid (cosine), a few rounds of k-means."""
    for _ in range(rounds):
        ids = np.unique(labels)
        centroids = np.stack([embeddings[labels == i].mean(axis=0) for i in ids])
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
        new = ids[np.argmax(embeddings @ centroids.T, axis=1)]
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _first_order(labels: np.ndarray) -> np.ndarray:
    """Relabel so that speakers are numbered in order of first appearance."""
    order: dict[int, int] = {}
    for label in labels:
        order.setdefault(int(label), len(order))
    return np.array([order[int(label)] for label in labels], dtype=int)
