#!/usr/bin/env bash
# Builds the Collector described by otel-collector-builder.yaml with the OpenTelemetry Collector Builder
# (ocb) and prints the path of the binary. Builds are cached under a key made from the manifest's
# sha256, so a changed manifest gets a fresh build and an unchanged one is reused. Needs only Go.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
manifest="$repo_root/otel-collector-builder.yaml"

dist_name=$(sed -n 's/^  name: *\([A-Za-z0-9_.-]*\) *$/\1/p' "$manifest" | head -n 1)
dist_version=$(sed -n 's/^  version: *\([0-9][0-9.]*\) *$/\1/p' "$manifest" | head -n 1)
if [[ -z $dist_name || -z $dist_version ]]; then
  echo "build-otelcol: dist.name or dist.version missing in $manifest" >&2
  exit 1
fi

key=$(sha256sum "$manifest" | cut -c1-16)
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank"

# ocb writes to dist.output_path relative to its working directory, so it runs in the scratch directory.
build() {
  cp "$manifest" "$1/manifest.yaml"
  (cd "$1" && go run "go.opentelemetry.io/collector/cmd/builder@v$dist_version" --config "$1/manifest.yaml")
}

source "$repo_root/tools/lib/cached-build.sh"
cached_build build-otelcol "$cache_root/otelcol-$key" "$cache_root/otelcol-$key/$dist_name/$dist_name" \
  "building $dist_name $dist_version (manifest $key); this takes a few minutes" build
