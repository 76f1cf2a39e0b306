# Tradewind: `make run` to watch the suite trade, `make test` to check it.
SHELL := /bin/bash
CONFIG ?= release
SWIFT_BUILD_FLAGS ?=
VENV := .venv
PY := $(VENV)/bin/python
# every SwiftPM call goes through scripts/swift.sh (one fixed environment, so nothing rebuilds needlessly)
SWIFT := scripts/swift.sh
BIN = $(shell $(SWIFT) build -c $(CONFIG) --show-bin-path 2>/dev/null)

.PHONY: run up down status build test test-swift test-e2e venv deps test-deps protos bench parity clean

## run: install what is missing, build, start the five daemons and show a live summary until Ctrl-C
run: up
	@trap 'TRADEWIND_BIN=$(BIN) scripts/suite.sh down' EXIT; TRADEWIND_BIN=$(BIN) python3 scripts/live_view.py

## up: build, start the embedded PostgreSQL (unless TRADEWIND_DATABASE_URL is set) and the suite
## in the background; returns once all five report ready
up: deps build
	@scripts/pg.sh start >/dev/null
	@TRADEWIND_BIN=$(BIN) scripts/suite.sh up

## down: stop the suite (SIGTERM, then wait), then the embedded PostgreSQL
down:
	@TRADEWIND_BIN=$(BIN) scripts/suite.sh down
	@scripts/pg.sh stop

status:
	@TRADEWIND_BIN=$(BIN) scripts/suite.sh status

deps:
	@scripts/install-deps.sh

## test-deps: what the end-to-end tests need besides deps (Debian's Chromium, for the backtest report)
test-deps:
	@scripts/install-test-deps.sh

build: deps
	$(SWIFT) build -c $(CONFIG) $(SWIFT_BUILD_FLAGS)

## test: the whole suite: one debug build, the Swift tests, then end-to-end and Python interop tests
test: test-swift test-e2e

test-swift: deps
	$(SWIFT) build --build-tests $(SWIFT_BUILD_FLAGS)
	scripts/with-test-db.sh $(SWIFT) test --skip-build

## test-e2e: the five daemons as processes on real sockets, checked over HTTP and from Python, in a
## random order every run (E2E_SEED=N repeats an order; E2E_ORDER="-p no:random_order" is file order)
E2E_SEED ?= $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
E2E_ORDER ?= --random-order-bucket=global --random-order-seed=$(E2E_SEED)
test-e2e: deps test-deps venv
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)
	TRADEWIND_BIN=$$($(SWIFT) build --show-bin-path) scripts/with-test-db.sh $(PY) -m pytest -q $(E2E_ORDER) Tests/e2e

venv: $(VENV)/.ready
$(VENV)/.ready: Clients/python/requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r Clients/python/requirements.txt
	touch $@

## protos: regenerate the committed Swift and Python code from Protos/
protos:
	scripts/gen-protos.sh

## bench: release build; one pre-trade check pass, one OMS order event and one L2 book delta (in-process), the
## Binance normalizer (frames/s: decoding alone, and with the book machine), the
## canonical dataset reader (events/s from the page cache, 20 M events), the write-behind store
## (enqueue cost, rows/s), then the running pipeline (messages/s, quote-to-fill latency per hop)
bench: deps venv
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)
	$$($(SWIFT) build -c release --show-bin-path)/tradewind-bench-core
	$$($(SWIFT) build -c release --show-bin-path)/tradewind-bench-data
	$$($(SWIFT) build -c release --show-bin-path)/tradewind-bench-feed
	scripts/with-test-db.sh sh -c 'TRADEWIND_DATABASE_URL=$$TRADEWIND_TEST_DATABASE_URL $$($(SWIFT) build -c release --show-bin-path)/tradewind-bench-store'
	TRADEWIND_BIN=$$($(SWIFT) build -c release --show-bin-path) Benchmarks/backtest_bench.sh
	TRADEWIND_BIN=$$($(SWIFT) build -c release --show-bin-path) scripts/with-test-db.sh $(PY) Benchmarks/pipeline_bench.py

## parity: a million-event dataset through `tradewind backtest` and through the five daemons in
## lockstep replay (release build); prints whether their orders, fills and positions are identical
PARITY_EVENTS ?= 1000000
parity: deps venv
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)
	TRADEWIND_BIN=$$($(SWIFT) build -c release --show-bin-path) scripts/with-test-db.sh $(PY) scripts/parity.py --events $(PARITY_EVENTS)

clean:
	rm -rf .build .run $(VENV)

# deployment and operations targets (compose, systemd, Prometheus/Grafana checks), one file each
-include mk/*.mk
