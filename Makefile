# Two commands matter: `make dev` (the whole platform on http://127.0.0.1:3000) and `make test`.
# Every target bootstraps what it needs: the .venv from pyproject.toml, the CDK CLI from package.json.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Quiet: errors still show, progress bars, "Successfully installed" and pip's own upgrade notices do not.
PIP := $(BIN)/pip --quiet --disable-pip-version-check --no-input
CDK := node_modules/.bin/cdk
LAYER := .build/layers/.built
# The admin console (admin_console/, React Admin + Vite): rebuilt when any of its sources changed.
CONSOLE := admin_console/dist/index.html
CONSOLE_DEPENDENCIES := admin_console/node_modules/.installed
CONSOLE_SOURCES := $(shell find admin_console/src -type f) $(wildcard admin_console/*.html admin_console/*.ts admin_console/*.json)
# The browser tests drive the OS's Chromium (Debian's chromium + chromium-driver), installed on first use.
CHROMEDRIVER := /usr/bin/chromedriver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) apt-get install -y -q chromium chromium-driver >/dev/null
# The functions' import roots, as Lambda lays them out (/var/task and the shared layer's /opt/python).
export PYTHONPATH := $(CURDIR):$(CURDIR)/layers/shared/python

.PHONY: install lock dev test lint format bench simulate fuzz soak synth deploy diff reconcile layer clean admin-console screenshots

install: $(INSTALLED)

# constraints.txt pins every package to the versions the tests last passed with (`make lock` refreshes it).
$(INSTALLED): pyproject.toml constraints.txt
	@echo "Installing the Python dependencies into $(VENV) (first run only)..."
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip
	@$(PIP) install --constraint constraints.txt -e '.[dev]'
	@touch $@

lock: $(INSTALLED)
	$(PIP) install --upgrade -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

$(CDK): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

layer: $(LAYER)

admin-console: $(CONSOLE)

$(CONSOLE_DEPENDENCIES): admin_console/package.json admin_console/package-lock.json
	cd admin_console && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CHROMEDRIVER):
	@echo "Installing Chromium and ChromeDriver from the OS packages for the browser tests (first run only)..."
	@$(APT_INSTALL) || ($(SUDO) apt-get update -q >/dev/null && $(APT_INSTALL)) || \
		{ echo "error: install them with: sudo apt-get install chromium chromium-driver" >&2; exit 1; }

$(CONSOLE): $(CONSOLE_SOURCES) | $(CONSOLE_DEPENDENCIES)
	@echo "Building the admin console (admin_console/ -> admin_console/dist)..."
	@cd admin_console && npm run --silent build -- --logLevel warn

$(LAYER): pyproject.toml infra_cdk/dependency_layer.py | $(INSTALLED)
	$(BIN)/python -m infra_cdk.dependency_layer

dev: $(INSTALLED) $(CONSOLE)
	@$(BIN)/python -m local_runtime

test: $(INSTALLED) $(LAYER) $(CDK) $(CONSOLE) $(CHROMEDRIVER)
	$(BIN)/pytest -n auto

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy functions layers/shared/python local_runtime infra_cdk

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(INSTALLED) $(LAYER) $(CONSOLE) $(CHROMEDRIVER)
	$(BIN)/python -m bench

# The long run of the API contract: 1,000 generated requests per operation and mode (make test: 50).
fuzz: $(INSTALLED)
	CONTRACT_EXAMPLES=1000 $(BIN)/pytest tests/e2e/test_openapi_contract.py -n auto --timeout=0

# The long run of the generated ledger sequences (>= 10,000 operations with injected failures).
soak: $(INSTALLED)
	LEDGER_SEQUENCE_PROFILE=soak $(BIN)/pytest tests/integration/test_ledger_sequences.py -q -s --timeout=0

# The admin console's pictures in docs/: the browser journeys that show the dashboard and a user's page.
screenshots: $(INSTALLED) $(CONSOLE) $(CHROMEDRIVER)
	CONSOLE_SCREENSHOTS=docs/images $(BIN)/pytest tests/browser -q -k "charts or adjusts_their_wallet"

synth: $(INSTALLED) $(LAYER) $(CDK) $(CONSOLE)
	$(CDK) synth --quiet

diff: $(INSTALLED) $(LAYER) $(CDK) $(CONSOLE)
	$(CDK) diff

deploy: $(INSTALLED) $(LAYER) $(CDK) $(CONSOLE)
	$(CDK) deploy --require-approval broadening

# Against a deployed table: make reconcile LEDGER_TABLE_NAME=<name> AWS_REGION=<region>
# A simulated user-day through the real handlers, its monthly bill for 1 million users, hot keys, quotas and
# latency (docs/capacity.md). `make simulate USERS=10000` (make itself takes no --users).
USERS ?= 1000
simulate: $(INSTALLED)
	$(BIN)/python -W ignore -m bench.simulate --users $(USERS)

reconcile: $(INSTALLED)
	$(BIN)/python -m twtc_core.ledger.reconcile

clean:
	rm -rf $(VENV) node_modules cdk.out .build .pytest_cache .mypy_cache .ruff_cache
