#!/usr/bin/env bash
# Builds prometheus and promtool from the Go module of the Prometheus release that docker-compose.yml
# pins (prom/prometheus:vX.Y.Z), so local checks and the end-to-end suite run the same version as the
# stack. Prints the directory holding both binaries.
#
#   tools/build-prometheus.sh        HTTP API only; needs only Go (what the checks and the e2e suite use)
#   tools/build-prometheus.sh --ui   also the web UI, built from the same release's sources; needs Node.js
#                                    20 or later and the npm registry (what tools/local-stack.sh uses)
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)

with_ui=false
case "${1:-}" in
  "") ;;
  --ui) with_ui=true ;;
  *) echo "usage: tools/build-prometheus.sh [--ui]" >&2; exit 2 ;;
esac

# shellcheck source=tools/lib/compose-image.sh
source "$repo_root/tools/lib/compose-image.sh"
version=$(compose_image_version build-prometheus "$repo_root/docker-compose.yml" prom/prometheus)
[[ $version =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]
# Prometheus 3.x is published as the Go module version v0.3MM.P for release 3.MM.P.
module_version=$(printf 'v0.%d%02d.%d' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}")
module="github.com/prometheus/prometheus"
ldflags="-X github.com/prometheus/common/version.Version=$version"

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank"

build() {
  GOBIN="$1" go install -trimpath -ldflags "$ldflags" "$module/cmd/prometheus@$module_version" \
    "$module/cmd/promtool@$module_version"
}

# The web UI is a separate JavaScript build (web/ui in the module) that the release process embeds with the
# builtinassets tag; this does the same steps as the upstream Makefile's "assets" and "assets-compress".
pnpm=(npx --yes pnpm@10.33.0)
build_with_ui() {
  local out=$1 src="$1/src"
  command -v npx >/dev/null || { echo "Node.js with npx is required for the Prometheus web UI" >&2; return 1; }
  local module_dir
  module_dir=$(go mod download -json "$module@$module_version" | sed -n 's|^[[:space:]]*"Dir": "\(.*\)",$|\1|p')
  cp -r "$module_dir" "$src"
  chmod -R u+w "$src"
  (
    cd "$src/web/ui"
    if ! "${pnpm[@]}" install --frozen-lockfile; then
      # Some npm mirrors lack @mantine/code-highlight 9.7.2, which the release's lock file pins; its previous
      # minor release renders the same. Re-resolve within the release's version ranges with that one change.
      echo "build-prometheus: the locked UI packages are not all available; re-resolving with @mantine/code-highlight 9.6.2"
      node -e 'const fs = require("fs"); const p = JSON.parse(fs.readFileSync("package.json"));
        p.pnpm = { overrides: { "@mantine/code-highlight": "9.6.2" } };
        fs.writeFileSync("package.json", JSON.stringify(p, null, 2));'
      sed -i 's/^minimumReleaseAgeStrict: true/minimumReleaseAgeStrict: false/' pnpm-workspace.yaml
      "${pnpm[@]}" install --no-frozen-lockfile
    fi
    "${pnpm[@]}" run build:mantine-ui
  )
  (
    cd "$src"
    bash scripts/compress_assets.sh
    # The release's go.work names modules its Go module zip does not contain.
    GOWORK=off go build -trimpath -tags builtinassets -ldflags "$ldflags" -o "$out/prometheus" ./cmd/prometheus
    GOWORK=off go build -trimpath -ldflags "$ldflags" -o "$out/promtool" ./cmd/promtool
  )
  rm -rf "$src"
}

source "$repo_root/tools/lib/cached-build.sh"
if $with_ui; then
  cached_build build-prometheus "$cache_root/prometheus-$module_version-ui" "$cache_root/prometheus-$module_version-ui" \
    "building Prometheus $version ($module_version) with its web UI; this takes several minutes" build_with_ui
else
  cached_build build-prometheus "$cache_root/prometheus-$module_version" "$cache_root/prometheus-$module_version" \
    "building Prometheus $version ($module_version); this takes several minutes" build
fi
