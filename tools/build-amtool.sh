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
bin_dir="$cache_root/amtool-v$version"

if [[ -x $bin_dir/amtool ]]; then
  echo "$bin_dir/amtool"
  exit 0
fi

# One build at a time per cache; whoever waited finds the finished result.
mkdir -p "$cache_root"
exec 9>"$cache_root/.amtool.lock"
flock 9
if [[ -x $bin_dir/amtool ]]; then
  echo "$bin_dir/amtool"
  exit 0
fi

command -v go >/dev/null || { echo "build-amtool: go is not on PATH" >&2; exit 1; }

partial="$bin_dir.partial"
rm -rf "$partial"
mkdir -p "$partial"
log="$partial/build.log"
echo "build-amtool: building amtool $version" >&2
if ! GOBIN="$partial" go install -trimpath \
        -ldflags "-X github.com/prometheus/common/version.Version=$version" \
        "github.com/prometheus/alertmanager/cmd/amtool@v$version" >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "build-amtool: build failed, full log in $log" >&2
  exit 1
fi
rm -f "$log"
rm -rf "$bin_dir"
mv "$partial" "$bin_dir"
echo "$bin_dir/amtool"
