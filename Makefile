# ML Emissions Calculator: every task of the project.
#   make serve  build the site and serve it on http://127.0.0.1:8000
#   make test   install everything into .venv/ (and node_modules/, Debian chromium) and
#               run the whole test suite
#   make data   re-run the data pipeline: validate data/*.csv, compile the catalog and the
#               data package (add UPSTREAM=DIR to re-import the upstream copies first)
#   make bench  print the benchmark table

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TOOLS := .venv-tools
TOOLS_STAMP := $(TOOLS)/.installed
NODE_STAMP := node_modules/.installed
PYODIDE_WHEELS := .cache/pyodide-wheels
PYODIDE_STAMP := $(PYODIDE_WHEELS)/.downloaded
CHROMIUM := /usr/bin/chromium
PDFLATEX := /usr/bin/pdflatex
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1  # silence MkDocs 1.x's banner in build logs

.PHONY: serve site test lint typecheck data check-data bench clean

$(STAMP): requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Command-line tools the tests run whose own pins clash with requirements-dev.txt
# (cffconvert needs jsonschema < 4, frictionless >= 4.20): a virtual environment of their own.
$(TOOLS_STAMP): requirements-tools.txt
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-tools.txt
	touch $(TOOLS_STAMP)

# The pure-Python wheels the engine's tests need inside Pyodide (pinned with their hashes
# in tests/pyodide/requirements.txt), downloaded here so that no test needs the network.
$(PYODIDE_STAMP): tests/pyodide/requirements.txt $(STAMP)
	mkdir -p $(PYODIDE_WHEELS)
	$(PY) -m pip download --disable-pip-version-check --quiet --only-binary=:all: --no-deps \
	  --python-version 3.14 --implementation py --abi none --platform any \
	  -r tests/pyodide/requirements.txt -d $(PYODIDE_WHEELS)
	touch $(PYODIDE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Debian's Chromium for the browser tests (Playwright cannot download browsers here), and
# pdflatex and bibtex to compile the LaTeX export as a paper would.
$(CHROMIUM) $(PDFLATEX) &:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  texlive-latex-base

site: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/mkdocs build --strict

serve: site
	@echo "Serving the site on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory site

lint: $(STAMP)
	$(VENV)/bin/ruff check calculator pipeline sitebuild bench tests

typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict calculator/ml_emissions

data: $(STAMP)
ifdef UPSTREAM
	$(PY) -m pipeline.importers.electricitymaps $(UPSTREAM)/electricitymaps/yearly_2024.csv
	$(PY) -m pipeline.importers.google_regions $(UPSTREAM)/google-region-carbon-info
	$(PY) -m pipeline.importers.mlco2_regions $(UPSTREAM)/mlco2-impact/impact.csv
endif
	$(PY) -m pipeline.build_catalog
	$(PY) -m pipeline.legacy_comparison --write
	$(PY) -m pipeline.build_datapackage
	$(PY) -m pipeline.column_docs --write

check-data: $(STAMP)
	$(PY) -m pipeline.validate
	$(PY) -m pipeline.build_catalog --check
	$(PY) -m pipeline.legacy_comparison --check
	$(PY) -m pipeline.build_datapackage --check
	$(PY) -m pipeline.column_docs --check

# One worker per core, each taking whole test files (a file's fixtures, such as a browser
# or the Pyodide run, are set up once); `pytest FILE` alone runs serially.
test: lint typecheck $(NODE_STAMP) $(TOOLS_STAMP) $(PYODIDE_STAMP) $(CHROMIUM) $(PDFLATEX)
	$(PY) -m pytest -n auto --dist loadfile

bench: $(STAMP) $(NODE_STAMP)
	$(PY) -m bench.bench

clean:
	rm -rf $(VENV) $(TOOLS) node_modules build dist site .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
