"""The turn network and the head files: fitting, numpy inference matching torch, save/read round trip,
and the word cues the category heads read."""
from __future__ import annotations

import numpy as np
import pytest

from models.heads import HeadSet, LinearHead, NetworkOutput, TurnNetwork, read_heads, save_heads
from pipelines.analyze.network_training import NetworkOptions, fit_network
from pipelines.analyze.word_families import TURN_FAMILIES, turn_cues


def _toy(n: int = 1500, d: int = 6, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two labels: the first is x0 > 0, the second is x1 * x2 > 0 (not linear)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype(np.float32)
    y = np.stack([x[:, 0] > 0, x[:, 1] * x[:, 2] > 0], 1).astype(np.int64)
    return x, y


@pytest.fixture(scope="module")
def network() -> TurnNetwork:
    x, y = _toy()
    return fit_network(x, y, np.ones_like(y, dtype=bool), ["a", "b"], NetworkOptions(hidden=32, epochs=60))


def test_network_learns_a_linear_and_a_nonlinear_label(network):
    x, y = _toy(seed=1)
    pred = network.proba_all(x) >= 0.5
    assert (pred[:, 0] == y[:, 0]).mean() > 0.9
    assert (pred[:, 1] == y[:, 1]).mean() > 0.75  # an XOR-like label no linear head can learn


def test_masked_rows_do_not_train_their_label():
    x, y = _toy()
    mask = np.ones_like(y, dtype=bool)
    mask[:, 0] = x[:, 3] > 0  # half the rows hidden for label a
    flipped = y.copy()
    flipped[~mask[:, 0], 0] = 1 - flipped[~mask[:, 0], 0]  # and their labels wrong
    net = fit_network(x, flipped, mask, ["a", "b"], NetworkOptions(hidden=32, epochs=60))
    pred = net.proba_all(_toy(seed=2)[0])[:, 0] >= 0.5
    assert (pred == _toy(seed=2)[1][:, 0]).mean() > 0.85


def test_numpy_inference_matches_the_torch_module():
    import torch

    from models.network import module, weights_of

    torch.manual_seed(0)
    opts = NetworkOptions(hidden=16)
    nets = [module(6, 2, opts).eval() for _ in range(2)]
    arrays = [weights_of(n) for n in nets]
    w1, b1, w2, b2 = (np.stack([a[i] for a in arrays]) for i in range(4))
    numpy_net = TurnNetwork(np.zeros(6, np.float32), np.ones(6, np.float32), w1, b1, w2, b2, ["a", "b"])
    x, _ = _toy(n=50, seed=3)
    with torch.no_grad():
        want = torch.stack([torch.sigmoid(n(torch.tensor(x))) for n in nets]).mean(0).numpy()
    assert np.allclose(numpy_net.proba_all(x), want, atol=1e-5)


def test_fitting_leaves_torch_threads_and_random_state_alone():
    import torch

    x, y = _toy(n=100)
    threads, state = torch.get_num_threads(), torch.random.get_rng_state()
    fit_network(x, y, np.ones_like(y, dtype=bool), ["a", "b"], NetworkOptions(hidden=4, epochs=1, members=1))
    assert torch.get_num_threads() == threads
    assert torch.equal(torch.random.get_rng_state(), state)


def test_same_seed_same_network():
    x, y = _toy(n=200)
    opts = NetworkOptions(hidden=8, epochs=3, members=2)
    a = fit_network(x, y, np.ones_like(y, dtype=bool), ["a", "b"], opts)
    b = fit_network(x, y, np.ones_like(y, dtype=bool), ["a", "b"], opts)
    assert np.array_equal(a.w1, b.w1) and np.array_equal(a.b2, b.b2)


def test_heads_round_trip_through_their_files(network, tmp_path):
    linear = LinearHead(
        np.zeros(6, np.float32), np.ones(6, np.float32), np.ones((3, 6), np.float32), np.zeros(3, np.float32),
        ["x", "y", "z"],
    )
    outputs = {"a": NetworkOutput(network, 0), "b": NetworkOutput(network, 1)}
    heads = HeadSet({**outputs, "attr": linear}, {"id": "t"})
    save_heads(heads, tmp_path)
    back = read_heads(tmp_path)
    x, _ = _toy(n=30, seed=4)
    for name in ("a", "b"):  # fit_network rounds to the file's float16 already: the same numbers
        assert np.allclose(back.heads[name].proba(x), heads.heads[name].proba(x), atol=1e-6)
    assert back.heads["attr"].classes == ["x", "y", "z"]
    assert back.meta["id"] == "t"


def test_turn_cues_count_each_family():
    rows = turn_cues(["We parked that project. Nothing has changed on the budget though.", "Thanks so much!"])
    names = list(TURN_FAMILIES)
    assert rows.shape == (2, len(names))
    assert rows[0, names.index("drop")] > 0 and rows[0, names.index("stasis")] > 0
    assert rows[1, names.index("thanks")] > 0 and rows[1, names.index("drop")] == 0


def test_turn_cues_of_no_texts():
    assert turn_cues([]).shape == (0, len(TURN_FAMILIES))


def test_one_heads_file_holds_one_network(network, tmp_path):
    n = network
    other = TurnNetwork(n.mean, n.scale, n.w1, n.b1, n.w2, n.b2, ["a", "b"])
    heads = HeadSet({"a": NetworkOutput(network, 0), "b": NetworkOutput(other, 1)}, {})
    with pytest.raises(ValueError, match="one turn network"):
        save_heads(heads, tmp_path)


def test_sentence_rows_swap_in_the_sentences_embedding_and_cues():
    from pipelines.analyze.features import MeetingFeatures

    rng = np.random.default_rng(0)
    texts = ["Hello there.", "We parked that. Thanks so much!"]
    sentences = [["Hello there."], ["We parked that.", "Thanks so much!"]]
    feats = MeetingFeatures(
        texts=texts, speakers=["a", "b"], sides=["vendor", "customer"], emb=rng.normal(size=(2, 8)),
        goal_emb=np.zeros((0, 8)), small=rng.normal(size=(2, 3)), proto=rng.normal(size=(2, 4)),
        sentences=sentences, sent_emb=rng.normal(size=(3, 8)), cues=turn_cues(texts),
    )
    blocks = feats.blocks()
    assert max(b.stop for b in blocks.values()) == feats.matrix.shape[1]
    sents, rows = feats.sentence_rows(1)
    assert sents == sentences[1]
    assert np.allclose(rows[:, blocks["emb"]], feats.sent_emb[1:3])
    assert np.allclose(rows[:, blocks["cues"]], turn_cues(sentences[1]))
    for kept in ("context", "small", "proto", "previous_cues"):
        assert np.allclose(rows[:, blocks[kept]], feats.matrix[[1, 1], blocks[kept]])


def test_a_turn_is_embedded_as_the_mean_of_its_sentences():
    from models.encoder import encode
    from pipelines.analyze.features import encode_turns, sentence_means

    texts = ["The renewal is at risk.", "Finance froze the budget. We need a business case by May!", ""]
    enc = encode_turns(texts)
    assert enc.sentences[1] == ["Finance froze the budget.", "We need a business case by May!"]
    assert enc.sentences[2] == [""]  # an empty turn keeps one (empty) sentence and a unit vector
    assert np.allclose(enc.emb[0], encode(["The renewal is at risk."])[0], atol=1e-5)
    mean = encode(enc.sentences[1]).mean(0)
    assert np.allclose(enc.emb[1], mean / np.linalg.norm(mean), atol=1e-5)
    assert np.allclose(np.linalg.norm(enc.emb, axis=1), 1.0, atol=1e-5)
    assert sentence_means([], np.zeros((0, 4))).shape == (0, 4)


def test_features_embed_the_turns_once(monkeypatch):
    from models import encoder
    from pipelines.analyze.engine import analyze
    from pipelines.transcript import Segment, Transcript

    calls: list[int] = []
    real = encoder.encode
    monkeypatch.setattr(encoder, "encode", lambda texts, **kw: calls.append(len(texts)) or real(texts, **kw))
    turns = ["Thanks for joining, I'll share our roadmap.", "Our budget was frozen. Renewal is at risk."]
    t = Transcript(segments=[Segment(id=i, text=x, speaker=f"S{i}") for i, x in enumerate(turns)])
    result = analyze(t, None, "sides")
    assert not result.sides_inferred  # nobody said the sides: they stay unknown
    assert calls.count(3) == 1  # the three sentences, once; no whole-turn encoding
    assert 2 not in calls


def test_shipped_heads_fit_the_features_the_engine_computes():
    from models.heads import load_heads
    from pipelines.analyze.features import FEATURE_VERSION, SMALL_FEATURES
    from pipelines.analyze.prototypes import GROUPS
    from pipelines.highlight import CATEGORIES

    heads = load_heads()
    assert heads.meta["features"] == FEATURE_VERSION
    widths = {h.network.mean.shape[0] for c in CATEGORIES if isinstance(h := heads.heads[c], NetworkOutput)}
    embedding = 384  # all-MiniLM-L6-v2
    assert widths == {2 * embedding + len(SMALL_FEATURES) + len(GROUPS) + 2 * len(TURN_FAMILIES)}


def test_heads_from_other_features_are_refused():
    from pipelines.analyze.inference import check_heads

    with pytest.raises(RuntimeError, match="alignment-worker train"):
        check_heads(HeadSet({}, {"id": "old", "features": "aw.features.v1"}))


def test_corpus_meetings_count_more_than_our_own_and_the_heads_say_which():
    from models.heads import load_heads
    from pipelines.analyze.training_set import CORPUS_REPEATS, Example, repeated

    ours, corpus = Example(None, None), Example(None, None, CORPUS_REPEATS)  # type: ignore[arg-type]
    assert [id(e) for e in repeated([corpus, ours])] == [id(corpus)] * CORPUS_REPEATS + [id(ours)]
    meta = load_heads().meta
    assert meta["repeated"]["times"] == CORPUS_REPEATS > 1
    corpus_ids = set(meta["repeated"]["meetings"])
    assert corpus_ids and corpus_ids < set(meta["trained_on"])  # the corpus, not models/training
    assert not any(m.startswith("train-") for m in corpus_ids)
