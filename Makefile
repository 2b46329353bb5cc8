# Every target is a thin call of `python -m reproduce ...` (or pytest).
# `make test` and `make table1` create .venv from requirements.txt when it is
# missing or older than requirements.txt.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

PROFILE   ?= paper
READING   ?= stated
WORKERS   ?= 2
SCHEDULER ?=
DB        ?= results/stores/$(PROFILE)-$(READING).sqlite
OUT       ?= results/$(PROFILE)/$(READING)

SWEEP_TARGET = $(if $(SCHEDULER),--scheduler $(SCHEDULER),--workers $(WORKERS))

.PHONY: install test table1 claims sweep sensitivity figure6 patterns bench clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q

# `make table1` resumes an interrupted sweep; PROFILE=quick|smoke, READING=<name>
# (reproduce.readings), WORKERS=N or SCHEDULER=tcp://HOST:PORT (a Dask cluster) override.
sweep: $(STAMP)
	$(PY) -m reproduce sweep --profile $(PROFILE) --reading $(READING) --db $(DB) $(SWEEP_TARGET)

table1: sweep
	$(PY) -m reproduce table1 --db $(DB) --reading $(READING) --profile $(PROFILE) --out $(OUT)

# the paper's claims over the runs table1 wrote
claims: $(STAMP)
	$(PY) -m reproduce claims --db $(OUT)/runs.csv.gz --reading $(READING) --profile $(PROFILE) --out $(OUT)

# the sensitivity study: the variance grid, then each other choice at variance STUDY_VARIANCE
STUDY_PROFILE  ?= quick
STUDY_VARIANCE ?= 0.09
sensitivity: $(STAMP)
	$(PY) -m reproduce sensitivity --profile $(STUDY_PROFILE) --study $(STUDY_VARIANCE) $(SWEEP_TARGET)

figure6: $(STAMP)
	$(PY) -m reproduce figure6 --out results/figures

patterns: $(STAMP)
	$(PY) -m reproduce patterns --out results/figures

bench: $(STAMP)
	$(PY) -m bench.engines

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
