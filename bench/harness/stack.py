"""The processes under test: the service without the agent (A), the service with full telemetry (B), and
B's Collector and Loki/Tempo sink.

B's command line and environment are read from the repository's own files, so that the benchmark follows
them when they change: the JVM flags from the ENTRYPOINT of service/Dockerfile, the environment from compose's
`api` service (with its x-otel-agent anchor). Compose host names become the local processes that play them.
"""

import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from . import gclog, system

# Paths inside the image (service/Dockerfile) and where the same files are in a built checkout.
IMAGE_PATHS = {
    "/app/otel/": "service/target/otel/",
    "/app/bank-service.jar": "service/target/bank-service.jar",
    "/app/config.yml": "service/config.yml",
}
# The image's entrypoint wraps the JVM's command line to add its AOT cache; the harness runs the JVM itself (so
# that the process it measures is the JVM) and adds a cache only where a configuration asks for one.
ENTRYPOINT_SCRIPT = "/app/docker-entrypoint.sh"
# Everything that is there for the agent: A leaves it all out.
AGENT_FLAGS = ("-javaagent:", "-Dotel.", "-Xbootclasspath/a:", "--add-modules=java.instrument")
TELEMETRY_VARIABLES = re.compile(r"^(OTEL_|LOKI_URL$)")
# Inherited variables that would change the JVM or the agent behind the benchmark's back.
SCRUBBED = re.compile(r"^(OTEL_|LOKI_URL$|JAVA_TOOL_OPTIONS$|JDK_JAVA_OPTIONS$|_JAVA_OPTIONS$)")


# --- the repository's files ----------------------------------------------------------------------------------

def runtime_major(root):
    """The Java major version of service/Dockerfile's runtime image (its last FROM eclipse-temurin:<major>...)."""
    text = open(os.path.join(root, "service/Dockerfile")).read()
    images = re.findall(r"^FROM\s+eclipse-temurin:(\d+)\S*", text, re.MULTILINE)
    if not images:
        raise RuntimeError("service/Dockerfile's runtime stage is not FROM eclipse-temurin:<major>...")
    return images[-1]


def runtime_java(root, major=None, variable="BENCH_JAVA_HOME"):
    """The java of a local JDK of the same major version as service/Dockerfile's runtime image (or of `major`):
    the JDK in `variable` (BENCH_JAVA_HOME) if set, else the java on PATH, else one in /usr/lib/jvm."""
    major = major or runtime_major(root)
    homes = [os.environ[variable]] if os.environ.get(variable) else []
    on_path = shutil.which("java")
    if on_path:
        homes.append(os.path.dirname(os.path.dirname(os.path.realpath(on_path))))
    homes += sorted(glob.glob("/usr/lib/jvm/*"))
    for home in homes:
        if _java_major(home) == major:
            return os.path.join(home, "bin", "java")
    raise SystemExit(f"bench: no JDK {major} found; install one (Temurin {major}) or point {variable} at one")


def _java_major(home):
    try:
        with open(os.path.join(home, "release")) as f:
            version = re.search(r'^JAVA_VERSION="(\d+)', f.read(), re.MULTILINE)
    except OSError:
        return None
    return version.group(1) if version else None


def dockerfile_command(root):
    """ENTRYPOINT + CMD of service/Dockerfile, with image paths made local and the JDK of its runtime image."""
    text = open(os.path.join(root, "service/Dockerfile")).read().replace("\\\n", " ")
    parts = {}
    for instruction in ("ENTRYPOINT", "CMD"):
        match = re.search(rf"^{instruction}\s+(\[.*\])\s*$", text, re.MULTILINE)
        if not match:
            raise RuntimeError(f"service/Dockerfile has no {instruction} in exec form")
        parts[instruction] = json.loads(match.group(1))
    command = []
    words = parts["ENTRYPOINT"] + parts["CMD"]
    if words and words[0] == ENTRYPOINT_SCRIPT:
        words = words[1:]
    for arg in words:
        if not command and arg == "java":
            arg = runtime_java(root)
        for image_path, local in IMAGE_PATHS.items():
            arg = arg.replace(image_path, os.path.join(root, local))
        if "/app/" in arg:
            raise RuntimeError(f"no local path for {arg} (service/Dockerfile); extend IMAGE_PATHS")
        command.append(arg)
    return command


def _blocks(lines, indent, start, end):
    """Direct children (key -> (line index, value)) of the mapping whose entries sit at this indent."""
    children = {}
    for i in range(start, end):
        line = lines[i]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(line) - len(line.lstrip())
        if depth == indent and ":" in stripped and not stripped.startswith("- "):
            key, _, value = stripped.partition(":")
            children[key.strip()] = (i, value.strip())
    return children


def _block_end(lines, index):
    depth = len(lines[index]) - len(lines[index].lstrip())
    for i in range(index + 1, len(lines)):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#") and len(lines[i]) - len(lines[i].lstrip()) <= depth:
            return i
    return len(lines)


def _mapping(lines, index):
    """The flat key: value mapping under line `index`, with `<<: *anchor` merged."""
    end = _block_end(lines, index)
    first = next(i for i in range(index + 1, end) if lines[i].strip() and not lines[i].strip().startswith("#"))
    indent = len(lines[first]) - len(lines[first].lstrip())
    values = {}
    for key, (_, value) in _blocks(lines, indent, index + 1, end).items():
        if key == "<<":
            anchor = value.lstrip("*")
            anchor_line = next(i for i, line in enumerate(lines) if re.search(rf"&{re.escape(anchor)}\s*$", line))
            values = {**_mapping(lines, anchor_line), **values}
        else:
            values[key] = _scalar(value)
    return values


def _scalar(value):
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    # ${VAR:-default} as compose resolves it, from the harness's environment.
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: os.environ.get(m.group(1)) or m.group(2), value)


def compose_environment(root, service):
    lines = open(os.path.join(root, "docker-compose.yml")).read().splitlines()
    services = _blocks(lines, 0, 0, len(lines))["services"][0]
    entries = _blocks(lines, 2, services + 1, _block_end(lines, services))
    if service not in entries:
        raise RuntimeError(f"docker-compose.yml has no service {service}")
    index = entries[service][0]
    environment = _blocks(lines, 4, index + 1, _block_end(lines, index))["environment"][0]
    return _mapping(lines, environment)


# --- processes -----------------------------------------------------------------------------------------------

class Process:
    def __init__(self, name, command, env, log_path, cwd):
        self.name = name
        self.command = command
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.started_at = time.monotonic()
        self.popen = subprocess.Popen(command, env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def await_http_ok(self, url, timeout):
        """Seconds from process start to the first 200 from url."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.name} exited during start-up; see {self.log_path}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return time.monotonic() - self.started_at
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not answer {url} within {timeout}s; see {self.log_path}")

    def stop(self, timeout=30):
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.log.close()


def base_environment():
    return {k: v for k, v in os.environ.items() if not SCRUBBED.match(k)}


# The agent's cost split, as upstream's overhead benchmark splits it: B with one part of the telemetry taken away.
# Each name is a configuration of its own; the variables are set on top of B's environment.
B_VARIANTS = {
    "B": {},
    "B-sdk-off": {"OTEL_SDK_DISABLED": "true"},      # the instrumentation alone: no spans, metrics or export
    "B-no-traces": {"OTEL_TRACES_EXPORTER": "none"},  # spans made and sampled, not exported
    "B-no-logs": {"LOKI_URL": ""},                     # no log shipping (loki4j is off without an address)
}


# A with its rate limit in the bucket row in PostgreSQL that every instance shares (bank.access.SharedRateLimits,
# the service's default), where every other configuration keeps it in memory: the shared limit's cost per request
# is this against A.
A_VARIANTS = {
    "A": {},
    "A-shared-limit": {"API_RATE_LIMIT_STORE": "database"},
}
VARIANT_ENVIRONMENT = {**A_VARIANTS, **B_VARIANTS}
# JVM flags of a variant, added after the Dockerfile's (bench/run --variant).
VARIANT_FLAGS = {}


def add_variant(name, settings):
    """A variant of A or B (after its name's first letter) from bench/run --variant: `KEY=VALUE` sets a variable
    on top of that configuration's environment, `!KEY` removes one, and `-...` is a JVM flag."""
    base = name.split("-", 1)[0]
    if base not in ("A", "B") or name in VARIANT_ENVIRONMENT or "-" not in name:
        raise ValueError(f"a variant's name is A-… or B-… and new: {name}")
    environment, flags = {}, []
    for setting in settings:
        if setting.startswith("-"):
            flags.append(setting)
        elif setting.startswith("!"):
            environment[setting[1:]] = None
        elif "=" in setting:
            key, value = setting.split("=", 1)
            environment[key] = value
        else:
            raise ValueError(f"{name}: {setting} is neither KEY=VALUE, !KEY nor a JVM flag")
    (A_VARIANTS if base == "A" else B_VARIANTS)[name] = environment
    VARIANT_ENVIRONMENT[name] = environment
    VARIANT_FLAGS[name] = flags


class Service:
    """One configuration of the service: A (no agent, no log shipping), B (agent, Collector, Loki) or one of
    their variants. `java` replaces the Dockerfile's JVM (start-up on another Java); `jvm_flags` are added after
    it (an AOT cache)."""

    def __init__(self, config, root, command, compose_env, database_url, api_key, logs, java=None,
                 jvm_flags=()):
        self.config = config
        self.root = root
        self.port = system.free_port()
        self.admin_port = system.free_port()
        env = base_environment()
        with_agent = config not in A_VARIANTS
        for key, value in compose_env.items():
            if with_agent or not TELEMETRY_VARIABLES.match(key):
                env[key] = value
        env.update({
            "DATABASE_URL": database_url,
            "DATABASE_USER": "bank",
            "DATABASE_PASSWORD": "bank",
            "PORT": str(self.port),
            "ADMIN_PORT": str(self.admin_port),
            "BANK_BOOTSTRAP_API_KEY": api_key,
            # The benchmark saturates the service with one client: the per-client rate limit must not be what it
            # measures, neither its refusals nor, with the shared store, every request queueing on that client's
            # bucket row. A-shared-limit measures the shared store.
            "API_RATE_LIMIT_PER_SECOND": "1000000",
            "API_RATE_LIMIT_BURST": "1000000",
            "API_RATE_LIMIT_STORE": "memory",
        })
        for key, value in VARIANT_ENVIRONMENT.get(config, {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        if not with_agent:
            command = [arg for arg in command if not arg.startswith(AGENT_FLAGS)]
        # Listen on loopback only, as compose publishes on 127.0.0.1; config.yml listens everywhere, as a
        # container must.
        java, rest = java or command[0], command[1:]
        # A variant's flags go after the Dockerfile's, just before -jar: of a flag given twice the JVM keeps the
        # last, so a variant's -Xmx128m must follow the image's -Xmx256m to take effect.
        main = rest.index("-jar") if "-jar" in rest else len(rest)
        rest = rest[:main] + list(VARIANT_FLAGS.get(config, ())) + rest[main:]
        self.command = [java, *jvm_flags, "-Ddw.server.applicationConnectors[0].bindHost=127.0.0.1",
                        "-Ddw.server.adminConnectors[0].bindHost=127.0.0.1"] + rest
        self.env = env
        self.logs = logs
        self.process = None
        self.gc_log = None

    def start(self, label):
        gc_log = os.path.join(self.logs, f"gc-{self.config}-{label}.log")
        self.gc_log = gclog.GcLog(gc_log)
        command = [self.command[0], gclog.FLAG.format(path=gc_log)] + self.command[1:]
        self.process = Process(f"service {self.config}", command, self.env,
                               os.path.join(self.logs, f"service-{self.config}-{label}.log"), self.root)
        return self.process.await_http_ok(f"http://127.0.0.1:{self.admin_port}/healthcheck", 300)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.process.pid

    def stop(self, timeout=30):
        if self.process:
            self.process.stop(timeout)
            self.process = None


class Telemetry:
    """B's backends: the Collector built by tools/build-otelcol.sh with otel-collector.yaml, and one sink that
    stands in for Loki and Tempo."""

    def __init__(self, root, collector_binary, logs):
        self.root = root
        self.binary = collector_binary
        self.logs = logs
        self.ports = {name: system.free_port() for name in
                      ("grpc", "http", "exporter", "telemetry", "health", "sink", "no-postgres-exporter")}
        self.collector = None
        self.sink = None

    def start(self):
        self.sink = Process("sink", [sys.executable, os.path.join(os.path.dirname(__file__), "sink.py"),
                                     str(self.ports["sink"])], base_environment(),
                            os.path.join(self.logs, "sink.log"), self.root)
        self.sink.await_http_ok(f"http://127.0.0.1:{self.ports['sink']}/stats", 30)
        env = base_environment()
        env.update({
            "OTLP_GRPC_ENDPOINT": f"127.0.0.1:{self.ports['grpc']}",
            "OTLP_HTTP_ENDPOINT": f"127.0.0.1:{self.ports['http']}",
            "PROMETHEUS_EXPORTER_ENDPOINT": f"127.0.0.1:{self.ports['exporter']}",
            "HEALTH_CHECK_ENDPOINT": f"127.0.0.1:{self.ports['health']}",
            "COLLECTOR_TELEMETRY_HOST": "127.0.0.1",
            "COLLECTOR_TELEMETRY_PORT": str(self.ports["telemetry"]),
            "TEMPO_OTLP_HTTP_ENDPOINT": f"http://127.0.0.1:{self.ports['sink']}",
            # No postgres_exporter: its queries would land in the statement counts. The Collector's scrape of
            # it fails once every 10 s, which costs next to nothing.
            "POSTGRES_EXPORTER_TARGET": f"127.0.0.1:{self.ports['no-postgres-exporter']}",
        })
        self.collector = Process("collector", [self.binary, "--config", os.path.join(self.root, "otel-collector.yaml")],
                                 env, os.path.join(self.logs, "collector.log"), self.root)
        self.collector.await_http_ok(f"http://127.0.0.1:{self.ports['health']}/", 120)

    def addresses(self):
        """Compose addresses (host:port) and the local ones that replace them."""
        return {
            "otel-collector:4318": f"127.0.0.1:{self.ports['http']}",
            "otel-collector:4317": f"127.0.0.1:{self.ports['grpc']}",
            "loki:3100": f"127.0.0.1:{self.ports['sink']}",
        }

    def snapshot(self):
        """CPU of the Collector and the sink, spans through the Collector, and what reached the sink."""
        spans = {}
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.ports['telemetry']}/metrics", timeout=5) as r:
                for line in r.read().decode().splitlines():
                    for name in ("otelcol_receiver_accepted_spans_total", "otelcol_exporter_sent_spans_total",
                                 "otelcol_exporter_send_failed_spans_total",
                                 "otelcol_receiver_accepted_metric_points_total"):
                        if line.startswith(name + "{") or line.startswith(name + " "):
                            spans[name] = spans.get(name, 0) + float(line.rsplit(" ", 1)[1])
        except OSError:
            pass
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ports['sink']}/stats", timeout=5) as r:
            sink = json.loads(r.read())
        return {
            "cpu_seconds": system.cpu_seconds(self.collector.pid) + system.cpu_seconds(self.sink.pid),
            "counters": spans,
            "sink": sink,
        }

    @staticmethod
    def delta(before, after):
        counters = {k: after["counters"].get(k, 0) - before["counters"].get(k, 0) for k in after["counters"]}
        sink = {}
        for path, values in after["sink"].items():
            old = before["sink"].get(path, {"requests": 0, "bytes": 0})
            sink[path] = {k: values[k] - old[k] for k in values}
        return {"cpu_seconds": after["cpu_seconds"] - before["cpu_seconds"], "counters": counters, "sink": sink}

    def stop(self):
        for process in (self.collector, self.sink):
            if process:
                process.stop()


def localise(environment, addresses):
    """Replaces compose host names with local addresses; fails on any compose address left over."""
    result = {}
    for key, value in environment.items():
        for compose_address, local in addresses.items():
            value = value.replace("//" + compose_address, "//" + local)
        result[key] = value
    for key, value in result.items():
        match = re.search(r"://([^/:]+)", value)
        if match and match.group(1) not in ("127.0.0.1", "localhost") and key != "DATABASE_URL":
            raise RuntimeError(f"{key}={value} (docker-compose.yml) names a host the benchmark does not run")
    return result
