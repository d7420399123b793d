#!/usr/bin/env bash
# Checks the chart and every manifest under deploy/ against a real API server: etcd and kube-apiserver (built by
# tools/build-kubernetes-tools.sh) on loopback, the CRDs of CloudNativePG, barman-cloud and the Prometheus
# Operator installed, then `helm install`, `helm upgrade` (a config change must change the pod template's
# checksum) and `helm rollback` of the chart with deploy/values-cnpg.yaml, `kubectl apply --dry-run=server
# --validate=strict` of every manifest and rendered example, and the Grafana ConfigMaps made as
# docs/kubernetes.md makes them. Then breaks that only an API server catches: a Deployment selector that does
# not match its labels, a PodDisruptionBudget with both bounds, a CloudNativePG CEL rule, an unknown field.
# Pods never run: there is no kubelet. Exits non-zero on any failure.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

# shellcheck source=tools/lib/kubernetes-checks.sh
source tools/lib/kubernetes-checks.sh

step_start=$SECONDS
tools_bin=$(tools/build-kubernetes-tools.sh)
export PATH="$tools_bin:$PATH"
printf 'ok    %-72s %4ds\n' "tools built or cached ($tools_bin)" $((SECONDS - step_start))

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
  kubectl apply --server-side "${args[@]}" >/dev/null || return 1
  kubectl wait --for condition=Established --timeout 120s crd --all >/dev/null || return 1
  kubectl create namespace bank >/dev/null || return 1
  kubectl create namespace monitoring >/dev/null
}
check "CRDs of CloudNativePG, barman-cloud and prometheus-operator installed" install_crds

helm_install() {
  helm install bank "$chart" --namespace bank -f deploy/values-cnpg.yaml || return 1
  # The chart's objects exist as rendered: the HPA owns the replica count, the rules are loaded.
  kubectl -n bank get deployment/bank-observable-bank hpa/bank-observable-bank pdb/bank-observable-bank \
    prometheusrule/bank-observable-bank networkpolicy/bank-observable-bank || return 1
  test "$(kubectl -n bank get deployment bank-observable-bank -o jsonpath='{.spec.replicas}')" = 1 \
    || { echo "the Deployment should carry no replicas of its own (the API server defaults it to 1)"; return 1; }
  # A config change rolls the pods: the template's checksum changes on upgrade.
  local before after
  before=$(kubectl -n bank get deployment bank-observable-bank -o jsonpath="{.spec.template.metadata.annotations['checksum/config']}")
  helm upgrade bank "$chart" --namespace bank -f deploy/values-cnpg.yaml --set config.API_KEY_CACHE_TTL=5s || return 1
  after=$(kubectl -n bank get deployment bank-observable-bank -o jsonpath="{.spec.template.metadata.annotations['checksum/config']}")
  if [[ -z $before || $before == "$after" ]]; then
    echo "checksum/config did not change on a config change: $before / $after"
    return 1
  fi
  helm rollback bank 1 --namespace bank
}
check "helm install, upgrade (config change rolls pods), rollback: values-cnpg.yaml" helm_install

# The manifests name their namespaces. Each rendered example goes to a namespace of its own: applied over the release
# installed above with other values, a client-side apply would merge the two (a PDB would get both bounds).
for file in "${manifests[@]}"; do
  check "kubectl apply --dry-run=server --validate=strict ${file#deploy/}" \
    kubectl apply --dry-run=server --validate=strict -f "$file"
done
for file in "$chart"/examples/*.yaml; do
  example=$(basename "$file" .yaml)
  kubectl create namespace "example-$example" >/dev/null
  check "kubectl apply --dry-run=server --validate=strict ${file#deploy/}" \
    kubectl apply --dry-run=server --validate=strict -n "example-$example" -f "$file"
done

# docs/kubernetes.md, "Dashboards and data sources": the same commands, for real.
grafana_configmaps() {
  kubectl create configmap bank-grafana-datasources -n monitoring \
    --from-file=grafana/provisioning/datasources/datasources.yaml --dry-run=client -o yaml |
    kubectl label --local -f - grafana_datasource=1 -o yaml |
    kubectl apply --server-side -f - || return 1
  kubectl create configmap bank-grafana-dashboards -n monitoring --from-file=grafana/dashboards/ \
    --dry-run=client -o yaml |
    kubectl label --local -f - grafana_dashboard=1 -o yaml |
    kubectl annotate --local -f - grafana_folder="Observable Bank" -o yaml |
    kubectl apply --server-side -f - || return 1
  local keys
  # shellcheck disable=SC2016 # a Go template, not shell
  keys=$(kubectl get configmap bank-grafana-dashboards -n monitoring -o go-template='{{range $k, $v := .data}}{{$k}} {{end}}') ||
    return 1
  for file in grafana/dashboards/*.json; do
    grep -qw "$(basename "$file")" <<<"$keys" || { echo "missing $(basename "$file") in the ConfigMap: $keys"; return 1; }
  done
}
check "Grafana ConfigMaps from grafana/ (the commands of docs/kubernetes.md)" grafana_configmaps

# --- Deliberate breaks ---------------------------------------------------------------------------------------
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
must_refuse "the API server refuses an unknown CNPG field (spec.instance)" 'unknown field "spec.instance"' \
  kubectl apply --dry-run=server --validate=strict -f "$work/cluster-typo.yaml"

if ((failures > 0)); then
  echo "check-kubernetes-api: $failures check(s) failed" >&2
  exit 1
fi
echo "check-kubernetes-api: every check passed"
