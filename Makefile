# One entry point for people and CI (.ci/run calls `make test`). Needs only python3 (>= 3.11) and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
WHEEL_VENV := .venv-wheel
NB_VENV := .venv-notebooks

.PHONY: run test lint wheel-test notebooks bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

## run: install the package and run the main job (validate the data, then summarise it)
run: $(BIN)/python
	$(BIN)/python -m pip install -q .
	$(BIN)/amaz-detainees validate
	$(BIN)/amaz-detainees info

## test: install with test extras, lint, check generated files, run the tests on the source tree and on the built wheel
test: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/amaz-detainees stamp --check
	$(BIN)/amaz-detainees codebook --check
	$(BIN)/pytest
	$(MAKE) wheel-test
	$(MAKE) notebooks

## wheel-test: build the wheel, install it in a fresh venv and run the tests against it from another directory
wheel-test: $(BIN)/python
	rm -rf dist $(WHEEL_VENV)
	$(BIN)/python -m build --wheel --outdir dist . >/dev/null
	$(PY) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install -q --upgrade pip
	$(WHEEL_VENV)/bin/python -m pip install -q "$$(ls dist/*.whl)[test]"
	rm -rf /tmp/amaz-detainees-wheel-tests && mkdir -p /tmp/amaz-detainees-wheel-tests
	cp -r tests /tmp/amaz-detainees-wheel-tests/
	cd /tmp/amaz-detainees-wheel-tests && $(CURDIR)/$(WHEEL_VENV)/bin/python -m pytest -q -p no:cacheprovider tests

## notebooks: in a separate venv (Jupyter stays out of the validation one), check each .ipynb matches its
## jupytext .py pair, then run them all with nbmake; they write docs/figures/*.png
notebooks:
	test -x $(NB_VENV)/bin/python || $(PY) -m venv $(NB_VENV)
	$(NB_VENV)/bin/python -m pip install -q --upgrade pip
	$(NB_VENV)/bin/python -m pip install -q -e ".[notebooks]"
	$(NB_VENV)/bin/python notebooks/check_pairs.py
	$(NB_VENV)/bin/pytest -p no:cacheprovider --nbmake --nbmake-kernel=python3 notebooks/*.ipynb

## bench: validation speed and memory at 10k, 100k and 1M rows against Frictionless and a polars floor, the
## shipped-package figures and the load benchmark; writes benchmarks/RESULTS.md (about an hour, mostly Frictionless)
bench: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[bench]"
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(WHEEL_VENV) $(NB_VENV) dist build
