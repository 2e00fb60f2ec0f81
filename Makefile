# Two entry points for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR := demo

.PHONY: demo test lint typecheck pytest install chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP)

# Browser tests drive Debian's chromium through Playwright; Playwright's own browser download
# is not reachable from here, so the system package is used.
chromium:
	@command -v chromium >/dev/null 2>&1 || apt-get install -y chromium >/dev/null 2>&1 \
	  || (apt-get update -qq && apt-get install -y chromium >/dev/null)

demo: $(STAMP)
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN)/sanctrace --workspace $(DEMO_DIR)/sanctrace.duckdb init
	$(BIN)/sanctrace --workspace $(DEMO_DIR)/sanctrace.duckdb report --out $(DEMO_DIR)/report.html --pdf
	$(BIN)/sanctrace --workspace $(DEMO_DIR)/sanctrace.duckdb incidents summary --by year
	$(BIN)/sanctrace --workspace $(DEMO_DIR)/sanctrace.duckdb cap status --commodity refined --year 2018

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard benchmarks)
	$(BIN)/ruff format --check src tests $(wildcard benchmarks)

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) chromium
	$(BIN)/pytest

test: lint typecheck pytest

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
