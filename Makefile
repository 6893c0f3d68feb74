# Diurna: everything the project needs is installed from here (no hand-installed packages).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_DB ?= demo.duckdb

.PHONY: install demo test lint unit eval eval-check bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,browser-tests]"
	touch $(STAMP)

install: $(STAMP)

## make demo: install, ingest the project's examples into $(DEMO_DB), show articles, events, a stance
demo: install
	rm -f $(DEMO_DB)
	$(BIN)/diurna ingest examples/ --db $(DEMO_DB)
	$(BIN)/diurna articles --db $(DEMO_DB)
	$(BIN)/diurna events --db $(DEMO_DB) --limit 15
	$(BIN)/diurna stance UKRDPR --db $(DEMO_DB)

## make test: lint, type-check, the test suite, and the accuracy gate (floors in eval/baseline.json)
test: lint unit eval-check

lint: install
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q

## make eval: accuracy on every gold set present (the shared dev sets only where ../shared exists)
eval: install
	$(BIN)/diurna eval

eval-check: install
	$(BIN)/diurna eval --check

## make bench: throughput against raw nlp.pipe, 1 and 2 workers, local and Dask; writes
## bench/RESULTS.md (QUICK=1 for 200 articles instead of 2,000; REPEAT=3 for medians of 3 runs)
bench: install
	$(BIN)/python bench/run.py $(if $(QUICK),--quick,) $(if $(REPEAT),--repeat $(REPEAT),)

## make fuzz: a property-based fuzzing campaign (hypothesis "fuzz" profile, many examples, fresh
## randomness each run) over readers, cleaning, numbers, dates and the whole pipeline
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q tests/fuzz

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
