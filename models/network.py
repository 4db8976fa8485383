"""Fitting the turn network's members with torch on the CPU (the heads run in numpy: models/heads.py).

Each member is ``x -> dropout -> linear -> gelu(tanh) -> dropout -> linear`` with one logit per
label, fitted with AdamW on a weighted binary cross-entropy; a weight of zero leaves a label's
row out of its loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class NetworkOptions:
    """How the turn network is fitted (chosen by leave-one-meeting-out CV on the dev corpus)."""

    hidden: int = 128
    members: int = 3
    epochs: int = 30
    batch: int = 256
    learning_rate: float = 1e-3
    weight_decay: float = 1e-2
    input_dropout: float = 0.2
    hidden_dropout: float = 0.5


Weights = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # w1 (d, h), b1 (h,), w2 (h, k), b2 (k,)


def module(inputs: int, labels: int, options: NetworkOptions) -> torch.nn.Sequential:
    """One member's layers (the numpy forward pass in ``TurnNetwork`` mirrors them)."""
    from torch import nn

    return nn.Sequential(
        nn.Dropout(options.input_dropout),
        nn.Linear(inputs, options.hidden),
        nn.GELU(approximate="tanh"),
        nn.Dropout(options.hidden_dropout),
        nn.Linear(options.hidden, labels),
    )


def weights_of(net: torch.nn.Sequential) -> Weights:
    """(w1, b1, w2, b2) of a member, as float32 arrays laid out for ``x @ w + b``."""
    first, second = net[1], net[4]
    params = (first.weight.T, first.bias, second.weight.T, second.bias)  # type: ignore[union-attr]
    return tuple(p.detach().numpy().astype(np.float32).copy() for p in params)  # type: ignore[operator,return-value]


def fit_members(
    z: np.ndarray, y: np.ndarray, weight: np.ndarray, options: NetworkOptions, seed: int
) -> list[Weights]:
    """``options.members`` members over standardised ``z`` (n, d), 0/1 ``y`` (n, k), ``weight`` (n, k).

    Deterministic for a seed; leaves the caller's torch random state and thread count as they were.
    """
    import torch

    zt, yt, wt = (torch.tensor(a, dtype=torch.float32) for a in (z, y, weight))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small matrices: one thread is as fast, and kind to a busy machine
    try:
        with torch.random.fork_rng(devices=[]):
            return [_fit_member(zt, yt, wt, options, seed + m) for m in range(options.members)]
    finally:
        torch.set_num_threads(threads)


def _fit_member(
    z: torch.Tensor, target: torch.Tensor, weight: torch.Tensor, options: NetworkOptions, seed: int
) -> Weights:
    import torch

    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    net = module(z.shape[1], target.shape[1], options)
    opt = torch.optim.AdamW(net.parameters(), lr=options.learning_rate, weight_decay=options.weight_decay)
    net.train()
    for _ in range(options.epochs):
        order = torch.randperm(len(z), generator=gen)
        for at in range(0, len(z), options.batch):
            idx = order[at : at + options.batch]
            w = weight[idx]
            if float(w.sum()) == 0.0:
                continue
            logits = net(z[idx])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target[idx], reduction="none")
            opt.zero_grad()
            ((loss * w).sum() / w.sum()).backward()
            opt.step()
    return weights_of(net)
