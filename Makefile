# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
DEMO_BRIEF := "A lighthouse keeper named Elias finds a message in a bottle during a storm at night. It is from his daughter Nora, who left the island years ago. At dawn he rows out to meet her boat."

.PHONY: demo test test-all setup clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/filmcrew setup

demo: setup
	$(BIN)/filmcrew make $(DEMO_BRIEF) --out runs/demo --duration 30 --audience short-drama

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Everything, including the slow end-to-end runs left out of `make test`.
test-all: $(STAMP)
	$(BIN)/python -m pytest -q -m ""

clean:
	rm -rf runs .pytest_cache
