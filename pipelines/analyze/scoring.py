"""The eval scorer's rules, so the product can score itself without the shared folder.

Adapted from the corpus scorer ``eval/score.py`` of the alignment-worker shared material
(stdlib only; same matching, attribute and macro-F1 rules). Matching: within one category a
predicted highlight matches a gold item when at least 60% of the evidence's content words
(and at least min(3, len) of them) occur in the gold item's turns; one-to-one, best overlap first.
"""

from __future__ import annotations

import re
from typing import Any

CORE = ["goal_shift", "stakeholder_change", "risk", "value_quote"]
EXTRA = ["advocacy_signal", "expansion_signal", "next_step"]
GOLD_KEYS = {
    "goal_shift": "goal_shifts",
    "stakeholder_change": "stakeholder_changes",
    "risk": "risks",
    "value_quote": "value_quotes",
    "expansion_signal": "expansion_signals",
    "next_step": "next_steps",
}
ATTRS = {
    "goal_shift": [("kind", "kind")],
    "stakeholder_change": [("change", "change"), ("person", "person")],
    "risk": [("category", "category"), ("severity", "severity")],
    "value_quote": [("value_type", "value_type"), ("speaker", "speaker")],
    "next_step": [("owner", "owner")],
}
STOP = set(
    "a an the and or but so if then of to in on at for with from by as is are was were be been "
    "being it its it's this that these those i we you he she they me us him her them my our your "
    "their um uh like just really yeah okay ok oh well you know kind sort do does did have has "
    "had not no yes there here what which who whom how when where why all any some more most very "
    "can could would should will shall may might must also about into out up down over than too".split()
)
MATCH_MIN = 0.6
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall((text or "").lower()) if w not in STOP}


def overlap(evidence: set[str], turns: set[str]) -> float:
    if not evidence:
        return 0.0
    hit = len(evidence & turns)
    if hit < min(3, len(evidence)):
        return 0.0
    return hit / len(evidence)


def gold_raw(gold: dict[str, Any], cat: str) -> list[dict[str, Any]]:
    """Gold items of one category, each with its ``utterances`` list."""
    if cat == "advocacy_signal":
        return [dict(s, utterances=[s["utterance"]]) for s in gold.get("advocacy", {}).get("signals", [])]
    return [
        dict(item, utterances=item.get("utterances") or [item["utterance"]])
        for item in gold.get(GOLD_KEYS[cat], [])
    ]


def gold_items(texts: list[str], gold: dict[str, Any], cat: str) -> list[dict[str, Any]]:
    """Gold items with the word set of their evidence turns."""
    return [
        {"gold": item, "words": words(" ".join(texts[i] for i in item["utterances"] if 0 <= i < len(texts)))}
        for item in gold_raw(gold, cat)
    ]


def match(preds: list[dict[str, Any]], golds: list[dict[str, Any]]) -> list[tuple[dict, dict]]:
    pairs = []
    for pi, p in enumerate(preds):
        ev = words(p.get("evidence", ""))
        for gi, g in enumerate(golds):
            s = overlap(ev, g["words"])
            if s >= MATCH_MIN:
                pairs.append((s, pi, gi))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, pi, gi in pairs:
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        out.append((preds[pi], golds[gi]["gold"]))
    return out


def norm(v: Any) -> str:
    return re.sub(r"\s+", " ", str(v or "").strip().lower())


def attr_ok(pred: dict[str, Any], gold: dict[str, Any], p_attr: str, g_field: str) -> bool:
    got = pred.get(p_attr) if p_attr == "speaker" else (pred.get("attributes") or {}).get(p_attr)
    want = gold.get(g_field)
    if p_attr in ("person", "owner", "speaker"):
        gw, ww = set(norm(got).split()), set(norm(want).split())
        return bool(gw & ww) if ww else not gw
    return norm(got) == norm(want)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(
    meetings: list[dict[str, Any]], preds: dict[str, dict[str, Any]], cats: list[str] | None = None
) -> dict:
    """Score predictions (by meeting id) against corpus meetings (raw corpus JSON dicts)."""
    cats = cats or CORE + EXTRA
    tally: dict[str, dict[str, Any]] = {c: {"tp": 0, "fp": 0, "fn": 0, "attrs": {}} for c in cats}
    adv = {"right": 0, "total": 0}
    per_meeting = {}
    for meeting in sorted(meetings, key=lambda m: m["id"]):
        texts = [u["text"] for u in sorted(meeting["utterances"], key=lambda u: u["i"])]
        pred = preds.get(meeting["id"], {})
        highlights = pred.get("highlights", [])
        row: dict[str, Any] = {}
        for cat in cats:
            cat_preds = [h for h in highlights if h.get("category") == cat]
            golds = gold_items(texts, meeting["gold"], cat)
            pairs = match(cat_preds, golds)
            t = tally[cat]
            t["tp"] += len(pairs)
            t["fp"] += len(cat_preds) - len(pairs)
            t["fn"] += len(golds) - len(pairs)
            row[cat] = {"tp": len(pairs), "fp": len(cat_preds) - len(pairs), "fn": len(golds) - len(pairs)}
            for p, g in pairs:
                for p_attr, g_field in ATTRS.get(cat, []):
                    a = t["attrs"].setdefault(p_attr, [0, 0])
                    a[0] += attr_ok(p, g, p_attr, g_field)
                    a[1] += 1
        want = bool(meeting["gold"].get("advocacy", {}).get("flag"))
        got = bool((pred.get("advocacy") or {}).get("flag"))
        adv["total"] += 1
        adv["right"] += want == got
        row["advocacy_flag"] = {"gold": want, "pred": got}
        per_meeting[meeting["id"]] = row
    result: dict[str, Any] = {
        "categories": {},
        "advocacy_flag_accuracy": adv["right"] / max(adv["total"], 1),
        "meetings": adv["total"],
        "per_meeting": per_meeting,
    }
    right = total = 0
    for cat, t in tally.items():
        prec, rec, f1 = _prf(t["tp"], t["fp"], t["fn"])
        result["categories"][cat] = {
            "precision": round(prec, 3),
            "recall": round(rec, 3),
            "f1": round(f1, 3),
            "tp": t["tp"],
            "fp": t["fp"],
            "fn": t["fn"],
            "attribute_accuracy": {k: round(v[0] / v[1], 3) for k, v in t["attrs"].items() if v[1]},
        }
        right += sum(v[0] for v in t["attrs"].values())
        total += sum(v[1] for v in t["attrs"].values())
    core = [result["categories"][c]["f1"] for c in CORE if c in result["categories"]]
    result["core_macro_f1"] = round(sum(core) / len(core), 3) if core else 0.0
    result["attribute_accuracy"] = round(right / total, 3) if total else 0.0
    return result


def table(result: dict[str, Any]) -> str:
    """The scorer's text table, ending with ``core macro F1 <x>``."""
    lines = [f"{'category':<20}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}  attributes"]
    for cat, c in result["categories"].items():
        attrs = ", ".join(f"{k} {v:.2f}" for k, v in c["attribute_accuracy"].items())
        lines.append(
            f"{cat:<20}{c['precision']:>7.3f}{c['recall']:>7.3f}{c['f1']:>7.3f}"
            f"{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}  {attrs}"
        )
    lines.append(f"attribute accuracy (all matched pairs) {result['attribute_accuracy']:.3f}")
    lines.append(
        f"advocacy flag accuracy {result['advocacy_flag_accuracy']:.3f} over {result['meetings']} meetings"
    )
    lines.append(f"core macro F1 {result['core_macro_f1']:.3f}")
    return "\n".join(lines)
