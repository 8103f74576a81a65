# Auth Lab: `make run` serves the app, `make test` runs every test.
# Both install what is missing first; nothing is reinstalled when present.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# cargo-installed tools first: Debian's wasm-opt (binaryen 108) breaks hydration.
export PATH := $(HOME)/.cargo/bin:$(PATH)

CARGO_LEPTOS_VERSION := 0.3.10
CARGO_DENY_VERSION := 0.20.2
# Must equal the `wasm-bindgen` crate pinned in Cargo.toml (`[workspace.dependencies]`).
WASM_BINDGEN_VERSION := 0.2.130
WASM_OPT_VERSION := 0.116.1
CHROMIUM ?= /usr/bin/chromium
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
export AUTHLAB_BIN := $(abspath $(TARGET_DIR))/release/authlab
export CHROMIUM

DIST := dist/authlab

.PHONY: run build dist test test-cluster cluster tools browser-deps lint deny unit e2e schema bench bench-instructions bench-micro bench-flood clean

# --split: each lazy page (`app::lazy_pages`) is a wasm file of its own,
# fetched when that page is first shown; a first visit loads the rest only.
run: tools
	cargo leptos serve --release --split

# The wasm bundle and the server build at the same time, each in its own
# target folder (target/front and target): each has long stretches on one
# core (the wasm's link-time optimisation; the server crate's type checking)
# that the other fills. The server needs nothing of the
# bundle's (hash.txt is written by the front build).
# One set of flags for both halves: the server's build environment must be
# the one a single cargo-leptos run would give it.
LEPTOS_BUILD := cargo leptos build --release --precompress --split
build: tools
	$(LEPTOS_BUILD) --frontend-only & front=$$!; \
	$(LEPTOS_BUILD) --server-only || { kill $$front; exit 1; }; \
	wait $$front

test: tools browser-deps lint deny unit build dist-check e2e schema

# Several instances behind nginx (issue 14): N=3 STORE=memory|sqlite|redis|postgres
# STICKY=1 PORT=8080; see cluster/run.sh. Ctrl-C stops it all.
cluster: build
	cluster/run.sh

# The integration suite on the memory, Redis and PostgreSQL session stores
# and on a PostgreSQL database, and the cluster end to end through nginx.
# Needs PostgreSQL and Redis.
test-cluster: tools browser-deps build
	tests/cluster-suite.sh

# A folder that runs on another Debian machine: the binary (migrations are
# compiled in), its hash file, the site, a sample environment and run.sh.
dist: build
	rm -rf $(DIST) && mkdir -p $(DIST)
	cp $(AUTHLAB_BIN) $(dir $(AUTHLAB_BIN))hash.txt $(DIST)/
	cp -r target/site $(DIST)/site
	cp dist-template/authlab.env dist-template/run.sh $(DIST)/
	[ ! -f bench/results.json ] || cp bench/results.json $(DIST)/bench-results.json
	@echo "$(DIST): copy it anywhere and start ./run.sh"

# The dist folder starts outside the source tree and serves its files.
dist-check: dist
	tests/dist.sh $(DIST)

tools:
	@pkg-config --exists sqlite3 2>/dev/null \
	  || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y libsqlite3-dev pkg-config; }
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q " $(CARGO_LEPTOS_VERSION)$$" \
	  || cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --features no_downloads
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$" \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@[ "$$(command -v wasm-opt)" = "$(HOME)/.cargo/bin/wasm-opt" ] \
	  || cargo install wasm-opt --version $(WASM_OPT_VERSION) --locked

browser-deps:
	@[ -x $(CHROMIUM) ] || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }
	@cd end2end && { [ node_modules/.package-lock.json -nt package-lock.json ] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; }

lint:
	cargo fmt --all -- --check
	cargo clippy --features ssr --lib --bins --tests --benches -- -D warnings
	cargo clippy --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings

# Supply chain: licences, banned crates, sources (advisories need the network).
deny:
	@cargo deny --version 2>/dev/null | grep -q " $(CARGO_DENY_VERSION)$$" \
	  || cargo install cargo-deny --version $(CARGO_DENY_VERSION) --locked
	cargo deny check bans licenses sources

unit:
	cargo test --features ssr

e2e:
	cd end2end && npx playwright test

# schemathesis (PyPI, installed if missing) against the release build's own spec.
schema:
	tests/schemathesis.sh

# The load benchmark (issue 13): wrk on every path of the release build,
# written to bench/results.md and bench/results.svg. Not part of `make test`.
bench: build
	@command -v wrk >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	bench/load.sh

# Instructions per request (callgrind) for /livez and both /api/me paths:
# the same count every run, where req/s on a shared machine is not.
bench-instructions: build
	bench/instructions.sh

# Criterion micro benchmarks: argon2id, JWT, session loads per store and
# size, the auth layer per credential, two page renders (benches/micro.rs).
bench-micro:
	cargo bench --features ssr --bench micro

# The login flood of the hardening issue against the release build (needs wrk).
bench-flood: build
	@command -v wrk >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	benches/login_flood.sh

clean:
	cargo clean
	rm -rf data dist end2end/test-results
