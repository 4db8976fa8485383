"""Training the heads: per-category turn classifiers, attribute classifiers, thresholds tuned by CV."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict

import numpy as np

from models.heads import Head, HeadSet, LinearHead, NetworkOutput
from pipelines.analyze import scoring
from pipelines.analyze.features import FEATURE_VERSION, MeetingFeatures
from pipelines.analyze.inference import allowed, category_probs
from pipelines.analyze.logistic import SEED, fit_classes, fit_yes_no
from pipelines.analyze.network_training import NetworkOptions, fit_network
from pipelines.analyze.spans import group_turns, peak
from pipelines.analyze.training_set import CORPUS_REPEATS, Example, repeated
from pipelines.analyze.word_families import attribute_input
from pipelines.highlight import CATEGORIES

INNER_FOLDS = 4
NETWORK = NetworkOptions()
C_BINARY = 0.003  # the side head's regularisation
C_ATTRIBUTE = 0.5
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.96, 0.05))
GAPS = (0, 1, 2)
# attribute head name -> (category, gold field)
ATTRIBUTE_HEADS = {
    "goal_shift.kind": ("goal_shift", "kind"),
    "stakeholder_change.change": ("stakeholder_change", "change"),
    "risk.category": ("risk", "category"),
    "risk.severity": ("risk", "severity"),
    "value_quote.value_type": ("value_quote", "value_type"),
}



def turn_labels(ex: Example, cat: str) -> np.ndarray:
    """1 for turns inside any gold item of ``cat``."""
    y = np.zeros(len(ex.feats.texts), dtype=np.int64)
    for item in scoring.gold_raw(ex.meeting.gold, cat):
        for i in item["utterances"]:
            if 0 <= i < len(y):
                y[i] = 1
    return y


def turn_data(examples: list[Example]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stacked features, (n, 7) labels and (n, 7) masks of allowed turns, categories in CATEGORIES order."""
    x = np.vstack([ex.feats.matrix for ex in examples])
    y = np.vstack([np.stack([turn_labels(ex, c) for c in CATEGORIES], 1) for ex in examples])
    mask = np.vstack([np.stack([allowed(ex.feats, c) for c in CATEGORIES], 1) for ex in examples])
    return x, y, mask


def fit_categories(examples: list[Example]) -> dict[str, Head]:
    """One yes/no head per category: the outputs of one turn network fitted on all of them."""
    network = fit_network(*turn_data(repeated(examples)), list(CATEGORIES), NETWORK)
    return {cat: NetworkOutput(network, i) for i, cat in enumerate(CATEGORIES)}


def decode_evidence(feats: MeetingFeatures, probs: np.ndarray, threshold: float, gap: int) -> list[dict]:
    """The highlights a threshold yields, as scorer-shaped dicts (evidence = the peak turn)."""
    return [{"evidence": feats.texts[peak(g, probs)]} for g in group_turns(probs, threshold, gap)]


def tune(examples: list[Example], probs: list[np.ndarray], cat: str) -> dict[str, float]:
    """Threshold and gap maximising the scorer's F1 over out-of-fold probabilities."""
    golds = [scoring.gold_items(ex.feats.texts, ex.meeting.gold, cat) for ex in examples]
    best = {"threshold": 0.5, "gap": 0, "f1": -1.0}
    for gap in GAPS:
        for t in THRESHOLDS:
            tp = fp = fn = 0
            for ex, p, gold in zip(examples, probs, golds, strict=True):
                preds = decode_evidence(ex.feats, p, t, gap)
                m = len(scoring.match(preds, gold))
                tp, fp, fn = tp + m, fp + len(preds) - m, fn + len(gold) - m
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f1 > best["f1"] + 1e-9:
                best = {"threshold": float(t), "gap": gap, "f1": round(f1, 4)}
    return best


def folds(n: int, k: int = INNER_FOLDS) -> list[np.ndarray]:
    """Meeting indices of k interleaved folds (deterministic)."""
    return [np.arange(i, n, k) for i in range(min(k, n))]


def out_of_fold(examples: list[Example]) -> dict[str, list[np.ndarray]]:
    """Per-category, per-meeting probabilities from heads trained without that meeting's fold."""
    out: dict[str, list[np.ndarray]] = {c: [np.zeros(0)] * len(examples) for c in CATEGORIES}
    for held in folds(len(examples)):
        heads = fit_categories([ex for i, ex in enumerate(examples) if i not in set(held)])
        for i in held:
            for cat, probs in category_probs(heads, examples[i].feats).items():
                out[cat][i] = probs
    return out


def item_rows(ex: Example, name: str) -> Iterable[tuple[np.ndarray, str]]:
    """(attribute-head input over the item's turns, attribute value) per gold item."""
    cat, field = ATTRIBUTE_HEADS[name]
    m = ex.feats.item_matrix
    for item in scoring.gold_raw(ex.meeting.gold, cat):
        idx = [i for i in item["utterances"] if 0 <= i < len(m)]
        if idx and item.get(field):
            yield attribute_input(m, ex.feats.texts, idx, name), str(item[field])


def fit_attribute(examples: list[Example], name: str) -> LinearHead | None:
    rows = [r for ex in repeated(examples) for r in item_rows(ex, name)]
    labels = sorted({v for _, v in rows})
    if len(labels) < 2:
        return None
    x = np.vstack([r for r, _ in rows])
    y = np.array([v for _, v in rows])
    return fit_classes(x, y, C_ATTRIBUTE)


def fit_side(examples: list[Example]) -> LinearHead:
    """Vendor-vs-customer from a turn's embedding, for transcripts without known sides."""
    xs, ys = [], []
    for ex in repeated(examples):
        keep = np.array([s in ("vendor", "customer") for s in ex.feats.sides], dtype=bool)
        xs.append(ex.feats.emb[keep])
        ys.append(np.array([s == "vendor" for s in ex.feats.sides])[keep].astype(np.int64))
    y = np.concatenate(ys)[:, None]
    return fit_yes_no(np.vstack(xs), y, np.ones_like(y, dtype=bool), C_BINARY)[0]


def tune_flag(examples: list[Example], adv_probs: list[np.ndarray]) -> float:
    """Meeting-level advocacy threshold on the top signal probability, by flag accuracy."""
    want = [bool(ex.meeting.gold.get("advocacy", {}).get("flag")) for ex in examples]
    top = [float(p.max()) if len(p) else 0.0 for p in adv_probs]
    best_t, best_acc = 0.5, -1.0
    for t in THRESHOLDS:
        acc = float(np.mean([(s >= t) == w for s, w in zip(top, want, strict=True)]))
        if acc > best_acc + 1e-9:
            best_t, best_acc = float(t), acc
    return best_t


def train(examples: list[Example], versions: dict[str, str] | None = None) -> HeadSet:
    """Fit every head on ``examples``; thresholds from out-of-fold predictions."""
    heads: dict[str, Head] = dict(fit_categories(examples))
    oof = out_of_fold(examples)
    tuned = {cat: tune(examples, oof[cat], cat) for cat in CATEGORIES}
    for name in ATTRIBUTE_HEADS:
        head = fit_attribute(examples, name)
        if head is not None:
            heads[name] = head
    heads["side.vendor"] = fit_side(examples)
    trained_on = sorted(ex.meeting.meeting_id for ex in examples)
    corpus = sorted(ex.meeting.meeting_id for ex in examples if ex.repeats > 1)
    meta = {
        "id": "heads-"
        + hashlib.sha1(
            json.dumps([trained_on, corpus, repr(NETWORK), C_BINARY, C_ATTRIBUTE, FEATURE_VERSION]).encode()
        ).hexdigest()[:10],
        "features": FEATURE_VERSION,
        "trained_on": trained_on,
        "repeated": {"meetings": corpus, "times": CORPUS_REPEATS},
        "thresholds": tuned,
        "advocacy_flag_threshold": tune_flag(examples, oof["advocacy_signal"]),
        "network": asdict(NETWORK),
        "c_binary": C_BINARY,
        "c_attribute": C_ATTRIBUTE,
        "seed": SEED,
        "versions": versions or {},
    }
    return HeadSet(heads, meta)
