#!/usr/bin/env bash
# Builds Sloth, the SLO generator, from its Go module at the pinned release and prints the path of the binary.
# prometheus/slo/bank-api.yml is the SLO specification; tools/generate-slo-rules.sh turns it into
# prometheus/rules/slo.generated.rules.yml, and tools/check-configs.sh fails when the two disagree.
# Needs only Go.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
version=v0.16.0

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank"

# The version is stamped into the binary, as the release build does: Sloth writes it into every generated file.
build() {
  GOBIN="$1" go install -trimpath -ldflags "-X github.com/slok/sloth/internal/info.Version=$version" \
    "github.com/slok/sloth/cmd/sloth@$version"
}

source "$repo_root/tools/lib/cached-build.sh"
cached_build build-sloth "$cache_root/sloth-$version" "$cache_root/sloth-$version/sloth" \
  "building Sloth $version" build
