#!/usr/bin/env bash
# Runs the service and its metrics pipeline as local processes, for machines without Docker:
# postgres_exporter, the Collector (otel-collector.yaml), Prometheus (prometheus.yml and its rules) and the
# service under the OpenTelemetry agent, after the schema migration (compose's api-migrate), on the compose ports
# of 127.0.0.1. Ctrl-C stops all of them.
#
#   tools/local-stack.sh              the service and the pipeline
#   tools/local-stack.sh --traffic    also the traffic generator (TRAFFIC_RATE requests per second, default 5)
#
# The processes are started by bank.e2e.stack.LocalStack, the same class that starts them for the e2e suite:
# every address and variable comes from docker-compose.yml and the files it mounts. This script only builds
# what is missing and runs that class. See CONTRIBUTING.md, "Running without Docker", for the database it needs
# (DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD), the settings it takes and the alerts to expect.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"

case "${1:-}" in
  "" | --traffic) ;;
  *) echo "usage: tools/local-stack.sh [--traffic]" >&2; exit 2 ;;
esac

if [[ ! -f service/target/bank-service.jar || ! -f service/target/otel/opentelemetry-javaagent.jar ]]; then
  echo "local-stack: building the service (./mvnw -q -pl service -am package -DskipTests)" >&2
  ./mvnw -q -pl service -am package -DskipTests
fi
echo "local-stack: compiling the launcher (the e2e module's test classes)" >&2
./mvnw -q -pl e2e test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/local-stack.classpath
exec java -Dbank.repository.root="$repo_root" -cp "e2e/target/test-classes:$(cat e2e/target/local-stack.classpath)" \
  bank.e2e.stack.LocalStack "$@"
