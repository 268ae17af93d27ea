# caseflow — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export CASEFLOW_INSTANCE ?= $(CURDIR)/instance

.PHONY: run test install install-test translations lint bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "caseflow needs Python 3.11 or newer"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || \
	  { echo "Could not create $(VENV): on Debian, apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed translations

translations: | $(VENV)/.installed
	@$(BIN)/pybabel -q compile -f -d caseflow/translations

run: install
	$(BIN)/caseflow init
	$(BIN)/caseflow db upgrade
	$(BIN)/caseflow demo --if-empty
	$(BIN)/caseflow serve

test: $(VENV)/.installed-test translations
	$(BIN)/ruff check caseflow tests bench
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check caseflow tests bench

bench: $(VENV)/.installed-test
	$(BIN)/python bench/registry.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
