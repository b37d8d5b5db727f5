# Two commands for a fresh clone: `make demo` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Exact pins of every runtime and dev dependency (`make lock` regenerates them from pyproject.toml).
LOCK := requirements/dev.txt
RUNTIME_LOCK := requirements/runtime.txt
# An editable install: tests run against this checkout, and the resource lookup falls back to the
# top-level framework/ and templates/ folders. The wheel users get is tested by `make wheel`.
INSTALLED := $(VENV)/.installed
# Every runtime dependency at its declared floor (scripts/min_constraints.py).
MIN := .venv-min
DEMO := build/demo

.PHONY: demo test test-min lint typecheck unit wheel lock bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# hatchling comes from the lock, so building the editable install needs no unpinned download.
$(INSTALLED): $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@

demo: $(INSTALLED)
	@bash scripts/demo.sh $(BIN) $(DEMO)

lint: $(INSTALLED)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/yamllint -d "{extends: default, rules: {line-length: disable, document-start: disable}}" --strict examples framework

typecheck: $(INSTALLED)
	$(BIN)/mypy

# On every core; a test file stays on one worker, so its fixtures (a generated county) are
# made once. `pytest` alone runs in one process, as before.
PARALLEL := -n auto --dist loadfile

unit: $(INSTALLED)
	$(BIN)/pytest $(PARALLEL)

# Build the sdist and the wheel (from the sdist), install the wheel with the locked runtime
# dependencies into a throwaway venv, and run the main commands from another folder.
wheel: $(INSTALLED)
	@bash scripts/wheel_smoke.sh $(BIN) $(PYTHON) $(RUNTIME_LOCK)

test: lint typecheck unit wheel

$(MIN)/.installed: pyproject.toml scripts/min_constraints.py
	rm -rf $(MIN)
	$(PYTHON) -m venv $(MIN)
	$(PYTHON) scripts/min_constraints.py > $(MIN)/constraints.txt
	$(MIN)/bin/python -m pip install --quiet -c $(MIN)/constraints.txt -e ".[test]"
	$(MIN)/bin/python -m pip check
	touch $@

# The test suite, minus the browser tests, with every runtime dependency at its floor.
test-min: $(MIN)/.installed
	$(MIN)/bin/python scripts/min_constraints.py --check
	$(MIN)/bin/pytest $(PARALLEL) -m "not browser and not slow"

# Regenerate the locks with pip-tools, in a throwaway venv so .venv stays exactly as locked.
# No index URL is written into the locks: they install from whatever index pip is set up to use.
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet pip-tools
	build/lock-venv/bin/pip-compile --quiet --strip-extras --generate-hashes --no-emit-index-url \
	    --no-emit-find-links --upgrade -o $(RUNTIME_LOCK) pyproject.toml
	build/lock-venv/bin/pip-compile --quiet --strip-extras --generate-hashes --no-emit-index-url \
	    --no-emit-find-links --upgrade --extra test --extra dev -c $(RUNTIME_LOCK) -o $(LOCK) \
	    pyproject.toml

# Each prints its figures beside the one-core libyaml parse of the same files (issue 18's goals).
bench: $(INSTALLED)
	$(BIN)/python benchmarks/collate.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/render.py

clean:
	rm -rf $(VENV) $(MIN) build dist
