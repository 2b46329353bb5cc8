# Every target is a thin call of `reproduce ...` (the console script of this package,
# the same as `python -m reproduce ...`), pytest or ruff.  `make test` and `make table1`
# create .venv and install requirements.txt (exact pins) and the package (editable, with
# its extras `test` and `cluster`) when .venv is missing or was installed from another
# requirements.txt or pyproject.toml (the stamp's name is a hash of their contents, so a
# fresh clone installs once).

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | $(PYTHON) -c \
            "import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])")
REPRODUCE := $(VENV)/bin/reproduce

PROFILE   ?= paper
READING   ?= stated
REPLICATES ?= 0
WORKERS   ?= 2
SCHEDULER ?=
DB        ?= results/stores/$(PROFILE)-$(READING).sqlite
OUT       ?= results/$(PROFILE)/$(READING)

SWEEP_TARGET = $(if $(SCHEDULER),--scheduler $(SCHEDULER),--workers $(WORKERS))

.PHONY: install test test-fast lint table1 claims mechanisms claims-summary noise sweep \
        sensitivity figure6 patterns bench clean

install: $(STAMP)

$(STAMP):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt \
	    -e ".[test,cluster]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# everything (CI runs this), on two processes (pytest-xdist; a test module stays on one,
# so its module fixtures and cached references are made once); test-fast leaves out the
# tests marked slow (kill -9, Ctrl-C, Dask, end to end, processes, repeats of a check:
# tests/conftest.py).  TEST_WORKERS=0 runs in this process alone.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -q $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadscope)

test: $(STAMP)
	$(PYTEST)

test-fast: $(STAMP)
	$(PYTEST) -m "not slow"

# lint and import order (the suite runs it too: tests/test_hygiene.py)
lint: $(STAMP)
	$(PY) -m ruff check .

# `make table1` resumes an interrupted sweep; PROFILE=quick|smoke, READING=<name>
# (reproduce.experiment.readings), REPLICATES=0-4 (independent reruns; reproduce.experiment.profiles),
# WORKERS=N or SCHEDULER=tcp://HOST:PORT (a Dask cluster) override.
sweep: $(STAMP)
	$(REPRODUCE) sweep --profile $(PROFILE) --reading $(READING) --replicates $(REPLICATES) \
	    --db $(DB) $(SWEEP_TARGET)

table1: sweep
	$(REPRODUCE) table1 --db $(DB) --reading $(READING) --profile $(PROFILE) \
	    --replicates $(REPLICATES) --out $(OUT)

# the paper's claims over the runs table1 wrote (REPLICATES=all: every replicate they hold),
# with the Figure 6 mechanisms of $(OUT)/mechanisms.csv when `make mechanisms` made it
claims: $(STAMP)
	$(REPRODUCE) claims --db $(OUT)/runs.csv.gz --reading $(READING) --profile $(PROFILE) \
	    --replicates $(REPLICATES) \
	    $(if $(wildcard $(OUT)/mechanisms.csv),--mechanisms $(OUT)/mechanisms.csv) --out $(OUT)

# Figure 6's mechanisms over retrained solved networks of those runs (minutes)
mechanisms: $(STAMP)
	$(REPRODUCE) mechanisms --db $(OUT)/runs.csv.gz --reading $(READING) \
	    --profile $(PROFILE) --out $(OUT)

# the claims' verdicts across the readings of results/$(PROFILE)
claims-summary: $(STAMP)
	$(REPRODUCE) claims-summary --results results/$(PROFILE)

# the noise floor of Table I from the replicates in OUT's runs (REPLICATES=0-4 for
# `make table1` first), every other reading under results/PROFILE judged against it
noise: $(STAMP)
	$(REPRODUCE) noise --db $(OUT)/runs.csv.gz --reading $(READING) --profile $(PROFILE) \
	    --judge results/$(PROFILE) --out $(OUT)

# the sensitivity study: the variance grid, then each other choice at variance STUDY_VARIANCE
STUDY_PROFILE  ?= quick
STUDY_VARIANCE ?= 0.09
sensitivity: $(STAMP)
	$(REPRODUCE) sensitivity --profile $(STUDY_PROFILE) --study $(STUDY_VARIANCE) \
	    --replicates $(REPLICATES) $(SWEEP_TARGET)

figure6: $(STAMP)
	$(REPRODUCE) figure6 --out results/figures

patterns: $(STAMP)
	$(REPRODUCE) patterns --out results/figures

bench: $(STAMP)
	$(PY) -m bench.engines

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache *.egg-info
