# Credit Tray. Needs only python3 (3.11+) and make; everything else goes into .venv from requirements.lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: venv system-packages demo run test test-fast test-desktop reliability lint typecheck screenshots bench lock clean icons package translations

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

demo: venv
	$(BIN)/trayapp --demo

run: venv
	$(BIN)/trayapp

lint: venv
	$(BIN)/ruff check trayapp tests bench
	$(BIN)/ruff format --check trayapp tests bench

typecheck: venv
	$(BIN)/mypy

# The Debian packages both tiers need (Qt's runtime libraries, fonts, Xvfb, the daemons, validators):
# installed when run as root, otherwise the apt-get line to run is printed.
system-packages:
	scripts/desktop-session --install-only

# The fast tier: core, providers against loopback servers, CLI subprocesses, offscreen Qt.
test-fast: venv
	$(BIN)/python -m pytest -m "not desktop" $(PYTEST_ARGS)

# The real-desktop tier: Xvfb, a private D-Bus, xfce4-panel/trayer, dunst, gnome-keyring.
test-desktop: venv
	scripts/desktop-session -- $(BIN)/python -m pytest -m desktop $(PYTEST_ARGS)

# Reliability and security with numbers (issue 8): runs tests/reliability, rewrites docs/RELIABILITY.md.
reliability: venv
	$(BIN)/python scripts/reliability-report.py

test: system-packages lint typecheck test-fast test-desktop

screenshots: venv
	scripts/desktop-session -- $(BIN)/python scripts/screenshots.py docs/screenshots

bench: venv
	scripts/desktop-session -- $(BIN)/python -m bench

# Static icons (hicolor PNG/SVG, symbolic, macOS template and .icns, Windows .ico) from the run-time drawing.
icons: venv
	$(BIN)/python packaging/make_icons.py --out resources/icons

# The UI's translations: every tr()/translate() string of trayapp/ui into the .ts translators edit
# (no line numbers, so edits elsewhere do not churn it), then the .qm the package ships.
TS := resources/translations/trayapp_ja.ts
translations: venv
	$(BIN)/pyside6-lupdate trayapp/ui/*.py -ts $(TS) -no-obsolete -locations none -target-language ja_JP
	$(BIN)/pyside6-lrelease $(TS) -qm trayapp/translations/trayapp_ja.qm

# A one-folder PyInstaller bundle in dist/trayapp/ (binary: dist/trayapp/trayapp).
package: venv
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
	  packaging/pyinstaller/trayapp.spec
	@du -sh dist/trayapp

lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -e '.[dev]' setuptools wheel
	{ echo '# Pinned set of every package in .venv (runtime, tests, lint). Regenerate with `make lock`.'; \
	  .lockvenv/bin/pip freeze --exclude-editable --all | grep -v '^pip=='; } > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
