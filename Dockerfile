# The Tradewind image, built from source: works on any machine with Docker and a registry.
#   docker build -t tradewind:dev .          (or: docker compose build)
# Stage 1 builds the six binaries with the official Swift image (Debian 12, as the runtime);
# stage 2 is debian:bookworm-slim with the runtime libraries from apt and the binaries only.
# Without a registry (no Swift image to pull), deploy/compose/Dockerfile.local packs binaries
# built on the host instead: see docs/DEPLOYMENT.md.
ARG SWIFT_IMAGE=swift:6.3-bookworm

FROM ${SWIFT_IMAGE} AS build
# what scripts/install-deps.sh installs to build (the server and Python are not needed here)
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libzmq3-dev libpq-dev zlib1g-dev libcurl4-openssl-dev protobuf-compiler pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# the cache mount keeps SwiftPM's checkouts and objects between builds (BuildKit, buildah)
RUN --mount=type=cache,target=/src/.build \
    swift build -c release --static-swift-stdlib \
 && mkdir /out \
 && bin=$(swift build -c release --static-swift-stdlib --show-bin-path) \
 && for b in tradewind tradewind-market-data tradewind-signal-bridge tradewind-risk-manager \
             tradewind-execution-engine tradewind-position-tracker; do \
      cp "$bin/$b" /out/ && strip --strip-debug /out/$b; done

FROM debian:bookworm-slim
COPY deploy/compose/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(grep -v '^#' /tmp/runtime-packages.txt) \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && groupadd --gid 10001 tradewind \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /var/lib/tradewind --shell /usr/sbin/nologin tradewind \
 && install -d -o tradewind -g tradewind -m 0750 /var/lib/tradewind /var/lib/tradewind/journal /var/lib/tradewind/data
COPY --from=build /out/ /usr/local/bin/
COPY deploy/compose/entrypoint.sh /usr/local/bin/tradewind-entrypoint
USER tradewind
WORKDIR /var/lib/tradewind
ENTRYPOINT ["/usr/local/bin/tradewind-entrypoint"]
CMD ["tradewind", "--help"]
