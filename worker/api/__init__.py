"""The HTTP API (FastAPI): ``create_app`` in :mod:`worker.api.app`; one module per resource in
:mod:`worker.api.routes`. Never imports torch, CTranslate2 or spaCy (a test checks)."""
