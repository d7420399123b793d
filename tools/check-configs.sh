#!/usr/bin/env bash
# Checks the stack's configuration files with the programs that read them: the ocb-built Collector,
# promtool and amtool at the versions compose runs, and docker-compose's own validation; how Alertmanager
# routes and renders alerts; that the SLO rules are those Sloth generates from their specification; that every
# runbook link of the rules is absolute, on the base URL of docs/runbooks.base-url, and names a heading of
# docs/runbooks.md; and the shell scripts of tools/ and .ci/ and the image's entrypoint
# (service/docker-entrypoint.sh) with shellcheck.
# Prints nothing when everything passes; otherwise reports each failure and exits non-zero.
#
# Loki and Tempo have no validator here (no container engine, and their Go modules are not used);
# their files are cross-checked against the compose file by ComposeWiringTest in the e2e module.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

failures=0

fail() {
  echo "check-configs: FAIL: $1" >&2
  failures=$((failures + 1))
}

# Runs a check quietly; its output is shown only when it fails.
check() {
  local name=$1 output
  shift
  if ! output=$("$@" 2>&1); then
    fail "$name"
    printf '%s\n' "$output" | sed 's/^/    /' >&2
  fi
}

otelcol=$(tools/build-otelcol.sh)
prometheus_dir=$(tools/build-prometheus.sh)
amtool=$(tools/build-amtool.sh)
promtool="$prometheus_dir/promtool"

# Debian's docker-compose and shellcheck, installed if missing (as root, like .ci/run).
missing=()
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v shellcheck >/dev/null || missing+=(shellcheck)
if ((${#missing[@]} > 0)); then
  log=$(mktemp)
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
          "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
  fi
  rm -f "$log"
fi

check "otel-collector.yaml (otelcol validate)" "$otelcol" validate --config=otel-collector.yaml
check "prometheus.yml (promtool check config)" "$promtool" check config prometheus.yml

shopt -s nullglob
rule_files=(prometheus/rules/*.rules.yml)
rule_tests=(prometheus/tests/*.test.yml)
shopt -u nullglob
if ((${#rule_files[@]} == 0)); then
  fail "no alerting or recording rules in prometheus/rules/*.rules.yml"
else
  check "prometheus rules (promtool check rules)" "$promtool" check rules "${rule_files[@]}"
fi
if ((${#rule_tests[@]} == 0)); then
  fail "no rule unit tests in prometheus/tests/*.test.yml"
else
  check "prometheus rule tests (promtool test rules)" "$promtool" test rules "${rule_tests[@]}"
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The committed SLO rules must be exactly what Sloth makes of prometheus/slo/bank-api.yml today.
slo_rules() {
  tools/generate-slo-rules.sh "$scratch/slo.generated.rules.yml" || return 1
  if ! diff -u prometheus/rules/slo.generated.rules.yml "$scratch/slo.generated.rules.yml"; then
    echo "prometheus/rules/slo.generated.rules.yml is not what prometheus/slo/bank-api.yml generates:" \
      "run tools/generate-slo-rules.sh and commit the result"
    return 1
  fi
}
check "SLO rules (sloth generate, compared with prometheus/rules/slo.generated.rules.yml)" slo_rules

# Every runbook_url, in every file that defines alerts, is the base URL followed by the anchor of a heading of
# docs/runbooks.md (GitHub's anchors: lower case, punctuation dropped, spaces to hyphens).
runbook_links() {
  local base file url anchors bad=0
  base=$(<docs/runbooks.base-url)
  anchors=$(sed -n 's/^#\{1,6\} //p' docs/runbooks.md | tr '[:upper:]' '[:lower:]' | sed 's/[^a-z0-9 _-]//g; s/ /-/g')
  for file in prometheus/rules/*.yml prometheus/slo/*.yml loki/rules/*/*.yml; do
    while read -r url; do
      if [[ $url != "$base#"* ]]; then
        echo "$file: runbook_url $url does not start with $base# (docs/runbooks.base-url)"
        bad=1
      elif ! grep -qxF "${url#"$base#"}" <<<"$anchors"; then
        echo "$file: runbook_url $url names no heading of docs/runbooks.md"
        bad=1
      fi
    done < <(sed -n "s/^ *runbook_url: *['\"]\{0,1\}\([^'\"]*\)['\"]\{0,1\} *$/\1/p" "$file")
  done
  return "$bad"
}
check "runbook links (absolute, on docs/runbooks.base-url, to a heading of docs/runbooks.md)" runbook_links

check "alertmanager configs (amtool check-config)" "$amtool" check-config alertmanager/*.yml

# Every configuration routes alike: critical pages, warning opens a ticket, the Watchdog goes to its switch.
routes() {
  local config expected labels receiver
  for config in alertmanager/*.yml; do
    while IFS='|' read -r expected labels; do
      # shellcheck disable=SC2086 # the labels are words on purpose
      receiver=$("$amtool" config routes test --config.file="$config" $labels)
      if [[ $receiver != "$expected" ]]; then
        echo "$config routes {$labels} to $receiver, not $expected"
        return 1
      fi
    done <<'ROUTES'
pager|alertname=PostgresqlDown severity=critical deployment_environment_name=production
ticket|alertname=PostgresqlLockWaits severity=warning deployment_environment_name=production
watchdog|alertname=Watchdog severity=none
ticket|alertname=SomethingNew
ROUTES
  done
}
check "alertmanager routes (amtool config routes test)" routes

# The notification text, rendered by amtool from alertmanager/tests/alerts.json, must be the one reviewed in
# alertmanager/tests/*.txt (rendered again and compared, template by template).
render() {
  local expected template
  for expected in alertmanager/tests/*.txt; do
    template=$(basename "$expected" .txt)
    "$amtool" template render --template.glob='alertmanager/templates/*.tmpl' \
      --template.data=alertmanager/tests/alerts.json --template.text="{{ template \"$template\" . }}" >"$scratch/$template.txt" \
      || return 1
    diff -u "$expected" "$scratch/$template.txt" || return 1
  done
}
check "alertmanager templates (amtool template render)" render

if command -v docker-compose >/dev/null; then
  # Once with no .env at all, once with every documented variable set as in .env.example.
  check "docker-compose.yml (docker-compose config)" docker-compose -f docker-compose.yml config -q
  check "docker-compose.yml with .env.example" docker-compose -f docker-compose.yml --env-file .env.example config -q
else
  fail "docker-compose is not installed and could not be installed"
fi

if command -v shellcheck >/dev/null; then
  # -x follows the files the scripts source (tools/lib/cached-build.sh).
  check "shell scripts (shellcheck)" shellcheck -x tools/*.sh tools/lib/*.sh .ci/run service/docker-entrypoint.sh
else
  fail "shellcheck is not installed and could not be installed"
fi

if ((failures > 0)); then
  echo "check-configs: $failures check(s) failed" >&2
  exit 1
fi
