# Rewind: build, serve and test.
#
#   make serve   install what is missing, then serve the app on 127.0.0.1:8080
#   make test    install what is missing, then engine tests, release build, browser tests
#
# Every install step checks for the exact version first, so once the tools are
# present `make tools browser e2e-deps` is a quick no-op.

# Tool versions. They must agree with Trunk.toml [tools] and the crate's
# `wasm-bindgen = "=0.2.130"` pin in Cargo.toml.
TRUNK_VERSION        := 0.21.14
WASM_BINDGEN_VERSION := 0.2.130
BINARYEN_VERSION     := 132
WASM_TARGET          := wasm32-unknown-unknown

E2E_DIR   := tests/e2e
# Listed explicitly rather than `node --test tests/e2e/`: Node 20 walks a
# directory argument, Node 22 takes arguments as globs; a file list works on both.
E2E_TESTS  = $(wildcard $(E2E_DIR)/*.test.mjs)

SHELL       := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# `cargo install` puts binaries in ~/.cargo/bin, which a fresh (CI) shell may
# not have on PATH. Putting it first also means the versions we install win
# over any other copy elsewhere on PATH.
export PATH := $(HOME)/.cargo/bin:$(PATH)

# apt-get needs root: use sudo only when not already root (CI runs as root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help serve build cli test lint lint-tools test-engine test-components test-e2e bench bench-cli profile fetch tools wasm-target trunk \
        wasm-bindgen wasm-opt browser node e2e-deps clean fuzz

help:
	@echo 'Rewind make targets:'
	@echo '  serve     install missing tools, then trunk serve on http://127.0.0.1:8080'
	@echo '  build     release build into dist/ (trunk build --release)'
	@echo '  cli       install the rewind command line (cargo install --path crates/cli)'
	@echo '  test      fmt and clippy, workspace tests (cargo test), component tests, release build, browser tests'
	@echo '  lint      cargo fmt --check and clippy -D warnings (native workspace and the wasm32 app)'
	@echo '  test-engine / test-components / test-e2e   one layer (test-e2e needs an existing dist/)'
	@echo '  bench     native benchmarks, memory, the 1M-event browser benchmark, and 1M events over 200,000 streams through the file picker'
	@echo '  bench-cli rewind check against jq on 1M-event JSON Lines (1,000 and 200,000 streams), time and memory'
	@echo '  profile   CPU profile of the app loading the 1M-event log, by function'
	@echo '  fuzz      every fuzz target (fuzz/, cargo-fuzz on nightly) for FUZZ_SECONDS each (default 60)'
	@echo '  tools     wasm32 target, trunk $(TRUNK_VERSION), wasm-bindgen $(WASM_BINDGEN_VERSION), wasm-opt $(BINARYEN_VERSION)'
	@echo '  browser   Debian chromium + chromium-driver'
	@echo '  e2e-deps  npm ci in $(E2E_DIR) when node_modules is missing or stale'
	@echo '  clean     remove dist/, target/ and $(E2E_DIR)/node_modules/'

# ---------------------------------------------------------------- run / build

serve: tools fetch
	trunk serve

build: tools fetch
	trunk build --release

# The command line, from this checkout, onto PATH (~/.cargo/bin). Reinstalls only what changed.
cli: fetch
	cargo install --locked --offline --path crates/cli

# Trunk.toml sets `offline = true` (Trunk must not download tools), and Trunk
# passes that on as `cargo build --offline`: fetch the crates first. Without a
# --target, cargo fetch gets the dependencies of every platform, wasm32 included.
fetch:
	cargo fetch

# ---------------------------------------------------------------------- tests

# The steps run in this order on purpose: the browser tests need the release build.
test: tools browser e2e-deps fetch lint
	cargo test --workspace
	$(COMPONENT_TESTS)
	trunk build --release
	node --test $(E2E_TESTS)

# Formatting and clippy, natively for the workspace and for the app as WebAssembly (the UI exists
# only there). Warnings fail the build.
lint: tools lint-tools fetch
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) -p rewind --all-targets -- -D warnings

# Component tests: single components in headless Chromium through wasm-bindgen's test runner
# (.cargo/config.toml names it; webdriver.json gives Chromium its flags).
COMPONENT_TESTS = CHROMEDRIVER=$$(command -v chromedriver) cargo test --target $(WASM_TARGET) --test components

test-components: tools browser fetch
	$(COMPONENT_TESTS)

# Native tests of the engine (no browser, no wasm).
test-engine:
	cargo test --workspace

# Browser tests alone, against the dist/ already built (`make build`).
test-e2e: e2e-deps
	node --test $(E2E_TESTS)

# ------------------------------------------------------------------ benchmarks

BENCH_EVENTS := 1000000
BENCH_LOG    := target/bench/bank-$(BENCH_EVENTS).json
# The same number of events over 200,000 streams (one per aggregate, as real stores keep them),
# as one JSON document and as JSON Lines, and a store log of orders as JSON Lines.
BENCH_MANY   := target/bench/bank-$(BENCH_EVENTS)-200k

# Native speed (divan) and memory, then the same generated log in headless Chromium, both ways;
# then every log opened through the file picker as a person does, with the core loop timed.
bench: tools browser e2e-deps fetch
	cargo bench -p rewind-engine --bench engine
	cargo bench -p rewind-engine --bench memory
	trunk build --release
	mkdir -p target/bench
	cargo build --release -p rewind-cli --bin rewind -p rewind-engine --example generate
	target/release/examples/generate bank $(BENCH_EVENTS) $(BENCH_LOG)
	target/release/examples/generate bank $(BENCH_EVENTS) $(BENCH_MANY).json 200000
	target/release/rewind convert $(BENCH_MANY).json --to ndjson > $(BENCH_MANY).ndjson
	target/release/examples/generate store $(BENCH_EVENTS) target/bench/store.json 200000
	target/release/rewind convert target/bench/store.json --to ndjson > target/bench/store-$(BENCH_EVENTS)-200k.ndjson
	node tests/bench/browser.mjs $(BENCH_LOG)
	node tests/bench/picker.mjs $(BENCH_LOG) $(BENCH_MANY).json $(BENCH_MANY).ndjson target/bench/store-$(BENCH_EVENTS)-200k.ndjson

# `rewind check` against the jq a user would write, on generated JSON Lines: 1M events over 1,000
# and over 200,000 streams, and 4M over 200,000 to show streaming memory does not grow with events.
CLI_BENCH := target/bench/cli
JQ_FOLD := reduce inputs as $$e ({}; .[$$e.stream] += (if $$e.type == "Deposit" then $$e.data.amount elif $$e.type == "Withdraw" then -$$e.data.amount else 0 end))
bench-cli: fetch
	cargo build --release -p rewind-cli --bin rewind -p rewind-engine --example generate
	mkdir -p $(CLI_BENCH)
	for spec in 1000000:1000 1000000:200000 4000000:200000; do \
	  events=$${spec%:*}; streams=$${spec#*:}; log=$(CLI_BENCH)/bank-$$events-$$streams.ndjson; \
	  test -f $$log || { target/release/examples/generate bank $$events $(CLI_BENCH)/tmp.json $$streams && \
	    target/release/rewind convert $(CLI_BENCH)/tmp.json --to ndjson > $$log && rm $(CLI_BENCH)/tmp.json; }; \
	  echo "== $$log"; \
	  /usr/bin/time -f '   rewind check FILE: %e s, peak %M KB' target/release/rewind check $$log | tail -1; \
	  /usr/bin/time -f '   rewind check - (streaming): %e s, peak %M KB' target/release/rewind check - < $$log | tail -1; \
	  /usr/bin/time -f '   bank.rhai, streaming: %e s, peak %M KB' target/release/rewind check - --domain bank.rhai < $$log | tail -1; \
	  /usr/bin/time -f '   jq: %e s, peak %M KB' jq -n '$(JQ_FOLD)' $$log > /dev/null; \
	done

# Where the time goes while the app loads the benchmark log: a CPU profile by function. wasm-opt
# drops function names, so this builds its own bundle without it (index.html with wasm-opt off,
# beside the original so its relative paths hold).
PROFILE_DIST := target/profile-dist

profile: tools browser e2e-deps fetch
	mkdir -p target/bench
	test -f $(BENCH_LOG) || cargo run --release -p rewind-engine --example generate -- bank $(BENCH_EVENTS) $(BENCH_LOG)
	sed 's/data-wasm-opt="z"/data-wasm-opt="0"/' index.html > profile.html
	trunk build --release=true --dist $(PROFILE_DIST) profile.html || { rm -f profile.html; exit 1; }
	rm -f profile.html
	REWIND_DIST=$(PROFILE_DIST) node tests/bench/profile.mjs $(BENCH_LOG)

# ---------------------------------------------------------------------- tools

tools: wasm-target trunk wasm-bindgen wasm-opt

lint-tools:
	@if cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then \
	  echo 'ok: rustfmt and clippy'; \
	else \
	  rustup component add rustfmt clippy; \
	fi

wasm-target:
	@if rustup target list --installed | grep -qx '$(WASM_TARGET)'; then \
	  echo 'ok: rust target $(WASM_TARGET)'; \
	else \
	  rustup target add $(WASM_TARGET); \
	fi

# `trunk --version` prints "trunk 0.21.14". 0.22 needs a newer rustc than ours.
trunk:
	@if [ "$$(trunk --version 2>/dev/null || true)" = 'trunk $(TRUNK_VERSION)' ]; then \
	  echo 'ok: trunk $(TRUNK_VERSION)'; \
	else \
	  echo 'installing trunk $(TRUNK_VERSION) (takes several minutes)'; \
	  cargo install trunk --version '$(TRUNK_VERSION)' --locked --force; \
	  trunk --version; \
	fi

# `wasm-bindgen --version` prints "wasm-bindgen 0.2.130". No --locked here:
# with --locked the install of 0.2.130 fails on this toolchain; a fresh
# dependency resolution builds.
wasm-bindgen:
	@if [ "$$(wasm-bindgen --version 2>/dev/null || true)" = 'wasm-bindgen $(WASM_BINDGEN_VERSION)' ]; then \
	  echo 'ok: wasm-bindgen $(WASM_BINDGEN_VERSION)'; \
	else \
	  echo 'installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)'; \
	  cargo install wasm-bindgen-cli --version '$(WASM_BINDGEN_VERSION)' --force; \
	  wasm-bindgen --version; \
	fi

# `wasm-opt --version` prints "wasm-opt version 132 (version_132)". It comes
# from the npm package binaryen (which ships a prebuilt wasm-opt): Debian's
# binaryen is version 108, which corrupts this app's module.
wasm-opt: node
	@if wasm-opt --version 2>/dev/null | grep -q '^wasm-opt version $(BINARYEN_VERSION)\b'; then \
	  echo 'ok: wasm-opt $(BINARYEN_VERSION)'; \
	else \
	  echo 'installing wasm-opt $(BINARYEN_VERSION) (npm package binaryen@$(BINARYEN_VERSION))'; \
	  $(SUDO) npm install --global --no-fund --no-audit 'binaryen@$(BINARYEN_VERSION)'; \
	  hash -r; \
	  if ! wasm-opt --version 2>/dev/null | grep -q '^wasm-opt version $(BINARYEN_VERSION)\b'; then \
	    echo "error: 'wasm-opt' on PATH is still not version $(BINARYEN_VERSION):" \
	         "$$(command -v wasm-opt || echo none) ($$(wasm-opt --version 2>&1 || true))." \
	         "Remove the other copy (e.g. Debian's binaryen package) or put" \
	         "$$(npm prefix --global)/bin first on PATH." >&2; \
	    exit 1; \
	  fi; \
	fi

# Node.js and npm run the browser tests and install binaryen. The machine
# provides them; install Debian's only if they are missing.
node:
	@if command -v node >/dev/null && command -v npm >/dev/null; then \
	  echo "ok: node $$(node --version), npm $$(npm --version)"; \
	else \
	  $(SUDO) apt-get update; \
	  $(SUDO) apt-get install -y nodejs npm; \
	fi

# ---------------------------------------------------------- browser and e2e

# The tests drive Debian's Chromium through playwright-core: no tool may
# download a browser of its own (the machine reaches package registries only).
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
	  echo "ok: chromium and chromedriver"; \
	else \
	  $(SUDO) apt-get update; \
	  $(SUDO) apt-get install -y chromium chromium-driver; \
	fi

e2e-deps: node $(E2E_DIR)/node_modules/.package-lock.json

# npm ci writes node_modules/.package-lock.json; it is older than package.json
# or package-lock.json exactly when node_modules is stale.
$(E2E_DIR)/node_modules/.package-lock.json: $(E2E_DIR)/package.json $(E2E_DIR)/package-lock.json
	cd $(E2E_DIR) && npm ci
	touch $@

# ---------------------------------------------------------------------- clean

clean:
	rm -rf dist target $(E2E_DIR)/node_modules

# ------------------------------------------------------------------------ fuzz

# Every fuzz target in fuzz/ (its own workspace: cargo-fuzz and libFuzzer on the nightly
# toolchain, never part of the stable build) for FUZZ_SECONDS each, one process at a time. New
# inputs go to fuzz/target/corpus/TARGET (the committed seeds in fuzz/corpus/TARGET are only
# read); a crash stops with its input in fuzz/artifacts/TARGET/ — turn it into a named test.
# Without a sanitizer (the code is safe Rust) but with debug assertions, so overflow panics.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := load load_mapped roundtrip share_link saved_session lesson script cli_args
FUZZ_FLAGS   := --sanitizer none --debug-assertions

fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
	cd fuzz && cargo +nightly fuzz build $(FUZZ_FLAGS)
	cd fuzz && mkdir -p target/logs && for target in $(FUZZ_TARGETS); do \
	  mkdir -p target/corpus/$$target; \
	  echo "== $$target: $(FUZZ_SECONDS) s"; \
	  if cargo +nightly fuzz run $(FUZZ_FLAGS) $$target target/corpus/$$target corpus/$$target -- \
	       -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
	       > target/logs/$$target.log 2>&1; then \
	    grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)' target/logs/$$target.log; \
	  else \
	    tail -n 40 target/logs/$$target.log; echo "fuzz target $$target failed: see fuzz/artifacts/$$target/"; exit 1; \
	  fi; \
	done
