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
build_dir="$cache_root/otelcol-$key"
binary="$build_dir/$dist_name/$dist_name"

if [[ -x $binary ]]; then
  echo "$binary"
  exit 0
fi

# One build at a time per cache; whoever waited finds the finished result.
mkdir -p "$cache_root"
exec 9>"$cache_root/.otelcol.lock"
flock 9
if [[ -x $binary ]]; then
  echo "$binary"
  exit 0
fi

command -v go >/dev/null || { echo "build-otelcol: go is not on PATH" >&2; exit 1; }

# ocb writes to dist.output_path relative to its working directory, so it runs inside a scratch
# directory that is renamed into place only once the binary exists.
partial="$build_dir.partial"
rm -rf "$partial"
mkdir -p "$partial"
cp "$manifest" "$partial/manifest.yaml"
log="$partial/build.log"
echo "build-otelcol: building $dist_name $dist_version (manifest $key); this takes a few minutes" >&2
if ! (cd "$partial" && go run "go.opentelemetry.io/collector/cmd/builder@v$dist_version" \
        --config "$partial/manifest.yaml") >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "build-otelcol: build failed, full log in $log" >&2
  exit 1
fi
rm -rf "$build_dir"
mv "$partial" "$build_dir"
echo "$binary"
