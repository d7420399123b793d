#!/usr/bin/env bash
# Installs postgres_exporter from Debian (package prometheus-postgres-exporter, the same 0.11.1 release
# that docker-compose.yml runs) when it is missing, and prints the path of the binary.
# Runs apt-get directly: it expects to be root, as on the project's machines and in CI.
set -euo pipefail

binary=/usr/bin/prometheus-postgres-exporter

if [[ ! -x $binary ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-postgres-exporter: $binary is missing and installing it needs root" >&2
    exit 1
  fi
  log=$(mktemp)
  echo "install-postgres-exporter: installing prometheus-postgres-exporter" >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
          prometheus-postgres-exporter; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
fi

echo "$binary"
