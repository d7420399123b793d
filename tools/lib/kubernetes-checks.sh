# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this file
# Shared by tools/check-kubernetes.sh and tools/check-kubernetes-api.sh: the pinned versions, the CRD files
# from the operators' Go modules, and how a check or a deliberate break is run and reported. Sourced from the
# repository root.

chart=deploy/helm/observable-bank
kubernetes_version=v1.37.2
cnpg_version=v1.29.0
barman_cloud_version=v0.15.0
prometheus_operator_version=v0.85.0
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank"

failures=0
fail() {
  echo "$(basename "$0" .sh): FAIL: $1" >&2
  failures=$((failures + 1))
}

# Runs one check, prints its name and duration, and its output only when it fails.
check() {
  local name=$1 output start=$SECONDS
  shift
  if output=$("$@" 2>&1); then
    printf 'ok    %-72s %4ds\n' "$name" $((SECONDS - start))
  else
    fail "$name"
    printf '%s\n' "$output" | tail -n 40 | sed 's/^/    /' >&2
  fi
}

# A deliberate break: the command must fail, and its output must say why (the pattern). Prints the line that
# says so, so that every run shows each tool catching what it is there to catch.
must_refuse() {
  local name=$1 pattern=$2 output start=$SECONDS
  shift 2
  if output=$("$@" 2>&1); then
    fail "$name: accepted, but should have been refused"
    printf '%s\n' "$output" | tail -n 20 | sed 's/^/    /' >&2
  elif ! grep -Eq -- "$pattern" <<<"$output"; then
    fail "$name: refused, but not for the expected reason /$pattern/"
    printf '%s\n' "$output" | tail -n 20 | sed 's/^/    /' >&2
  else
    printf 'ok    %-72s %4ds\n' "$name" $((SECONDS - start))
    grep -Eo -m1 -- ".{0,100}$pattern.{0,60}" <<<"$output" | head -n1 | sed 's/^/        refused: /'
  fi
}

module_dir() {
  go mod download -json "$1" | sed -n 's|^[[:space:]]*"Dir": "\(.*\)",$|\1|p'
}

# The CRDs of CloudNativePG, its barman-cloud plugin and the Prometheus Operator, from their Go modules.
cnpg_dir=$(module_dir "github.com/cloudnative-pg/cloudnative-pg@$cnpg_version")
barman_dir=$(module_dir "github.com/cloudnative-pg/plugin-barman-cloud@$barman_cloud_version")
prometheus_operator_dir=$(module_dir "github.com/prometheus-operator/prometheus-operator@$prometheus_operator_version")
crds=("$cnpg_dir"/config/crd/bases/*.yaml "$barman_dir"/config/crd/bases/*.yaml
  "$prometheus_operator_dir"/example/prometheus-operator-crd/*.yaml)

# The manifests under deploy/ (not the chart, not the values files of charts).
manifests=()
while IFS= read -r file; do
  manifests+=("$file")
done < <(find deploy -name '*.yaml' -not -path "$chart/*" -not -name '*.values.yaml' -not -name 'values-*.yaml' | sort)

# A scratch folder, and the processes to stop on exit, last started first: kube-apiserver before the etcd it
# needs for a graceful stop. A process that has not stopped 15 s after SIGTERM gets SIGKILL, so that the script
# always ends.
work=$(mktemp -d)
pids=()
stop_process() {
  local pid=$1 killer
  kill "$pid" 2>/dev/null || return 0
  (sleep 15 && kill -KILL "$pid") >/dev/null 2>&1 &
  killer=$!
  wait "$pid" 2>/dev/null || true
  kill "$killer" 2>/dev/null || true
  wait "$killer" 2>/dev/null || true
}
cleanup() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    stop_process "${pids[i]}"
  done
  rm -rf "$work"
}
trap cleanup EXIT
