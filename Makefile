# gws-engine: the two commands a newcomer needs are `make demo` and `make test`.

CARGO      ?= cargo
PYTHON     ?= python3
VENV       ?= .venv
ENGINE     := target/debug/gws-engine
SANDBOX    := target/debug/gws-sandbox
PORT       ?= 8000
SANDBOX_PORT ?= 8100

.PHONY: demo test build run validate lint unit clients docker bench help

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

demo: build ## Serve the catalogue at http://127.0.0.1:$(PORT)/mcp against the built-in Google sandbox
	@echo "Starting the Google sandbox on 127.0.0.1:$(SANDBOX_PORT) and the engine on 127.0.0.1:$(PORT) (Ctrl-C stops both)"
	@$(SANDBOX) --port $(SANDBOX_PORT) > /dev/null & sandbox=$$!; \
	trap "kill $$sandbox 2>/dev/null" EXIT INT TERM; \
	GWS_API_ROOT=http://127.0.0.1:$(SANDBOX_PORT) GWS_ACCESS_TOKEN=sandbox-token \
	  $(ENGINE) serve --port $(PORT)

test: lint build unit validate clients ## Everything CI runs: lint, Rust tests, catalogue check, real MCP clients

build: ## Build the engine and the sandbox (debug)
	$(CARGO) build --workspace --locked

run: build ## Serve against real Google (needs credentials; see README)
	$(ENGINE) serve --port $(PORT)

validate: build ## Check the catalogue, and show which Discovery methods it reaches
	$(ENGINE) validate catalogue
	$(ENGINE) coverage

lint: ## rustfmt and clippy, warnings as errors
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

unit: build ## Rust unit and integration tests (rmcp client included)
	$(CARGO) test --workspace --locked

clients: build $(VENV)/.installed ## The Python MCP SDK and LiteLLM proxy against the engine
	$(VENV)/bin/python -m pytest -q tests/clients

$(VENV)/.installed: tests/clients/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/clients/requirements.txt
	touch $@

docker: ## Build the container image (needs a Docker engine)
	docker build -t gws-engine .

bench: ## Load harness on the release build; prints a table, writes target/bench/latest.json (BENCH_ARGS="--delay-ms 50")
	$(CARGO) build --release --workspace --locked
	target/release/gws-bench $(BENCH_ARGS)
