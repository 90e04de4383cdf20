# ML Emissions Calculator: every task of the project.
#   make serve  build the site and serve it on http://127.0.0.1:8000 (for now: a CLI example)
#   make test   install everything into .venv/ and run the whole test suite
#   make data   re-run the data pipeline (validate data/*.csv, compile the catalog)
#   make bench  print the benchmark table

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve test lint typecheck data check-data bench clean

$(STAMP): requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/ml-emissions estimate --hardware "A100 80GB SXM" --count 8 --hours 120 --region gcp:us-central1

lint: $(STAMP)
	$(VENV)/bin/ruff check calculator scripts tests

typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict calculator/ml_emissions

data: $(STAMP)
	$(PY) -m scripts.build_catalog

check-data: $(STAMP)
	$(PY) -m scripts.build_catalog --check

test: lint typecheck
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m scripts.bench

clean:
	rm -rf $(VENV) build dist site .pytest_cache .mypy_cache .ruff_cache .hypothesis
