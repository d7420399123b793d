#!/usr/bin/env bash
# Builds amtool from the Go module of the Alertmanager release that docker-compose.yml pins
# (prom/alertmanager:vX.Y.Z) and prints the path of the binary. Needs only Go.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/lib/compose-image.sh
source "$repo_root/tools/lib/compose-image.sh"
version=$(compose_image_version build-amtool "$repo_root/docker-compose.yml" prom/alertmanager)

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank"

build() {
  GOBIN="$1" go install -trimpath -ldflags "-X github.com/prometheus/common/version.Version=$version" \
    "github.com/prometheus/alertmanager/cmd/amtool@v$version"
}

source "$repo_root/tools/lib/cached-build.sh"
cached_build build-amtool "$cache_root/amtool-v$version" "$cache_root/amtool-v$version/amtool" \
  "building amtool $version" build
