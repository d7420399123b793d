# shellcheck shell=bash
# Shared by the tools/build-*.sh scripts: build a program once per machine and reuse it.
#
# cached_build NAME RESULT_DIR RESULT MESSAGE BUILD_FUNCTION
#   Prints RESULT (a path inside RESULT_DIR) at once if RESULT_DIR exists. Otherwise takes a lock, so that
#   concurrent callers build once and the others wait for it, runs "BUILD_FUNCTION SCRATCH_DIR" with its output
#   in a log, and renames the scratch directory to RESULT_DIR only when the build succeeded: RESULT_DIR either
#   holds a finished build or does not exist. Progress and errors go to stderr, the result to stdout.

cached_build() {
  local name=$1 result_dir=$2 result=$3 message=$4 build=$5
  if [[ -d $result_dir ]]; then
    echo "$result"
    return
  fi
  mkdir -p "$(dirname "$result_dir")"
  exec 9>"$result_dir.lock"
  flock 9
  if [[ -d $result_dir ]]; then
    echo "$result"
    return
  fi
  command -v go >/dev/null || { echo "$name: go is not on PATH" >&2; exit 1; }

  local partial="$result_dir.partial"
  rm -rf "$partial"
  mkdir -p "$partial"
  local log="$partial/build.log"
  echo "$name: $message" >&2
  if ! "$build" "$partial" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "$name: build failed, full log in $log" >&2
    exit 1
  fi
  mv "$partial" "$result_dir"
  echo "$result"
}
