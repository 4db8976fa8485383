"""The product's scorer (pipelines/analyze/scoring.py) and the corpus scorer (../shared/eval/score.py)
give the same figures for the same predictions: every category's P/R/F1/tp/fp/fn, every attribute
accuracy, the advocacy flag, the core macro F1 and every per-meeting row."""
from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path
from typing import Any

import pytest

from pipelines.analyze import scoring

SHARED = Path(__file__).parents[1] / ".." / "shared" / "eval"
TRAINING = Path(__file__).parents[1] / "models" / "training" / "meetings"
SEVERITIES = ["low", "medium", "high"]


def _shared_scorer() -> Any:
    path = SHARED / "score.py"
    if not path.is_file():
        pytest.skip(f"corpus scorer not found at {path} (needs the shared folder next to the repo)")
    spec = importlib.util.spec_from_file_location("corpus_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _predictions(meeting: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Predictions near the gold: most items found (some quoted short, some attributes wrong),
    some missed, some invented from other turns, the flag sometimes flipped."""
    texts = {u["i"]: u["text"] for u in meeting["utterances"]}
    highlights = []
    for cat in scoring.CORE + scoring.EXTRA:
        for item in scoring.gold_raw(meeting["gold"], cat):
            if rng.random() < 0.25:
                continue  # missed
            words = " ".join(texts.get(i, "") for i in item["utterances"]).split()
            cut = words[: max(3, int(len(words) * rng.uniform(0.3, 1.0)))]
            attrs = {p: item.get(g) for p, g in scoring.ATTRS.get(cat, []) if p != "speaker"}
            if "severity" in attrs and rng.random() < 0.4:
                attrs["severity"] = rng.choice(SEVERITIES)
            if "person" in attrs and rng.random() < 0.3:
                attrs["person"] = "Someone Else"
            highlights.append({"category": cat, "evidence": " ".join(cut), "attributes": attrs,
                               "speaker": item.get("speaker") if rng.random() < 0.7 else "Nobody"})
        for _ in range(rng.randint(0, 3)):  # invented
            text = texts[rng.choice(sorted(texts))]
            highlights.append({"category": cat, "evidence": text, "attributes": {"severity": "high"}})
    flag = bool(meeting["gold"].get("advocacy", {}).get("flag"))
    return {"meeting_id": meeting["id"], "highlights": highlights,
            "advocacy": {"flag": flag if rng.random() < 0.7 else not flag}}


@pytest.mark.parametrize("folder", [SHARED / "meetings", TRAINING], ids=["dev", "training"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_both_scorers_give_every_figure_the_same(folder: Path, seed: int, tmp_path: Path) -> None:
    corpus = _shared_scorer()
    files = sorted(folder.glob("*.json"))
    if not files:
        pytest.skip(f"no meetings in {folder} (needs the shared folder next to the repo)")
    rng = random.Random(seed)
    meetings = [json.loads(f.read_text()) for f in files]
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    preds = {}
    for f, m in zip(files, meetings, strict=True):
        (gold_dir / f.name).write_text(f.read_text())
        preds[m["id"]] = _predictions(m, rng)
        (pred_dir / f"{m['id']}.json").write_text(json.dumps(preds[m["id"]]))
    cats = scoring.CORE + scoring.EXTRA
    theirs = corpus.score(gold_dir, pred_dir, cats)
    ours = scoring.score(meetings, preds, cats)
    assert ours.pop("attribute_accuracy") >= 0.0  # ours adds an overall attribute figure
    assert ours == theirs
    assert 0.0 < ours["core_macro_f1"] < 1.0  # the predictions were neither all right nor all wrong
