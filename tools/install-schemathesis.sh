#!/usr/bin/env bash
# Installs schemathesis (the API fuzzer that SchemathesisIT runs against the service) into a virtual environment
# of its own, from the pinned tools/schemathesis/requirements.txt, and prints the path of its `st` command.
# The environment is cached in ${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank/, keyed by the requirements'
# sha256, so a second run prints the path at once and editing the pins installs anew. Needs Python 3.9+ with
# the venv module, and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=tools/schemathesis/requirements.txt
key=$(sha256sum "$requirements" | cut -c1-16)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank
venv=$cache/schemathesis-$key
st=$venv/bin/st

# A venv cannot be moved after it is made (its scripts name their own path), so it is built in place and a
# marker written last says it is complete.
if [[ -f $venv/.complete ]]; then
  echo "$st"
  exit 0
fi
mkdir -p "$cache"
exec 9>"$venv.lock"
flock 9
if [[ -f $venv/.complete ]]; then
  echo "$st"
  exit 0
fi

python=$(command -v python3 || true)
[[ -n $python ]] || { echo "install-schemathesis: python3 is required" >&2; exit 1; }
rm -rf "$venv"
log=$(mktemp)
echo "install-schemathesis: installing $(grep '^schemathesis==' "$requirements") into $venv" >&2
if ! { "$python" -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check \
        --no-input --requirement "$requirements"; } >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "install-schemathesis: failed (on Debian, 'apt-get install python3-venv' provides the venv module)" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
"$st" --version >/dev/null
touch "$venv/.complete"
echo "$st"
