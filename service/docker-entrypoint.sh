#!/bin/sh
# Runs the command line it is given (service/Dockerfile's ENTRYPOINT: java, its flags, the jar, CMD) with a
# Java ahead-of-time cache (JEP 483, 514 and 515, Java 25): the classes the service loads, already parsed and
# linked, and the method profiles of a real run.
#
# - A cache made for this JVM and these files exists: run with -XX:AOTCache. If the JVM finds it unusable
#   (truncated, or written by another JVM build), it says so and starts without it (-XX:AOTMode=auto, the
#   default); it never refuses to start because of the cache.
# - None exists: first a training run, then the service. The training run is this command line without
#   -javaagent (the agent's jar stays on the boot class path, so the cache matches the real run's class path;
#   with the agent active, Java 25.0.3 crashes while assembling the cache). It starts against the real
#   database, answers a few read-only requests, and stops; the cache is then assembled from what it loaded
#   (-XX:AOTMode=record, then -XX:AOTMode=create, one JVM at a time, so the container's memory limit holds).
#   The cache is written under a temporary name and renamed when complete, so a start that is killed halfway
#   leaves no half-written cache behind, and a training run that fails only costs its time.
#
# The cache's name is derived from the command line, the JVM's build and the size and time of every file the
# command line names (the JVM checks the same ones): a new image or new flags get a new cache, and older ones
# in the directory are removed when it is recorded.
#
# AOT_CACHE_DIR (default /app/aot; compose mounts a volume there) is where caches live. Set it empty, or point
# it at a directory that is missing or not writable, to run the command line as it is. Only the `server` command
# trains a cache; the others use one if it exists. AOT_TRAINING_TIMEOUT
# (seconds, default 300) bounds the training run's start.
set -eu

dir="${AOT_CACHE_DIR-/app/aot}"
if [ -z "$dir" ] || [ ! -d "$dir" ] || [ ! -w "$dir" ] || [ "$#" -eq 0 ]; then
  exec "$@"
fi

java=$1
shift
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")

fingerprint() {
  printf '%s\n' "$@"
  stat -c '%n %s %Y' "$java_home/release" "$java_home/lib/server/libjvm.so" 2>/dev/null || true
  for argument in "$@"; do
    # -jar X, -javaagent:X, -Xbootclasspath/a:X, -Dname=X: whatever follows the last ':' or '=' may be a file.
    file=${argument##*[:=]}
    if [ -f "$file" ]; then
      stat -c '%n %s %Y' "$file"
    fi
  done
}
key=$(fingerprint "$@" | cksum | cut -d ' ' -f 1)

# The training run's JVM: the given flags and command line, less -javaagent. It replaces the (sub)shell it runs in.
without_agent() {
  for argument in "$@"; do
    shift
    case "$argument" in
      -javaagent:*) ;;
      *) set -- "$@" "$argument" ;;
    esac
  done
  exec "$java" "$@"
}
cache="$dir/bank-$key.aot"

serves=false
for argument in "$@"; do
  if [ "$argument" = server ]; then
    serves=true
  fi
done

# Only the service itself trains a cache; its other commands (migrate, db, clients, simulate) run as they are.
if [ "$serves" = true ] && [ ! -s "$cache" ]; then
  for old in "$dir"/bank-*; do
    if [ -e "$old" ]; then
      rm -f "$old"
    fi
  done
  config="$dir/bank-$key.aotconf"
  echo "docker-entrypoint: no AOT cache for this image in $dir; a training run records one first" >&2
  without_agent -XX:AOTMode=record "-XX:AOTConfiguration=$config" "$@" &
  pid=$!
  stop_training() {
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
      wait "$pid" || true
    done
  }
  trap 'stop_training; rm -f "$config" "$cache.tmp"; exit 143' TERM INT
  admin="http://127.0.0.1:${ADMIN_PORT:-8081}"
  api="http://127.0.0.1:${PORT:-8080}"
  healthy=false
  waited=0
  while [ "$waited" -lt "${AOT_TRAINING_TIMEOUT:-300}" ] && kill -0 "$pid" 2>/dev/null; do
    if curl -fsS --max-time 5 -o /dev/null "$admin/healthcheck" 2>/dev/null; then
      healthy=true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  if [ "$healthy" = true ]; then
    # Read-only requests through the whole stack: the admin port, the API's authentication (a request without
    # a key, and one with the bootstrap key if there is one), the database, problem responses.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      curl -s --max-time 10 -o /dev/null "$admin/healthcheck" || true
      curl -s --max-time 10 -o /dev/null "$api/v1/accounts/00000000-0000-7000-8000-000000000000" || true
      if [ -n "${BANK_BOOTSTRAP_API_KEY:-}" ]; then
        curl -s --max-time 10 -o /dev/null -H "Authorization: Bearer $BANK_BOOTSTRAP_API_KEY" \
          "$api/v1/accounts/00000000-0000-7000-8000-000000000000" || true
        curl -s --max-time 10 -o /dev/null -H "Authorization: Bearer $BANK_BOOTSTRAP_API_KEY" \
          "$api/v1/accounts/00000000-0000-7000-8000-000000000000/transactions?limit=50" || true
      fi
    done
  fi
  stop_training
  if [ "$healthy" = true ] && [ -s "$config" ] \
      && (without_agent -XX:AOTMode=create "-XX:AOTConfiguration=$config" "-XX:AOTCache=$cache.tmp" "$@" >&2) \
      && [ -s "$cache.tmp" ]; then
    mv "$cache.tmp" "$cache"
    echo "docker-entrypoint: AOT cache recorded in $cache" >&2
  else
    echo "docker-entrypoint: the training run recorded no AOT cache; starting without one" >&2
  fi
  rm -f "$config" "$cache.tmp"
  trap - TERM INT
fi

if [ -s "$cache" ]; then
  exec "$java" "-XX:AOTCache=$cache" "$@"
fi
exec "$java" "$@"
