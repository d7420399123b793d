#!/usr/bin/env bash
# Builds, from the Go module proxy alone, the tools that tools/check-kubernetes.sh and
# tools/check-kubernetes-api.sh run against the chart and the manifests under deploy/, and prints a directory
# holding them:
#   tools/build-kubernetes-tools.sh chart   helm, helm-unittest, kubeconform (a few minutes cold)
#   tools/build-kubernetes-tools.sh         all of them:
#   etcd, kube-apiserver, kubectl   a real API server on loopback (no kubelet: pods never run)
#   helm                            lint, template, install, test hooks
#   helm-unittest                   the chart's unit tests (deploy/helm/observable-bank/tests)
#   kubeconform                     offline schema validation
# Each tool is built once per machine and cached under ~/.cache/observable-bank (tools/lib/cached-build.sh).
# A cold build takes tens of minutes on two cores, most of it kube-apiserver; a warm run returns at once.
set -euo pipefail

what=${1:-all}
case "$what" in
  chart | all) ;;
  *) echo "usage: tools/build-kubernetes-tools.sh [chart]" >&2; exit 2 ;;
esac

repo_root=$(cd "$(dirname "$0")/.." && pwd)

etcd_version=v3.7.3
kubernetes_version=v1.37.2
helm_version=v3.22.0
helm_unittest_version=v1.1.2
kubeconform_version=v0.7.0

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank"
# Go compiles with every core; on a shared machine the rest of the work should still get its turn.
go_build=(nice -n 10 go)

# etcd's server module replaces its sibling modules (api, client, pkg) with folders of its tree, so it is built
# from a wrapper module, where those replaces do not apply and the siblings resolve to the same release.
build_etcd() {
  local out=$1 wrapper="$1/wrapper"
  mkdir -p "$wrapper"
  printf 'module observable-bank/etcd\n\ngo 1.25\n' >"$wrapper/go.mod"
  (
    cd "$wrapper"
    go get "go.etcd.io/etcd/server/v3@$etcd_version"
    "${go_build[@]}" build -trimpath -o "$out/etcd" go.etcd.io/etcd/server/v3
  )
  rm -rf "$wrapper"
}

# k8s.io/kubernetes replaces its 31 staging modules (k8s.io/api, k8s.io/client-go, ...) with folders of its own
# tree, so "go install k8s.io/kubernetes/...@version" is refused. A wrapper module that requires it and points
# each staging module at its published release (v0.MINOR.PATCH for v1.MINOR.PATCH) builds the same code.
build_kubernetes() {
  local out=$1 wrapper="$1/wrapper" gomod staging_version
  staging_version="v0.${kubernetes_version#v1.}"
  gomod=$(go mod download -json "k8s.io/kubernetes@$kubernetes_version" | sed -n 's|^[[:space:]]*"GoMod": "\(.*\)",$|\1|p')
  mkdir -p "$wrapper"
  {
    echo "module observable-bank/kubernetes-tools"
    echo
    echo "go $(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")"
    echo
    echo "require k8s.io/kubernetes $kubernetes_version"
    echo
    sed -n 's|^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/k8s.io/.*$|replace \1 => \1 '"$staging_version"'|p' "$gomod"
  } >"$wrapper/go.mod"
  local replaced
  replaced=$(grep -c '^replace ' "$wrapper/go.mod")
  echo "wrapper module pins $replaced staging modules to $staging_version"
  ((replaced > 20)) || { echo "too few staging modules found in $gomod" >&2; return 1; }
  local ldflags="" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$kubernetes_version -X $pkg.gitMajor=1"
    ldflags+=" -X $pkg.gitMinor=$(cut -d. -f2 <<<"$kubernetes_version") -X $pkg.gitTreeState=clean"
  done
  (
    cd "$wrapper"
    go get "k8s.io/kubernetes/cmd/kube-apiserver@$kubernetes_version" "k8s.io/kubernetes/cmd/kubectl@$kubernetes_version"
    "${go_build[@]}" build -trimpath -ldflags "$ldflags" -o "$out/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
    "${go_build[@]}" build -trimpath -ldflags "$ldflags" -o "$out/kubectl" k8s.io/kubernetes/cmd/kubectl
  )
  rm -rf "$wrapper"
}

build_helm() {
  GOBIN="$1" "${go_build[@]}" install -trimpath \
    -ldflags "-X helm.sh/helm/v3/internal/version.version=$helm_version -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    "helm.sh/helm/v3/cmd/helm@$helm_version"
}

# helm-unittest's go.mod replaces yaml-jsonpath with its own fork; a wrapper module repeats that replace.
build_helm_unittest() {
  local out=$1 wrapper="$1/wrapper" gomod
  gomod=$(go mod download -json "github.com/helm-unittest/helm-unittest@$helm_unittest_version" |
    sed -n 's|^[[:space:]]*"GoMod": "\(.*\)",$|\1|p')
  mkdir -p "$wrapper"
  {
    echo "module observable-bank/helm-unittest"
    echo
    echo "go $(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")"
    echo
    echo "require github.com/helm-unittest/helm-unittest $helm_unittest_version"
    echo
    grep '^replace ' "$gomod"
  } >"$wrapper/go.mod"
  (
    cd "$wrapper"
    go get "github.com/helm-unittest/helm-unittest/cmd/helm-unittest@$helm_unittest_version"
    "${go_build[@]}" build -trimpath -o "$out/helm-unittest" github.com/helm-unittest/helm-unittest/cmd/helm-unittest
  )
  rm -rf "$wrapper"
}

build_kubeconform() {
  GOBIN="$1" "${go_build[@]}" install -trimpath "github.com/yannh/kubeconform/cmd/kubeconform@$kubeconform_version"
}

source "$repo_root/tools/lib/cached-build.sh"
# Each build runs in a subshell: cached_build exits the shell it runs in when a build fails.
helm_dir=$(cached_build build-kubernetes-tools "$cache_root/helm-$helm_version" "$cache_root/helm-$helm_version" \
  "building helm $helm_version (a few minutes)" build_helm)
unittest_dir=$(cached_build build-kubernetes-tools "$cache_root/helm-unittest-$helm_unittest_version" \
  "$cache_root/helm-unittest-$helm_unittest_version" "building helm-unittest $helm_unittest_version" build_helm_unittest)
kubeconform_dir=$(cached_build build-kubernetes-tools "$cache_root/kubeconform-$kubeconform_version" \
  "$cache_root/kubeconform-$kubeconform_version" "building kubeconform $kubeconform_version" build_kubeconform)
if [[ $what == all ]]; then
  etcd_dir=$(cached_build build-kubernetes-tools "$cache_root/etcd-$etcd_version" "$cache_root/etcd-$etcd_version" \
    "building etcd $etcd_version (about a minute)" build_etcd)
  kubernetes_dir=$(cached_build build-kubernetes-tools "$cache_root/kubernetes-$kubernetes_version" \
    "$cache_root/kubernetes-$kubernetes_version" \
    "building kube-apiserver and kubectl $kubernetes_version (15 to 30 minutes on two cores)" build_kubernetes)
fi

# One directory to put on PATH; rebuilt from the cached builds each time, which costs nothing.
bin="$cache_root/kubernetes-tools-$what-$kubernetes_version/bin"
mkdir -p "$bin"
ln -sfn "$helm_dir/helm" "$bin/helm"
ln -sfn "$unittest_dir/helm-unittest" "$bin/helm-unittest"
ln -sfn "$kubeconform_dir/kubeconform" "$bin/kubeconform"
if [[ $what == all ]]; then
  ln -sfn "$etcd_dir/etcd" "$bin/etcd"
  ln -sfn "$kubernetes_dir/kube-apiserver" "$bin/kube-apiserver"
  ln -sfn "$kubernetes_dir/kubectl" "$bin/kubectl"
fi
echo "$bin"
