#!/usr/bin/env bash
# Builds amtool from the Go module of the Alertmanager release that docker-compose.yml pins
# (prom/alertmanager:vX.Y.Z) and prints the path of the binary. Needs only Go.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
compose_file="$repo_root/docker-compose.yml"

version=$(sed -n 's|^ *image: *prom/alertmanager:v\([0-9][0-9.]*\) *$|\1|p' "$compose_file" | head -n 1)
if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "build-amtool: no prom/alertmanager:vX.Y.Z image found in $compose_file" >&2
  exit 1
fi

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank"

build() {
  GOBIN="$1" go install -trimpath -ldflags "-X github.com/prometheus/common/version.Version=$version" \
    "github.com/prometheus/alertmanager/cmd/amtool@v$version"
}

source "$repo_root/tools/lib/cached-build.sh"
cached_build build-amtool "$cache_root/amtool-v$version" "$cache_root/amtool-v$version/amtool" \
  "building amtool $version" build
