#!/usr/bin/env bash
# Regenerates the committed Swift and Python code from Protos/ with pinned tool versions:
# protoc from Debian 12 (libprotoc 3.21.12) and protoc-gen-swift built from swift-protobuf 1.39.0,
# the same version Package.swift depends on.
set -euo pipefail
cd "$(dirname "$0")/.."

PROTOC_VERSION="libprotoc 3.21.12"
SWIFT_PROTOBUF_VERSION="1.39.0"
tools=.tools
plugin="$tools/swift-protobuf-$SWIFT_PROTOBUF_VERSION/.build/release/protoc-gen-swift"

scripts/install-deps.sh
found=$(protoc --version)
if [ "$found" != "$PROTOC_VERSION" ]; then
  echo "gen-protos: need protoc '$PROTOC_VERSION', found '$found'" >&2
  exit 1
fi

if [ ! -x "$plugin" ]; then
  echo "gen-protos: building protoc-gen-swift $SWIFT_PROTOBUF_VERSION (once, about a minute)" >&2
  rm -rf "$tools/swift-protobuf-$SWIFT_PROTOBUF_VERSION"
  mkdir -p "$tools"
  git -c advice.detachedHead=false clone -q --depth 1 --branch "$SWIFT_PROTOBUF_VERSION" \
    https://github.com/apple/swift-protobuf "$tools/swift-protobuf-$SWIFT_PROTOBUF_VERSION"
  (cd "$tools/swift-protobuf-$SWIFT_PROTOBUF_VERSION" && swift build -c release --product protoc-gen-swift)
fi

swift_out=Shared/TradewindWire/Generated
py_out=Clients/python
rm -rf "$swift_out" "$py_out/tradewind/v1"
mkdir -p "$swift_out" "$py_out"
protos=(Protos/tradewind/v1/*.proto)
protoc -I Protos \
  --plugin=protoc-gen-swift="$plugin" \
  --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
  --swift_out="$swift_out" \
  --python_out="$py_out" \
  "${protos[@]}"
# The generated modules import each other as `tradewind.v1.x_pb2`: they form the `tradewind.v1`
# subpackage of the research client in Clients/python/tradewind.
touch "$py_out/tradewind/v1/__init__.py"
echo "gen-protos: wrote $(ls "$swift_out" | wc -l) Swift files and $(ls "$py_out"/tradewind/v1/*_pb2.py | wc -l) Python modules"
