# Shared Tools, Different Motives: every command a contributor needs.
# `make serve` and `make test` are the two that matter; `make help` lists the rest.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# MkDocs 1.x is frozen: silence the end-of-life banners of Material and mkdocs-redirects.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PIP_DISABLE_PIP_VERSION_CHECK := 1

PORT ?= 8000
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
# npm writes this file on every install: it stamps node_modules (Lighthouse) against package-lock.json.
NODE_STAMP := node_modules/.package-lock.json

.PHONY: help venv node serve test lint types unit check evidence build publish offline bench bench-web lock-urls properdocs pin clean

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --no-deps -r requirements.txt 2> >(grep -v 'is ignored' >&2)
	# Make the `scripts` package importable from the venv (MkDocs hooks, mkdocstrings, tests).
	echo "$(CURDIR)" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/course.pth"
	touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(PY) -m pip install --quiet --no-deps -r requirements-dev.txt 2> >(grep -v 'is ignored' >&2)
	touch $@

venv: $(DEV_STAMP) ## Create .venv from the pinned requirements (quick when nothing changed)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error 2> >(grep -v 'Unknown user config' >&2)

node: ## Install the npm tools (Lighthouse) from package-lock.json when npm is present
	@if command -v npm >/dev/null 2>&1; then $(MAKE) -q $(NODE_STAMP) || $(MAKE) --no-print-directory $(NODE_STAMP); \
	else echo "npm not found: Lighthouse tests will skip (apt-get install npm)"; fi

serve: $(RUNTIME_STAMP) ## Check, then serve http://127.0.0.1:8000 with live reload (PORT=8000)
	COURSE_PDF=0 COURSE_DOWNLOADS=0 $(PY) -m scripts check
	# The preview leaves out the API reference and git dates, so a rebuild after an edit takes
	# about a second (make bench measures it); make build and make publish always include them.
	COURSE_API=false COURSE_GIT_DATES=false COURSE_PDF=0 COURSE_DOWNLOADS=0 SITE_URL=http://127.0.0.1:$(PORT)/ \
	  $(BIN)/mkdocs serve --strict -a 127.0.0.1:$(PORT)

check: $(RUNTIME_STAMP) ## Run the pre-publish check (citations, links, policy, URL lock)
	$(PY) -m scripts check

evidence: $(RUNTIME_STAMP) ## Print every citation with the source's words beside it (TSV: the fact-check record)
	$(PY) -m scripts evidence

build: $(RUNTIME_STAMP) ## Check, then build the site into site/ (same as publish)
	$(PY) -m scripts publish

publish: $(RUNTIME_STAMP) ## Check, build into a temporary folder, swap it into site/ on success
	$(PY) -m scripts publish


offline: $(RUNTIME_STAMP) ## Build a zip of the site that works from file:// (dist/)
	$(PY) -m scripts check
	$(PY) -m scripts offline

bench: $(DEV_STAMP) ## Time the check against a strict build and lychee on 100/1,000/10,000 pages
	$(PY) -m scripts bench

bench-web: $(DEV_STAMP) node ## Bytes per page (first and repeat visit, gzip) and Lighthouse when installed
	$(PY) -m scripts bench-web

lock-urls: $(RUNTIME_STAMP) ## Accept the current page URLs and anchors as published (urls.lock)
	$(PY) -m scripts lock-urls

lint: $(DEV_STAMP) ## ruff over scripts/ and tests/
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

types: $(DEV_STAMP) ## mypy --strict over scripts/ and tests/
	$(BIN)/mypy --strict scripts tests

unit: $(DEV_STAMP) ## The test suite alone (no lint)
	$(BIN)/pytest -n 2

test: $(DEV_STAMP) node ## Everything: lint, types, the check, unit, build and browser tests
	$(MAKE) --no-print-directory lint types
	$(PY) -m scripts check
	$(BIN)/pytest -n 2

properdocs: $(RUNTIME_STAMP) ## Build the same mkdocs.yml with ProperDocs, the maintained fork
	$(BIN)/properdocs build --strict -f mkdocs.yml -d .site-properdocs



pin: ## Re-pin requirements*.txt from requirements*.in in a scratch venv
	rm -rf .pin-venv && $(PYTHON) -m venv .pin-venv
	.pin-venv/bin/pip install --quiet -r requirements.in
	.pin-venv/bin/pip freeze --exclude-editable | LC_ALL=C sort -f > requirements.txt
	.pin-venv/bin/pip install --quiet -r requirements-dev.in
	{ echo "-r requirements.txt"; LC_ALL=C comm -13 <(LC_ALL=C sort -f requirements.txt) \
	  <(.pin-venv/bin/pip freeze --exclude-editable | LC_ALL=C sort -f); } > requirements-dev.txt
	rm -rf .pin-venv

clean: ## Remove the built site, caches and .venv
	rm -rf $(VENV) node_modules site .site-* .cache dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
