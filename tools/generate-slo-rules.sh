#!/usr/bin/env bash
# Generates the SLO recording and alerting rules from the SLO specification with Sloth:
#   prometheus/slo/bank-api.yml -> prometheus/rules/slo.generated.rules.yml
# Run it after every change to the specification and commit both files. With an argument, writes there instead
# (tools/check-configs.sh generates into a scratch file and compares it with the committed one).
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
spec=prometheus/slo/bank-api.yml
out=${1:-$repo_root/prometheus/rules/slo.generated.rules.yml}

sloth=$("$repo_root/tools/build-sloth.sh")
# (A library Sloth links reports on stderr that it cannot read /sys/fs/cgroup/cpu.pressure, which is harmless.)
generated=$(cd "$repo_root" && "$sloth" generate --no-log --input "$spec" 2> >(grep -v 'PSI metrics' >&2))
{
  echo "# Generated from $spec by tools/generate-slo-rules.sh: edit the specification, run the script, and"
  echo "# commit both files. tools/check-configs.sh fails when this file differs from what the specification generates."
  printf '%s\n' "$generated" | sed '/^---$/d'
} >"$out"
