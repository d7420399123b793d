#!/usr/bin/env bash
# Checks the Helm chart and every manifest under deploy/ offline, with the real tools (built by
# tools/build-kubernetes-tools.sh) and a real API server:
#   1. helm lint --strict, for each value set of deploy/helm/observable-bank/ci/
#   2. helm template for each value set, compared with deploy/helm/observable-bank/examples/
#   3. helm package: the packaged chart carries the alert rules its rules/ link points at
#   4. helm-unittest: the chart's tests/*_test.yaml
#   5. kubeconform -strict: the rendered examples and deploy/**/*.yaml, against schemas generated from the
#      Kubernetes release's swagger.json and from the CloudNativePG, barman-cloud and prometheus-operator CRDs
#   6. etcd and kube-apiserver on loopback: the CRDs installed, `helm install` of the chart, then
#      `kubectl apply --dry-run=server --validate=strict` of every manifest under deploy/, and the Grafana
#      ConfigMaps created as docs/kubernetes.md creates them
#   7. deliberate breaks, one per tool, each of which must be refused for its own reason
# Pods never run: there is no kubelet.
#
#   tools/check-kubernetes.sh            check; exits non-zero on any failure
#   tools/check-kubernetes.sh --update   rewrite the rendered examples first (after a change to the chart or to
#                                        prometheus/rules/), then check
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

update=false
case "${1:-}" in
  "") ;;
  --update) update=true ;;
  *) echo "usage: tools/check-kubernetes.sh [--update]" >&2; exit 2 ;;
esac

chart=deploy/helm/observable-bank
kubernetes_version=v1.37.2
cnpg_version=v1.29.0
barman_cloud_version=v0.15.0
prometheus_operator_version=v0.85.0
openapi2jsonschema_version=1.1.37
kubeconform_version=v0.7.0
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank"

failures=0
fail() {
  echo "check-kubernetes: FAIL: $1" >&2
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
    grep -Em1 -- "$pattern" <<<"$output" | cut -c1-220 | sed 's/^/        refused: /'
  fi
}

module_dir() {
  go mod download -json "$1" | sed -n 's|^[[:space:]]*"Dir": "\(.*\)",$|\1|p'
}

step_start=$SECONDS
tools_bin=$(tools/build-kubernetes-tools.sh)
export PATH="$tools_bin:$PATH"
printf 'ok    %-72s %4ds\n' "tools built or cached ($tools_bin)" $((SECONDS - step_start))

work=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# --- Schemas for kubeconform ---------------------------------------------------------------------------------
# Generated once per version set and cached: the built-in kinds from the release's own OpenAPI document, the
# custom resources from the CRDs in the operators' Go modules.
schemas="$cache_root/kubeconform-schemas-$kubernetes_version-cnpg-$cnpg_version-barman-$barman_cloud_version-prom-$prometheus_operator_version"
venv="$cache_root/openapi2jsonschema2-$openapi2jsonschema_version"
cnpg_dir=$(module_dir "github.com/cloudnative-pg/cloudnative-pg@$cnpg_version")
barman_dir=$(module_dir "github.com/cloudnative-pg/plugin-barman-cloud@$barman_cloud_version")
prometheus_operator_dir=$(module_dir "github.com/prometheus-operator/prometheus-operator@$prometheus_operator_version")
crds=("$cnpg_dir"/config/crd/bases/*.yaml "$barman_dir"/config/crd/bases/*.yaml
  "$prometheus_operator_dir"/example/prometheus-operator-crd/*.yaml)

generate_schemas() {
  local out=$1 kubernetes_dir kubeconform_dir
  if [[ ! -x $venv/bin/openapi2jsonschema2 ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "openapi2jsonschema2==$openapi2jsonschema_version" click==8.5.1 jsonref==1.1.0 \
      PyYAML==6.0.3
  fi
  kubernetes_dir=$(module_dir "k8s.io/kubernetes@$kubernetes_version")
  # The output folder must be relative: the tool resolves its own references against the working directory.
  # It reports a kind it cannot convert and carries on with exit status 0 (in v1.37 a few alpha scheduling
  # kinds whose types refer to themselves), hence the check of the kinds deploy/ uses.
  (cd "$out" && "$venv/bin/openapi2jsonschema2" --expanded --kubernetes --stand-alone --strict -o kubernetes \
    "$kubernetes_dir/api/openapi-spec/swagger.json")
  local kind
  for kind in configmap-v1 service-v1 serviceaccount-v1 pod-v1 deployment-apps-v1 poddisruptionbudget-policy-v1 \
    horizontalpodautoscaler-autoscaling-v2 networkpolicy-networking-v1; do
    [[ -s $out/kubernetes/$kind.json ]] || { echo "openapi2jsonschema2 made no schema for $kind"; return 1; }
  done
  # kubeconform's own converter for CRDs; FILENAME_FORMAT gives each group its own name.
  kubeconform_dir=$(module_dir "github.com/yannh/kubeconform@$kubeconform_version")
  mkdir -p "$out/crds"
  (cd "$out/crds" && FILENAME_FORMAT='{fullgroup}-{kind}-{version}' \
    "$venv/bin/python" "$kubeconform_dir/scripts/openapi2jsonschema.py" "${crds[@]}")
}

step_start=$SECONDS
if [[ ! -d $schemas ]]; then
  rm -rf "$schemas.partial"
  mkdir -p "$schemas.partial"
  if ! generate_schemas "$schemas.partial" >"$work/schemas.log" 2>&1; then
    tail -n 30 "$work/schemas.log" >&2
    echo "check-kubernetes: generating the kubeconform schemas failed" >&2
    exit 1
  fi
  mv "$schemas.partial" "$schemas"
fi
printf 'ok    %-72s %4ds\n' "kubeconform schemas generated or cached" $((SECONDS - step_start))

kubeconform_args=(-strict -summary
  -schema-location "$schemas/kubernetes/{{ .ResourceKind }}{{ .KindSuffix }}.json"
  -schema-location "$schemas/crds/{{ .Group }}-{{ .ResourceKind }}-{{ .ResourceAPIVersion }}.json")

# --- The chart -----------------------------------------------------------------------------------------------
# deploy/values-cnpg.yaml (the documented install) and the chart's own value sets in ci/.
value_sets=(deploy/values-cnpg.yaml "$chart"/ci/*-values.yaml)
example_of() {
  local name
  name=$(basename "$1" .yaml)
  name=${name%-values}
  echo "$chart/examples/${name#values-}.yaml"
}

render() {
  local values=$1
  helm template bank "$chart" --namespace bank --kube-version "$kubernetes_version" -f "$values"
}

for values in "${value_sets[@]}"; do
  check "helm lint --strict -f ${values#"$chart"/}" helm lint --strict "$chart" -f "$values"
done

for values in "${value_sets[@]}"; do
  example=$(example_of "$values")
  if $update; then
    render "$values" >"$example"
  fi
  check "helm template -f ${values#"$chart"/} = ${example#"$chart"/}" \
    diff -u "$example" <(render "$values")
done

check_package() {
  helm package "$chart" --destination "$work/package" >/dev/null
  local tarball
  tarball=$(ls "$work/package"/observable-bank-*.tgz)
  # The rules/ link was followed: the package holds the files themselves, every one of them.
  local file
  for file in prometheus/rules/*.rules.yml; do
    tar -xOzf "$tarball" "observable-bank/rules/$(basename "$file")" | cmp - "$file"
  done
  diff -u "$chart/examples/cnpg.yaml" \
    <(helm template bank "$tarball" --namespace bank --kube-version "$kubernetes_version" -f deploy/values-cnpg.yaml)
}
check "helm package carries prometheus/rules/*.rules.yml; renders the same" check_package

check "helm-unittest ($chart/tests)" helm-unittest --strict "$chart"

manifests=()
while IFS= read -r file; do
  manifests+=("$file")
done < <(find deploy -name '*.yaml' -not -path "$chart/*" -not -name '*.values.yaml' -not -name 'values-*.yaml' | sort)
check "kubeconform -strict: rendered examples" kubeconform "${kubeconform_args[@]}" "$chart"/examples/*.yaml
check "kubeconform -strict: ${#manifests[@]} manifests under deploy/" kubeconform "${kubeconform_args[@]}" "${manifests[@]}"

# --- A real API server ---------------------------------------------------------------------------------------
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_api_server() {
  local etcd_port peer_port api_port
  etcd_port=$(free_port)
  peer_port=$(free_port)
  api_port=$(free_port)
  openssl genrsa -out "$work/sa.key" 2048 2>/dev/null
  openssl rsa -in "$work/sa.key" -pubout -out "$work/sa.pub" 2>/dev/null
  local token
  token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s,admin,1,"system:masters"\n' "$token" >"$work/tokens.csv"
  etcd --data-dir "$work/etcd" --unsafe-no-fsync --log-level error \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "default=http://127.0.0.1:$peer_port" >"$work/etcd.log" 2>&1 &
  pids+=($!)
  # Loopback only; no endpoint reconciler (it refuses a loopback advertise address); no ServiceAccount
  # admission (no controller manager makes tokens); RBAC with one token in system:masters.
  kube-apiserver --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --endpoint-reconciler-type none --cert-dir "$work/certs" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$work/sa.pub" --service-account-signing-key-file "$work/sa.key" \
    --token-auth-file "$work/tokens.csv" --authorization-mode RBAC \
    --service-cluster-ip-range 10.96.0.0/24 --disable-admission-plugins ServiceAccount >"$work/apiserver.log" 2>&1 &
  pids+=($!)
  export KUBECONFIG="$work/kubeconfig"
  kubectl config set-cluster local --server "https://127.0.0.1:$api_port" --insecure-skip-tls-verify=true >/dev/null
  kubectl config set-credentials admin --token "$token" >/dev/null
  kubectl config set-context local --cluster local --user admin >/dev/null
  kubectl config use-context local >/dev/null
  local _
  for _ in $(seq 1 180); do
    if kubectl get --raw /readyz >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  tail -n 30 "$work/apiserver.log" "$work/etcd.log"
  return 1
}

step_start=$SECONDS
if ! start_api_server >"$work/start.log" 2>&1; then
  cat "$work/start.log" >&2
  fail "etcd and kube-apiserver did not become ready"
  exit 1
fi
printf 'ok    %-72s %4ds\n' "etcd $(etcd --version | sed -n 's/^etcd Version: //p') and kube-apiserver $(kubectl version -o json | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -n1) ready on loopback" $((SECONDS - step_start))

install_crds() {
  local crd args=()
  for crd in "${crds[@]}"; do
    args+=(-f "$crd")
  done
  kubectl apply --server-side "${args[@]}" >/dev/null
  kubectl wait --for condition=Established --timeout 120s crd --all >/dev/null
  kubectl create namespace bank >/dev/null
  kubectl create namespace monitoring >/dev/null
}
check "CRDs of CloudNativePG, barman-cloud and prometheus-operator installed" install_crds

helm_install() {
  helm install bank "$chart" --namespace bank -f deploy/values-cnpg.yaml
  # The chart's objects exist as rendered: the HPA owns the replica count, the rules are loaded.
  kubectl -n bank get deployment/bank-observable-bank hpa/bank-observable-bank pdb/bank-observable-bank \
    prometheusrule/bank-observable-bank networkpolicy/bank-observable-bank
  test "$(kubectl -n bank get deployment bank-observable-bank -o jsonpath='{.spec.replicas}')" = 1 \
    || { echo "the Deployment should carry no replicas of its own (the API server defaults it to 1)"; return 1; }
  # A config change rolls the pods: the template's checksum changes on upgrade.
  local before after
  before=$(kubectl -n bank get deployment bank-observable-bank -o jsonpath='{.spec.template.metadata.annotations.checksum/config}')
  helm upgrade bank "$chart" --namespace bank -f deploy/values-cnpg.yaml --set config.API_KEY_CACHE_TTL=5s
  after=$(kubectl -n bank get deployment bank-observable-bank -o jsonpath='{.spec.template.metadata.annotations.checksum/config}')
  if [[ -z $before || $before == "$after" ]]; then
    echo "checksum/config did not change on a config change: $before / $after"
    return 1
  fi
  helm rollback bank 1 --namespace bank
}
check "helm install, upgrade (config change rolls pods), rollback: values-cnpg.yaml" helm_install

# The manifests name their namespaces; the rendered examples go where the chart was installed.
for file in "${manifests[@]}"; do
  check "kubectl apply --dry-run=server --validate=strict ${file#deploy/}" \
    kubectl apply --dry-run=server --validate=strict -f "$file"
done
for file in "$chart"/examples/*.yaml; do
  check "kubectl apply --dry-run=server --validate=strict ${file#deploy/}" \
    kubectl apply --dry-run=server --validate=strict -n bank -f "$file"
done

# docs/kubernetes.md, "Dashboards and data sources": the same commands, for real.
grafana_configmaps() {
  kubectl create configmap bank-grafana-datasources -n monitoring \
    --from-file=grafana/provisioning/datasources/datasources.yaml --dry-run=client -o yaml |
    kubectl label --local -f - grafana_datasource=1 -o yaml |
    kubectl apply --server-side -f -
  kubectl create configmap bank-grafana-dashboards -n monitoring --from-file=grafana/dashboards/ \
    --dry-run=client -o yaml |
    kubectl label --local -f - grafana_dashboard=1 -o yaml |
    kubectl annotate --local -f - grafana_folder="Observable Bank" -o yaml |
    kubectl apply --server-side -f -
  local keys
  # shellcheck disable=SC2016 # a Go template, not shell
  keys=$(kubectl get configmap bank-grafana-dashboards -n monitoring -o go-template='{{range $k, $v := .data}}{{$k}} {{end}}')
  for file in grafana/dashboards/*.json; do
    grep -qw "$(basename "$file")" <<<"$keys" || { echo "missing $(basename "$file") in the ConfigMap: $keys"; return 1; }
  done
}
check "Grafana ConfigMaps from grafana/ (the commands of docs/kubernetes.md)" grafana_configmaps

# --- Deliberate breaks ---------------------------------------------------------------------------------------
must_refuse "values.schema.json refuses a misspelt key (replicaCont)" "replicaCont" \
  helm template bank "$chart" -f deploy/values-cnpg.yaml --set replicaCont=3
must_refuse "values.schema.json refuses a misspelt nested key (autoscaling.enable)" "enable" \
  helm template bank "$chart" -f deploy/values-cnpg.yaml --set autoscaling.enable=true

cat >"$work/wrong-selector.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: wrong-selector
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: observable-bank
  template:
    metadata:
      labels:
        app.kubernetes.io/name: observable-bnak
    spec:
      containers:
        - name: api
          image: observable-bank/api:1.0.0
EOF
check "kubeconform accepts the wrong selector (a schema cannot see it)" \
  kubeconform "${kubeconform_args[@]}" "$work/wrong-selector.yaml"
must_refuse "the API server refuses a Deployment whose selector does not match its labels" \
  'selector.*does not match template .?labels' \
  kubectl apply --dry-run=server --validate=strict -n bank -f "$work/wrong-selector.yaml"

cat >"$work/pdb-both.yaml" <<'EOF'
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: both-bounds
spec:
  minAvailable: 1
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: observable-bank
EOF
must_refuse "the API server refuses a PodDisruptionBudget with both bounds" \
  'minAvailable and maxUnavailable cannot be both set' \
  kubectl apply --dry-run=server --validate=strict -n bank -f "$work/pdb-both.yaml"

# CloudNativePG's CEL rule: an image name and an image catalog exclude each other.
sed 's|^  imageName: .*|&\n  imageCatalogRef:\n    apiGroup: postgresql.cnpg.io\n    kind: ImageCatalog\n    name: postgresql\n    major: 15|' \
  deploy/cloudnative-pg/cluster.yaml >"$work/cluster-catalog.yaml"
must_refuse "the API server refuses a CNPG Cluster with imageName and imageCatalogRef (CEL)" \
  'imageName and imageCatalogRef' \
  kubectl apply --dry-run=server --validate=strict -f "$work/cluster-catalog.yaml"

sed 's|^  instances: 3$|  instance: 3|' deploy/cloudnative-pg/cluster.yaml >"$work/cluster-typo.yaml"
must_refuse "kubeconform -strict refuses an unknown CNPG field (spec.instance)" "instance" \
  kubeconform "${kubeconform_args[@]}" "$work/cluster-typo.yaml"
must_refuse "the API server refuses an unknown CNPG field (spec.instance)" 'unknown field "spec.instance"' \
  kubectl apply --dry-run=server --validate=strict -f "$work/cluster-typo.yaml"

sed 's|^      maxUnavailable: 0$|      maxUnavalable: 0|' "$chart/examples/cnpg.yaml" >"$work/deployment-typo.yaml"
must_refuse "kubeconform -strict refuses an unknown Deployment field (maxUnavalable)" "maxUnavalable" \
  kubeconform "${kubeconform_args[@]}" "$work/deployment-typo.yaml"

if ((failures > 0)); then
  echo "check-kubernetes: $failures check(s) failed" >&2
  exit 1
fi
echo "check-kubernetes: every check passed"
