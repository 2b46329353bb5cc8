# Every target is a thin call of `python -m reproduce ...` (or pytest).
# `make test` and `make table1` create .venv from requirements.txt when it is
# missing or older than requirements.txt.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

PROFILE   ?= paper
WORKERS   ?= 2
SCHEDULER ?=
DB        ?= results/runs.sqlite
OUT       ?= results

SWEEP_TARGET = $(if $(SCHEDULER),--scheduler $(SCHEDULER),--workers $(WORKERS))

.PHONY: install test table1 sweep figure6 patterns bench clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q

# `make table1` resumes an interrupted sweep; PROFILE=quick|smoke, WORKERS=N or
# SCHEDULER=tcp://HOST:PORT (a Dask cluster) override.
sweep: $(STAMP)
	$(PY) -m reproduce sweep --profile $(PROFILE) --db $(DB) $(SWEEP_TARGET)

table1: sweep
	$(PY) -m reproduce table1 --db $(DB) --out $(OUT)

figure6: $(STAMP)
	$(PY) -m reproduce figure6 --out $(OUT)/figures

patterns: $(STAMP)
	$(PY) -m reproduce patterns --out $(OUT)/figures

bench: $(STAMP)
	$(PY) -m bench.engines

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
