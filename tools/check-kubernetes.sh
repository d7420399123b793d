#!/usr/bin/env bash
# Checks the Helm chart and every manifest under deploy/ offline, with the real tools (built by
# tools/build-kubernetes-tools.sh chart):
#   1. helm lint --strict, for deploy/values-cnpg.yaml and each value set of deploy/helm/observable-bank/ci/
#   2. helm template for each value set, compared with deploy/helm/observable-bank/examples/
#   3. helm package: the packaged chart carries the alert rules its rules/ link points at
#   4. helm-unittest: the chart's tests/*_test.yaml
#   5. kubeconform -strict: the rendered examples and deploy/**/*.yaml, against schemas generated from the
#      Kubernetes release's swagger.json and from the CloudNativePG, barman-cloud and prometheus-operator CRDs
#   6. deliberate breaks, each of which must be refused for its own reason: misspelt values (the schema), an
#      unknown CloudNativePG field and an unknown Deployment field (kubeconform)
# tools/check-kubernetes-api.sh does what needs a real API server.
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

openapi2jsonschema_version=1.1.37
kubeconform_version=v0.7.0
# shellcheck source=tools/lib/kubernetes-checks.sh
source tools/lib/kubernetes-checks.sh

step_start=$SECONDS
tools_bin=$(tools/build-kubernetes-tools.sh chart)
export PATH="$tools_bin:$PATH"
printf 'ok    %-72s %4ds\n' "tools built or cached ($tools_bin)" $((SECONDS - step_start))

# --- Schemas for kubeconform ---------------------------------------------------------------------------------
# Generated once per version set and cached: the built-in kinds from the release's own OpenAPI document, the
# custom resources from the CRDs in the operators' Go modules.
schemas="$cache_root/kubeconform-schemas-$kubernetes_version-cnpg-$cnpg_version-barman-$barman_cloud_version-prom-$prometheus_operator_version"
venv="$cache_root/openapi2jsonschema2-$openapi2jsonschema_version"

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

# helm notes the rules/ link on stderr each time it follows it; errors still show.
render() {
  local values=$1
  helm template bank "$chart" --namespace bank --kube-version "$kubernetes_version" -f "$values" \
    2> >(grep -v 'found symbolic link in path' >&2)
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
  helm package "$chart" --destination "$work/package" >/dev/null || return 1
  local tarball
  tarball=$(ls "$work/package"/observable-bank-*.tgz) || return 1
  # The rules/ link was followed: the package holds the files themselves, every one of them.
  local file
  for file in prometheus/rules/*.rules.yml; do
    tar -xOzf "$tarball" "observable-bank/rules/$(basename "$file")" | cmp - "$file" || return 1
  done
  diff -u "$chart/examples/cnpg.yaml" \
    <(helm template bank "$tarball" --namespace bank --kube-version "$kubernetes_version" -f deploy/values-cnpg.yaml)
}
check "helm package carries prometheus/rules/*.rules.yml; renders the same" check_package

check "helm-unittest ($chart/tests)" helm-unittest --strict "$chart"

check "kubeconform -strict: rendered examples" kubeconform "${kubeconform_args[@]}" "$chart"/examples/*.yaml
check "kubeconform -strict: ${#manifests[@]} manifests under deploy/" kubeconform "${kubeconform_args[@]}" "${manifests[@]}"

# --- Deliberate breaks ---------------------------------------------------------------------------------------
must_refuse "values.schema.json refuses a misspelt key (replicaCont)" "additional properties 'replicaCont' not allowed" \
  helm template bank "$chart" --kube-version "$kubernetes_version" -f deploy/values-cnpg.yaml --set replicaCont=3
must_refuse "values.schema.json refuses a misspelt nested key (autoscaling.enable)" \
  "additional properties 'enable' not allowed" \
  helm template bank "$chart" --kube-version "$kubernetes_version" -f deploy/values-cnpg.yaml --set autoscaling.enable=true

sed 's|^  instances: 3$|  instance: 3|' deploy/cloudnative-pg/cluster.yaml >"$work/cluster-typo.yaml"
must_refuse "kubeconform -strict refuses an unknown CNPG field (spec.instance)" \
  "additional properties 'instance' not allowed" \
  kubeconform "${kubeconform_args[@]}" "$work/cluster-typo.yaml"

sed 's|^      maxUnavailable: 0$|      maxUnavalable: 0|' "$chart/examples/cnpg.yaml" >"$work/deployment-typo.yaml"
must_refuse "kubeconform -strict refuses an unknown Deployment field (maxUnavalable)" \
  "additional properties 'maxUnavalable' not allowed" \
  kubeconform "${kubeconform_args[@]}" "$work/deployment-typo.yaml"

if ((failures > 0)); then
  echo "check-kubernetes: $failures check(s) failed" >&2
  exit 1
fi
echo "check-kubernetes: every check passed"
