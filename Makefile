# Every target is a thin call of `reproduce ...` (the console script of this package,
# the same as `python -m reproduce ...`) or pytest.  `make test` and `make table1`
# create .venv and install requirements.txt and the package (editable) when .venv is
# missing or was installed from another requirements.txt or pyproject.toml (the
# stamp's name is a hash of their contents, so a fresh clone installs once).

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | $(PYTHON) -c \
            "import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])")
REPRODUCE := $(VENV)/bin/reproduce

PROFILE   ?= paper
WORKERS   ?= 2
SCHEDULER ?=
DB        ?= results/runs.sqlite
OUT       ?= results

SWEEP_TARGET = $(if $(SCHEDULER),--scheduler $(SCHEDULER),--workers $(WORKERS))

.PHONY: install test table1 sweep figure6 patterns bench clean

install: $(STAMP)

$(STAMP):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q

# `make table1` resumes an interrupted sweep; PROFILE=quick|smoke, WORKERS=N or
# SCHEDULER=tcp://HOST:PORT (a Dask cluster) override.
sweep: $(STAMP)
	$(REPRODUCE) sweep --profile $(PROFILE) --db $(DB) $(SWEEP_TARGET)

table1: sweep
	$(REPRODUCE) table1 --db $(DB) --out $(OUT)

figure6: $(STAMP)
	$(REPRODUCE) figure6 --out $(OUT)/figures

patterns: $(STAMP)
	$(REPRODUCE) patterns --out $(OUT)/figures

bench: $(STAMP)
	$(PY) -m bench.engines

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis *.egg-info
