#!/usr/bin/env bash
# Builds prometheus and promtool from the Go module of the Prometheus release that docker-compose.yml
# pins (prom/prometheus:vX.Y.Z), so local checks and the end-to-end suite run the same version as the
# stack. Prints the directory holding both binaries. Needs only Go.
#
# A Go build has no web UI (its assets come from a separate JavaScript build); the HTTP API is complete.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
compose_file="$repo_root/docker-compose.yml"

version=$(sed -n 's|^ *image: *prom/prometheus:v\([0-9][0-9.]*\) *$|\1|p' "$compose_file" | head -n 1)
if [[ ! $version =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
  echo "build-prometheus: no prom/prometheus:vX.Y.Z image found in $compose_file" >&2
  exit 1
fi
# Prometheus 3.x is published as the Go module version v0.3MM.P for release 3.MM.P.
module_version=$(printf 'v0.%d%02d.%d' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}")

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank"

build() {
  GOBIN="$1" go install -trimpath -ldflags "-X github.com/prometheus/common/version.Version=$version" \
    "github.com/prometheus/prometheus/cmd/prometheus@$module_version" \
    "github.com/prometheus/prometheus/cmd/promtool@$module_version"
}

source "$repo_root/tools/lib/cached-build.sh"
cached_build build-prometheus "$cache_root/prometheus-$module_version" "$cache_root/prometheus-$module_version" \
  "building Prometheus $version ($module_version); this takes several minutes" build
