# Two commands for a fresh machine: `make run` and `make test`. Both create or reuse .venv.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
BIN := $(VENV)/bin

.PHONY: run test lint bench frameworks wheel clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/airmf-gui

test: $(STAMP)
	$(BIN)/ruff check app tests tools
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check app tests tools
	$(BIN)/ruff format --check app tests tools

bench: $(STAMP)
	# An installed app has compiled bytecode; compile ours too so start-up is measured fairly.
	$(BIN)/python -m compileall -q app
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

frameworks: $(STAMP)
	$(BIN)/python tools/build_frameworks.py ../shared/reference

wheel: $(STAMP)
	$(BIN)/python -m build --wheel --outdir dist

clean:
	rm -rf $(VENV) dist build .pytest_cache
