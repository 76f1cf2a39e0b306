# The development stack in containers (docker-compose.yml): docs/DEPLOYMENT.md, "Development: docker-compose".
# COMPOSE_IMAGE=host (default) packs the binaries built here (release, static Swift stdlib) with
# deploy/compose/Dockerfile.local; COMPOSE_IMAGE=source builds them inside the image (top-level
# Dockerfile, official Swift image: needs a registry, not Swift on this machine).
COMPOSE := scripts/compose.sh
COMPOSE_IMAGE ?= host

.PHONY: compose-up compose-down compose-test compose-image compose-binaries compose-engine

ifeq ($(COMPOSE_IMAGE),host)
compose-up compose-test compose-image: export TW_BUILD_CONTEXT := deploy/compose
compose-up compose-test compose-image: export TW_DOCKERFILE := Dockerfile.local

## compose-binaries: the six release binaries with the Swift runtime linked in, staged for Dockerfile.local
compose-binaries: deps
	$(SWIFT) build -c release --static-swift-stdlib
	$(COMPOSE) stage $$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)
else
compose-binaries:
endif

## compose-engine: a working compose (Docker's, or podman with podman-compose set up by
## scripts/container-env.sh on a machine that has neither; needs root)
compose-engine:
	@$(COMPOSE) engine >/dev/null 2>&1 || scripts/container-env.sh

## compose-image: the secrets (created when absent) and every image the stack builds
compose-image: compose-engine compose-binaries
	$(COMPOSE) secrets
	$(COMPOSE) build

## compose-up: build what is needed, start the stack in the background, return once every service is healthy
compose-up: compose-image
	@services="$$($(COMPOSE) services)" && $(COMPOSE) up -d $$services && $(COMPOSE) wait $$services
	@echo "tradewind: stack up; Prometheus http://127.0.0.1:$${TW_PROMETHEUS_PORT:-9090}, Grafana http://127.0.0.1:$${TW_GRAFANA_PORT:-3000}, execution engine http://127.0.0.1:$${TW_EXECUTION_ENGINE_PORT:-9104}/v1/orders"

## compose-down: stop and remove the stack's containers (volumes stay: `scripts/compose.sh down -v` drops them)
compose-down:
	$(COMPOSE) down

## compose-test: a stack of its own on free ports: healthy, trading, scraped, rules loaded; then down (minutes)
compose-test: compose-image
	python3 Tests/compose/test_stack.py
