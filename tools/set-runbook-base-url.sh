#!/usr/bin/env bash
# Points every alert's runbook_url at another copy of docs/runbooks.md, for a fork or a mirror:
#   tools/set-runbook-base-url.sh https://git.example.com/bank/observable-bank/blob/main/docs/runbooks.md
# The base URL is kept in docs/runbooks.base-url; the rules carry it spelled out (Prometheus, Loki and Sloth
# have no variables), so this rewrites them all: the rule files, the Sloth specification and the rules it
# generates, the rule tests and the Alertmanager template fixtures. tools/check-configs.sh then checks every
# link against the new base.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

if (($# != 1)) || [[ ! $1 =~ ^https?://[^[:space:]#]+$ ]]; then
  echo "usage: $0 https://host/path/to/runbooks.md   (the URL of docs/runbooks.md, without an anchor)" >&2
  exit 2
fi
new=$1
old=$(<docs/runbooks.base-url)

files=(prometheus/rules/*.rules.yml prometheus/slo/*.yml prometheus/tests/*.yml loki/rules/*/*.yml alertmanager/tests/*)
OLD="$old#" NEW="$new#" perl -pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/g' "${files[@]}"
echo "$new" >docs/runbooks.base-url
tools/generate-slo-rules.sh

echo "runbook links now start with $new#; review with git diff, then run tools/check-configs.sh" \
  "(and tools/check-kubernetes.sh --update, whose examples embed the rules)"
