#!/usr/bin/env bash
# Builds oasdiff, the OpenAPI breaking-change checker that ApiContractIT runs, from its Go module at the pinned
# version, and prints the path of the binary. Needs only Go.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
version=1.37.0
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank"

build() {
  GOBIN="$1" go install -trimpath "github.com/oasdiff/oasdiff@v$version"
}

source "$repo_root/tools/lib/cached-build.sh"
cached_build build-oasdiff "$cache_root/oasdiff-v$version" "$cache_root/oasdiff-v$version/oasdiff" \
  "building oasdiff $version" build
