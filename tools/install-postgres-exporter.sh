#!/usr/bin/env bash
# Builds postgres_exporter from the Go module of the release that docker-compose.yml pins
# (quay.io/prometheuscommunity/postgres-exporter:vX.Y.Z) and prints the path of the binary. Needs only Go.
#
# The module is downloaded and built in a copy of its own directory rather than with `go install module@version`:
# go install also asks the module proxy for the module's version list, which is not served here.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/lib/compose-image.sh
source "$repo_root/tools/lib/compose-image.sh"
version=$(compose_image_version install-postgres-exporter "$repo_root/docker-compose.yml" quay.io/prometheuscommunity/postgres-exporter)
module="github.com/prometheus-community/postgres_exporter"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank"

build() {
  local out=$1 module_dir
  module_dir=$(go mod download -json "$module@v$version" | sed -n 's|^[[:space:]]*"Dir": "\(.*\)",$|\1|p')
  if [[ -z $module_dir ]]; then
    echo "the module proxy did not serve $module@v$version" >&2
    return 1
  fi
  cp -r "$module_dir" "$out/src"
  chmod -R u+w "$out/src"
  (cd "$out/src" && go build -trimpath -ldflags "-X github.com/prometheus/common/version.Version=$version" \
    -o "$out/postgres_exporter" ./cmd/postgres_exporter)
  rm -rf "$out/src"
}

# shellcheck source=tools/lib/cached-build.sh
source "$repo_root/tools/lib/cached-build.sh"
cached_build install-postgres-exporter "$cache_root/postgres_exporter-v$version" \
  "$cache_root/postgres_exporter-v$version/postgres_exporter" "building postgres_exporter $version" build
