"""Load generators: wrk with bench/wrk/bank.lua against the service (A, B), pgbench with bench/pgbench/*.sql
against the database (C). Both return the same kind of result."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WRK_SCRIPT = os.path.join(HERE, "wrk", "bank.lua")
PGBENCH_DIR = os.path.join(HERE, "pgbench")


@dataclass
class Data:
    """The seeded data the scenarios draw from (bench/seed.sql)."""
    accounts: int
    active: int
    active_lines: int
    lines: int
    pool: int = 1000
    hot: int = 10


@dataclass
class Scenario:
    name: str
    pgbench_scripts: tuple  # bench/pgbench files, run one after the other as one pgbench transaction
    pgbench_variables: dict = field(default_factory=dict)


KEYED = "idempotency-key.sql"
SCENARIOS = [
    Scenario("get-account", ("get-account.sql",)),
    Scenario("history", ("history.sql",)),
    Scenario("credit", (KEYED, "credit.sql")),
    Scenario("transfer", (KEYED, "transfer.sql"), {"pool": "pool"}),
    Scenario("transfer-hot", (KEYED, "transfer.sql"), {"pool": "hot"}),
]
SCENARIO_NAMES = [s.name for s in SCENARIOS]
# Every scenario of bench/wrk/bank.lua at random, request by request: the JVM warm-up after a service starts.
MIXED = Scenario("mixed", ())


@dataclass
class Result:
    seconds: float
    requests: int
    errors: int          # non-2xx answers, socket errors and timeouts (A, B); failed transactions (C)
    statuses: dict
    socket_errors: dict
    p50_ms: float
    p99_ms: float
    raw: str
    command: str

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0


def _run(command, env, timeout):
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout + (("\n" + result.stderr) if result.stderr.strip() else "")


def wrk(url, scenario, connections, seconds, data, api_key):
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
               "-s", WRK_SCRIPT, url, "--", scenario.name]
    env = dict(os.environ, BENCH_ACCOUNTS=str(data.accounts), BENCH_ACTIVE=str(data.active),
               BENCH_POOL=str(data.pool), BENCH_HOT=str(data.hot), BENCH_API_KEY=api_key,
               BENCH_RUN_ID=uuid.uuid4().hex[:12])
    output = _run(command, env, seconds + 60)
    line = next((l for l in output.splitlines() if l.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise RuntimeError("wrk printed no BENCH_RESULT line:\n" + output)
    parsed = json.loads(line[len("BENCH_RESULT "):])
    statuses = {int(k): v for k, v in parsed["statuses"].items()}
    non_2xx = sum(v for k, v in statuses.items() if not 200 <= k < 300)
    socket_errors = parsed["errors"]
    return Result(
        seconds=parsed["duration_us"] / 1e6,
        requests=parsed["requests"],
        errors=non_2xx + sum(socket_errors.values()),
        statuses=statuses,
        socket_errors=socket_errors,
        p50_ms=parsed["latency_us"]["p50"] / 1000,
        p99_ms=parsed["latency_us"]["p99"] / 1000,
        raw=output,
        command=" ".join(command[:-4] + ["bench/wrk/bank.lua", "<service>", "--", scenario.name]),
    )


def pgbench(bindir, port, database, scenario, connections, seconds, data):
    variables = {"accounts": data.accounts, "active": data.active, "pool": data.pool, "hot": data.hot}
    for name, source in scenario.pgbench_variables.items():
        variables[name] = variables[source]
    logs = tempfile.mkdtemp(prefix="bench-pgbench-")
    try:
        script = os.path.join(logs, scenario.name + ".sql")
        with open(script, "w") as out:
            for name in scenario.pgbench_scripts:
                out.write(open(os.path.join(PGBENCH_DIR, name)).read())
        command = [os.path.join(bindir, "pgbench"), "-n", "-M", "prepared", "-h", "127.0.0.1", "-p", str(port),
                   "-U", "bank", "-c", str(connections), "-j", str(min(2, connections)), "-T", str(seconds),
                   "--failures-detailed", "-l", "--log-prefix", os.path.join(logs, "log"), "-f", script]
        for name, value in variables.items():
            command += ["-D", f"{name}={value}"]
        command.append(database)
        output = _run(command, dict(os.environ, PGPASSWORD="bank"), seconds + 120)
        latencies = []
        for name in os.listdir(logs):
            if not name.startswith("log"):
                continue
            with open(os.path.join(logs, name)) as f:
                for line in f:
                    fields = line.split()
                    # client, transaction, latency in µs (or "failed"/"skipped"), script, epoch s, epoch µs
                    if len(fields) >= 3 and fields[2].isdigit():
                        latencies.append(int(fields[2]))
    finally:
        shutil.rmtree(logs, ignore_errors=True)
    latencies.sort()
    processed = int(re.search(r"number of transactions actually processed: (\d+)", output).group(1))
    failed_match = re.search(r"number of failed transactions: (\d+)", output)
    failed = int(failed_match.group(1)) if failed_match else 0
    duration = float(re.search(r"duration: (\d+) s", output).group(1))
    shown = [a for a in command if not a.startswith(logs) and a not in ("--log-prefix", "-l", "-f")]
    shown[-1:-1] = ["-f " + " + ".join("bench/pgbench/" + name for name in scenario.pgbench_scripts)]
    return Result(
        seconds=duration,
        requests=processed,
        errors=failed,
        statuses={},
        socket_errors={},
        p50_ms=_percentile(latencies, 50) / 1000,
        p99_ms=_percentile(latencies, 99) / 1000,
        raw=output,
        command=" ".join(shown),
    )


def _percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return float(sorted_values[index])
