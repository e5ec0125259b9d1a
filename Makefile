# One entry point for people and CI (.ci/run calls `make test`). Needs only python3 (>= 3.11) and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
WHEEL_VENV := .venv-wheel
NB_VENV := .venv-notebooks
# Every pip install below, and the isolated build envs of pip (hatchling for -e .) and of `python -m build`, takes
# the exact versions in constraints.txt (pip 26.2+ reads only the build constraint inside its own build envs).
# `make lock` regenerates the file; .ci/check_pins.py fails when an installed distribution is not pinned there.
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_BUILD_CONSTRAINT := $(CURDIR)/constraints.txt
CHECK_PINS := $(PY) .ci/check_pins.py

.PHONY: run check test lint wheel-test notebooks bench clean browser site

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

## run: install the package and run the main job (validate the data, then summarise it)
run: $(BIN)/python
	$(BIN)/python -m pip install -q .
	$(BIN)/amaz-detainees validate
	$(BIN)/amaz-detainees info

## check: install with test extras, lint, type-check (mypy --strict on src), check generated and canonical files, run
## the fast tests on the source tree (under 2 minutes). Tests marked cli_check repeat the --checks: the wheel runs them.
check: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"
	$(CHECK_PINS) $(BIN)/python
	$(BIN)/ruff check src tests benchmarks notebooks docs
	$(BIN)/mypy
	$(BIN)/amaz-detainees stamp --check
	$(BIN)/amaz-detainees codebook --check
	$(BIN)/amaz-detainees fmt --check
	$(BIN)/pytest -q -m "not slow and not cli_check"

## test: the full gate: `make check`, the slow tests on the source tree (the browser ones need `make browser`), the
## fast ones on the built wheel, the notebooks
test: check browser
	$(BIN)/pytest -q -m slow
	$(MAKE) wheel-test
	$(MAKE) notebooks

## browser: Debian's Chromium (/usr/bin/chromium), which playwright drives for the browser tests and the screenshots;
## playwright never downloads a browser of its own (`playwright install` is never run). Installs only when it is
## missing; apt-get needs root (CI runs as root), else sudo.
browser:
	test -x /usr/bin/chromium || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; }

## site: build the website into _site/, then screenshot the home page and a release at 1280 and 390 px into docs/site/
site: $(BIN)/python browser
	$(BIN)/python -m pip install -q -e ".[site]" playwright
	$(CHECK_PINS) $(BIN)/python
	rm -rf _site
	$(BIN)/amaz-detainees site --out _site
	$(BIN)/python docs/site/screenshots.py _site docs/site

## wheel-test: build the wheel, install it in a fresh venv and run the fast tests against it from another directory
wheel-test: $(BIN)/python
	rm -rf dist $(WHEEL_VENV)
	$(BIN)/python -m build --wheel --outdir dist . >/dev/null
	$(PY) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install -q --upgrade pip
	$(WHEEL_VENV)/bin/python -m pip install -q "$$(ls dist/*.whl)[test]"
	$(CHECK_PINS) $(WHEEL_VENV)/bin/python
	rm -rf /tmp/amaz-detainees-wheel-tests && mkdir -p /tmp/amaz-detainees-wheel-tests
	cp -r tests /tmp/amaz-detainees-wheel-tests/
	cd /tmp/amaz-detainees-wheel-tests && $(CURDIR)/$(WHEEL_VENV)/bin/python -m pytest -q -p no:cacheprovider tests \
		-m "not slow"  # the slow tests explore the code, not the install: once, on the source tree, is enough

## notebooks: in a separate venv (Jupyter stays out of the validation one), check each .ipynb matches its
## jupytext .py pair, then run them all with nbmake; they write docs/figures/*.png
notebooks:
	test -x $(NB_VENV)/bin/python || $(PY) -m venv $(NB_VENV)
	$(NB_VENV)/bin/python -m pip install -q --upgrade pip
	$(NB_VENV)/bin/python -m pip install -q -e ".[notebooks]"
	$(CHECK_PINS) $(NB_VENV)/bin/python
	$(NB_VENV)/bin/python notebooks/check_pairs.py
	$(NB_VENV)/bin/pytest -p no:cacheprovider --nbmake --nbmake-kernel=python3 notebooks/*.ipynb

## bench: validation speed and memory at 10k, 100k and 1M rows against Frictionless and a polars floor, the
## shipped-package figures and the load benchmark; writes benchmarks/RESULTS.md (about an hour, mostly Frictionless)
bench: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[bench]"
	$(CHECK_PINS) $(BIN)/python
	$(BIN)/python benchmarks/run.py

## lock: regenerate constraints.txt from fresh unconstrained venvs (about 5 minutes), then run `make clean test`
.PHONY: lock
lock:
	$(PY) .ci/lock.py

clean:
	rm -rf $(VENV) $(WHEEL_VENV) $(NB_VENV) dist build
