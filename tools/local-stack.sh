#!/usr/bin/env bash
# Runs the service and its metrics pipeline as local processes, for machines without Docker:
# postgres_exporter, the Collector (otel-collector.yaml), Prometheus (prometheus.yml and its rules) and the
# service under the OpenTelemetry agent, on the compose ports of 127.0.0.1. Ctrl-C stops all of them.
#
#   tools/local-stack.sh              the service and the pipeline
#   tools/local-stack.sh --traffic    also the traffic generator (TRAFFIC_RATE requests per second, default 5)
#
# Needs Java 17, Go and Node.js (for the first Collector and Prometheus builds) and a PostgreSQL with a database "bank":
# DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD as in service/config.yml (default
# jdbc:postgresql://localhost:5432/bank?currentSchema=public, bank/bank). Builds the service with ./mvnw if its jar is missing.
#
# Grafana, Loki, Tempo and Alertmanager run only in compose. Without Tempo the Collector retries each batch
# of spans for a minute and then drops it (OtelCollectorExportFailing fires after five minutes); logs stay
# on the service's console. Set TEMPO_OTLP_HTTP_ENDPOINT or LOKI_URL to send them to a Tempo or Loki of
# your own.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

traffic=false
case "${1:-}" in
  "") ;;
  --traffic) traffic=true ;;
  *) echo "usage: tools/local-stack.sh [--traffic]" >&2; exit 2 ;;
esac

state="${XDG_CACHE_HOME:-$HOME/.cache}/observable-bank/local-stack"
# A folder of logs per run; the ten newest are kept.
logs="$state/logs/$(date +%Y%m%d-%H%M%S)"
environment_name=${DEPLOYMENT_ENVIRONMENT:-local}
database_url=${DATABASE_URL:-jdbc:postgresql://localhost:5432/bank?currentSchema=public}
database_user=${DATABASE_USER:-bank}
database_password=${DATABASE_PASSWORD:-bank}

say() { echo "local-stack: $*" >&2; }

# Shows why a process failed: its first error lines (a Java root cause comes before its stack trace) and
# its last lines (a Go program's fatal error comes at the end).
explain() {
  local log="$logs/$1.log"
  say "$1 failed; first errors and last lines of $log:"
  grep -m 5 -iE 'exception|fatal|error' "$log" >&2 || true
  echo "    ..." >&2
  tail -n 5 "$log" >&2
}

# Every port compose publishes for these processes; a second copy of the stack (or compose itself) would
# otherwise half-start and fail in confusing ways.
for port in 8080 8081 4317 4318 8888 8889 13133 9090 9187; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    say "port $port on 127.0.0.1 is already in use; stop whatever listens there first"
    exit 1
  fi
done

if [[ ! -f service/target/bank-service.jar || ! -f service/target/otel/opentelemetry-javaagent.jar ]]; then
  say "building the service (./mvnw -q package -DskipTests)"
  ./mvnw -q package -DskipTests
fi
otelcol=$(tools/build-otelcol.sh)
prometheus_ui="http://localhost:9090/query?g0.expr=sum%20by%20(http_route)%20(rate(http_server_request_duration_seconds_count%5B1m%5D))&g0.tab=graph"
prometheus_dir=$(tools/build-prometheus.sh --ui) || {
  say "continuing with the Prometheus build that has no web UI (its HTTP API is complete)"
  prometheus_dir=$(tools/build-prometheus.sh)
  prometheus_ui="http://localhost:9090/api/v1/query?query=http_server_request_duration_seconds_count (HTTP API only)"
}
# The exporter only feeds the PostgreSQL server panels; the rest of the stack is useful without it.
postgres_exporter=$(tools/install-postgres-exporter.sh) || {
  say "continuing without postgres_exporter: no PostgreSQL server metrics"
  postgres_exporter=""
}

mkdir -p "$logs" "$state/prometheus/data"
find "$state/logs" -mindepth 1 -maxdepth 1 -type d | sort | head -n -10 | xargs -r rm -rf

pids=()
names=()

# shellcheck disable=SC2317  # only ever called by the EXIT trap
stop_all() {
  trap - INT TERM EXIT
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
  done
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    wait "${pids[i]}" 2>/dev/null || true
  done
  if ((${#pids[@]} > 0)); then
    say "stopped; logs are in $logs"
  fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME COMMAND...: runs COMMAND in the background with its output in $logs/NAME.log.
start() {
  local name=$1
  shift
  "$@" >"$logs/$name.log" 2>&1 &
  pids+=("$!")
  names+=("$name")
}

# await NAME URL SECONDS: waits until URL answers 2xx; gives up early, with the log, if NAME has exited.
await() {
  local name=$1 url=$2 seconds=$3 pid=${pids[-1]}
  local deadline=$((SECONDS + seconds))
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "$name exited during start-up"
      explain "$name"
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      say "$name did not answer $url within ${seconds}s; see $logs/$name.log"
      exit 1
    fi
    sleep 1
  done
}

if [[ -n $postgres_exporter ]]; then
  # The same variables compose gives the exporter: host, port and database from the JDBC URL, the
  # credentials separately so that they need no URL encoding.
  database_address=${database_url#jdbc:postgresql://}
  start postgres-exporter env \
    DATA_SOURCE_URI="${database_address%%\?*}?sslmode=disable" \
    DATA_SOURCE_USER="$database_user" \
    DATA_SOURCE_PASS="$database_password" \
    "$postgres_exporter" --web.listen-address=127.0.0.1:9187
  await postgres-exporter http://127.0.0.1:9187/metrics 30
fi

# Every ${env:...} address in otel-collector.yaml, moved from compose host names to 127.0.0.1. Nothing
# listens on the default Tempo address here (see the header).
start otel-collector env \
  OTLP_GRPC_ENDPOINT=127.0.0.1:4317 \
  OTLP_HTTP_ENDPOINT=127.0.0.1:4318 \
  PROMETHEUS_EXPORTER_ENDPOINT=127.0.0.1:8889 \
  HEALTH_CHECK_ENDPOINT=127.0.0.1:13133 \
  COLLECTOR_TELEMETRY_HOST=127.0.0.1 \
  COLLECTOR_TELEMETRY_PORT=8888 \
  POSTGRES_EXPORTER_TARGET=127.0.0.1:9187 \
  TEMPO_OTLP_HTTP_ENDPOINT="${TEMPO_OTLP_HTTP_ENDPOINT:-http://127.0.0.1:4320}" \
  DEPLOYMENT_ENVIRONMENT="$environment_name" \
  "$otelcol" --config "$repo_root/otel-collector.yaml"
await otel-collector http://127.0.0.1:13133/ 60

# prometheus.yml as compose mounts it, with the compose host names replaced and the rules folder beside it.
# Alertmanager does not run here: its scrape job (down forever) and the alerting section are left out, and
# alerts are only evaluated (http://localhost:9090/alerts).
awk '/^alerting:/ { skip = 1; next }
     /^  - job_name: alertmanager/ { skip = 1; next }
     skip && (/^[a-z]/ || /^  - job_name:/) { skip = 0 }
     !skip' prometheus.yml | sed -e 's/"otel-collector:/"127.0.0.1:/g' >"$state/prometheus/prometheus.yml"
ln -sfn "$repo_root/prometheus" "$state/prometheus/prometheus"
# The flags of the compose prometheus command, with local paths for the configuration and the data.
prometheus_flags=()
while read -r flag; do
  case "$flag" in
    --config.file=*) prometheus_flags+=("--config.file=$state/prometheus/prometheus.yml") ;;
    --storage.tsdb.path=*) prometheus_flags+=("--storage.tsdb.path=$state/prometheus/data") ;;
    *) prometheus_flags+=("$flag") ;;
  esac
done < <(awk '/^  prometheus:/ { in_service = 1; next }
              in_service && /^  [a-z]/ { in_service = 0 }
              in_service && /^    command:/ { in_command = 1; next }
              in_command && /^      - / { print $2; next }
              in_command && !/^ *#/ { in_command = 0 }' docker-compose.yml)
if ((${#prometheus_flags[@]} == 0)); then
  say "no command found for the prometheus service in docker-compose.yml"
  exit 1
fi
start prometheus "$prometheus_dir/prometheus" "${prometheus_flags[@]}" --web.listen-address=127.0.0.1:9090
await prometheus http://127.0.0.1:9090/-/ready 60

# The environment of the compose api service with local addresses, and the command line of the image's
# ENTRYPOINT (service/Dockerfile) without its heap setting, which is meant for a container's memory limit.
# The dw.* properties bind both ports to 127.0.0.1 like compose's published ports; config.yml itself
# listens on every interface, as a container must.
start bank-api env \
  OTEL_SERVICE_NAME=bank-api \
  OTEL_RESOURCE_ATTRIBUTES="service.namespace=bank,deployment.environment.name=$environment_name,service.instance.id=api" \
  OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 \
  OTEL_SEMCONV_STABILITY_OPT_IN=database \
  OTEL_LOGS_EXPORTER=none \
  OTEL_METRIC_EXPORT_INTERVAL=5000 \
  OTEL_INSTRUMENTATION_JAVA_HTTP_CLIENT_ENABLED=false \
  DEPLOYMENT_ENVIRONMENT="$environment_name" \
  DATABASE_URL="$database_url" \
  DATABASE_USER="$database_user" \
  DATABASE_PASSWORD="$database_password" \
  DB_MIGRATE_ON_START=true \
  java \
  -javaagent:service/target/otel/opentelemetry-javaagent.jar \
  -Dotel.javaagent.extensions=service/target/otel/bank-agent-extension.jar \
  "-Ddw.server.applicationConnectors[0].bindHost=127.0.0.1" \
  "-Ddw.server.adminConnectors[0].bindHost=127.0.0.1" \
  -jar service/target/bank-service.jar server service/config.yml
await bank-api http://127.0.0.1:8081/healthcheck 180

if $traffic; then
  start traffic env TRAFFIC_TARGET=http://127.0.0.1:8080 TRAFFIC_RATE="${TRAFFIC_RATE:-5}" \
    java -jar service/target/bank-service.jar simulate
fi

cat <<EOF

Observable Bank is running. Logs: $logs
  API                 http://localhost:8080          (Swagger UI: http://localhost:8080/docs/)
  Health              http://localhost:8081/healthcheck
  Prometheus          $prometheus_ui
  Collector metrics   http://localhost:8889/metrics  (its own: http://localhost:8888/metrics)
  postgres_exporter   http://localhost:9187/metrics
Metrics reach Prometheus about 15 seconds after a request. Ctrl-C stops everything.

EOF

# Runs until Ctrl-C, or until one of the processes exits on its own.
wait -n "${pids[@]}" || true
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[i]}" 2>/dev/null; then
    say "${names[i]} exited"
    explain "${names[i]}"
  fi
done
exit 1
