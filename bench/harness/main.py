"""bench/run: measures the service without the agent (A), with full telemetry (B) and the database ceiling (C),
and writes BENCHMARKS.md. See bench/README.md for the method and CONTRIBUTING.md for the options."""

import argparse
import datetime
import json
import os
import statistics
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile

from . import gclog, load, report, stack, system
from .load import Data
from .postgres import Postgres, bindir

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# A-shared-limit: A with the rate limit every instance shares in PostgreSQL, where the others keep it in memory.
SPLIT = [c for c in stack.B_VARIANTS if c != "B"] + ["A-shared-limit"]
CONFIGS = ["A", "B", "C"] + SPLIT
# Measured unless --configs says otherwise: A-shared-limit was measured once (BENCHMARKS.md, Log), and each service
# more costs the run minutes of JVM warm-up.
DEFAULT_CONFIGS = [c for c in CONFIGS if c != "A-shared-limit"]
SERVICES = list(stack.A_VARIANTS) + list(stack.B_VARIANTS)
# Fixed costs the plan counts: one service start (to healthy, and stopped again), seeding the growth database.
START_SECONDS = 15
GROWTH_SEED_SECONDS = 120
BUILD_SECONDS = 120


def cache_config(config):
    """The configuration whose AOT cache a service starts with. A variant with JVM flags records its own: the JVM
    refuses a cache recorded under other flags (compact object headers, say) and would run without one."""
    return config if stack.VARIANT_FLAGS.get(config) else config.split("-", 1)[0]


# Start-up phase: (label, Java major or None for the Dockerfile's, configuration, with the AOT cache).
STARTUP_VARIANTS = [
    ("Java 17", "17", "A", False), ("Java 17", "17", "B", False),
    ("Java 25", None, "A", False), ("Java 25", None, "B", False),
    ("Java 25, AOT cache", None, "A", True), ("Java 25, AOT cache", None, "B", True),
]
SMALL = Data(accounts=10_000, active=1_000, active_lines=60, lines=100_000)
GROWTH = Data(accounts=1_000_000, active=1_000, active_lines=60, lines=10_000_000)
GROWTH_SCENARIOS = ["get-account", "history"]
# A fresh JVM's warm-up under mixed load may take this many times a measurement's share of the spare time: it is
# where the JIT does its work, about two minutes of it per JVM here, while a measurement on a warm JVM is flat
# within its first windows.
JVM_WARMUP_WEIGHT = 40
# One connection leaves a core to the JIT compilers. Under saturating load they got 13–22 % of the CPU, and a fresh
# JVM took over two minutes of GETs at 16 connections to reach a steady state (656 → 2,961 req/s), the C2 queue
# draining only at the end.
JVM_WARMUP_CONNECTIONS = 1
# Warm: the JIT compiler threads (C1, C2; their digits removed) use at most this share of the service's CPU.
JIT_SETTLED = 0.10
COMPILER_THREADS = re.compile(r"^C CompilerThre")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    p.add_argument("--quick", action="store_true",
                   help="smoke run: one round, 16 connections, short warm-up and windows (a few minutes)")
    p.add_argument("--scenarios", default=",".join(load.SCENARIO_NAMES),
                   help="comma-separated, from: " + ", ".join(load.SCENARIO_NAMES) + " (default: all)")
    p.add_argument("--configs", default=",".join(DEFAULT_CONFIGS),
                   help="comma-separated, from " + ", ".join(CONFIGS) + " (default: all but A-shared-limit)")
    p.add_argument("--variant", action="append", default=[], metavar="'NAME: SETTING …'",
                   help="one more configuration, measured beside B's variants: NAME is B-… (with the agent) or A-… "
                        "(without), each SETTING is KEY=VALUE (a variable on top of that configuration's "
                        "environment), !KEY (a variable removed) or a JVM flag (-XX:…); may be repeated")
    p.add_argument("--split-rounds", type=int, default=1,
                   help="rounds that also measure B's variants (" + ", ".join(SPLIT) + "), at the first connection "
                        "count only (default 1)")
    p.add_argument("--ceiling-rounds", type=int, default=1,
                   help="rounds of the main phase that also measure C, the pgbench ceiling, which needs no JIT and "
                        "varies little between rounds (default 1)")
    p.add_argument("--rounds", type=int, help="rounds of A, B, C (default 3; --quick 1)")
    p.add_argument("--duration", type=int, help="seconds of each measured window (default 10; --quick 5)")
    p.add_argument("--connections", help="comma-separated connection counts (default 16,64; --quick 16)")
    p.add_argument("--warmup-window", type=int, help="seconds of each warm-up window (default 5; --quick 3)")
    p.add_argument("--steady-windows", type=int, default=2,
                   help="measure once this many consecutive warm-up windows are flat (default 2: 10 s)")
    p.add_argument("--warmup-tolerance", type=float, default=0.05,
                   help="flat: the windows' req/s within this fraction of their median (default 0.05)")
    p.add_argument("--warmup-cap", type=int,
                   help="most seconds of warm-up per measurement (default 120; --quick 15); lowered further "
                        "when the budget needs it")
    p.add_argument("--jvm-warmup-cap", type=int,
                   help="most seconds of mixed load that warm up each service after it starts, before its first "
                        "measurement (default 180; --quick 30); lowered further when the budget needs it")
    p.add_argument("--budget-minutes", type=float,
                   help="the whole run's time: warm-up caps shrink so that it ends within it (default 58; "
                        "--quick 20)")
    p.add_argument("--startup", dest="startup", action="store_true", default=True,
                   help="measure start-up on Java 17, Java 25 and Java 25 with an AOT cache, each with and without "
                        "the agent, once per round (default)")
    p.add_argument("--no-startup", dest="startup", action="store_false", help="leave the start-up phase out")
    p.add_argument("--no-aot-cache", dest="aot_cache", action="store_false", default=True,
                   help="start the measured services without the AOT cache that the image's entrypoint records "
                        "and uses (service/docker-entrypoint.sh); by default they start with it, as the image does")
    p.add_argument("--growth", action="store_true",
                   help="also run GET and history on 1,000,000 accounts and 10,000,000 ledger lines")
    p.add_argument("--growth-rounds", type=int, default=1, help="rounds of the growth phase (default 1)")
    p.add_argument("--no-build", dest="build", action="store_false",
                   help="use the jar in service/target as it is instead of building it first")
    p.add_argument("--report-from", metavar="RESULTS_DIR",
                   help="only rewrite BENCHMARKS.md from the run.json of an earlier run")
    args = p.parse_args(argv)
    for variant in args.variant:
        name, _, settings = variant.partition(":")
        try:
            stack.add_variant(name.strip(), settings.split())
        except ValueError as e:
            p.error(str(e))
        for names in (SPLIT, CONFIGS, SERVICES):
            names.append(name.strip())
    quick = args.quick
    args.rounds = args.rounds or (1 if quick else 3)
    args.duration = args.duration or (5 if quick else 10)
    args.warmup_window = args.warmup_window or (3 if quick else 5)
    args.warmup_cap = args.warmup_cap or (15 if quick else 120)
    args.jvm_warmup_cap = args.jvm_warmup_cap or (30 if quick else 180)
    args.budget_minutes = args.budget_minutes or (20 if quick else 58)
    args.connections = [int(c) for c in (args.connections or ("16" if quick else "16,64")).split(",")]
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    by_name = {c.upper(): c for c in CONFIGS}
    configs = [c.strip().upper() for c in args.configs.split(",") if c.strip()]
    configs += [v.partition(":")[0].strip().upper() for v in args.variant]
    for s in args.scenarios:
        if s not in load.SCENARIO_NAMES:
            p.error(f"unknown scenario {s}; choose from {', '.join(load.SCENARIO_NAMES)}")
    for c in configs:
        if c not in by_name:
            p.error(f"unknown configuration {c}; choose from {', '.join(CONFIGS)}")
    args.configs = [c for c in CONFIGS if c.upper() in configs]
    if args.rounds < 1 or args.duration < 1 or min(args.connections) < 1 or args.steady_windows < 2:
        p.error("rounds, duration and connections must be positive, and --steady-windows at least 2")
    return args


class Run:
    def __init__(self, args, argv):
        self.args = args
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
        self.results = os.path.join(ROOT, "bench", "results", stamp)
        os.makedirs(os.path.join(self.results, "raw"))
        self.workdir = tempfile.mkdtemp(prefix="observable-bank-bench-")
        self.logs = os.path.join(self.workdir, "logs")
        os.makedirs(self.logs)
        self.log_file = open(os.path.join(self.results, "harness.log"), "a")
        self.api_key = secrets.token_hex(24)
        self.postgres = None
        self.telemetry = None
        self.services = {}
        self.record = {
            "command": "bench/run" + "".join(" " + shlex.quote(a) for a in argv),
            "results_dir": os.path.relpath(self.results, ROOT),
            "started_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "settings": {k: getattr(args, k) for k in ("rounds", "duration", "connections", "scenarios", "configs",
                                                       "warmup_window", "warmup_cap", "warmup_tolerance",
                                                       "jvm_warmup_cap",
                                                       "variant",
                                                       "steady_windows", "split_rounds", "ceiling_rounds",
                                                       "budget_minutes",
                                                       "startup", "aot_cache", "growth", "growth_rounds",
                                                       "quick")},
            "machine": system.machine(),
            "git": _git_revision(),
            "measurements": [],
            "rounds": [],
            "seeding": {},
            "plans": {},
            "startup": [],
        }
        self.deadline = None
        self.left = {"measurements": 0, "starts": 0, "jvm_warmups": 0}

    def say(self, message):
        line = f"{datetime.datetime.now().strftime('%H:%M:%S')} {message}"
        print(line, file=sys.stderr, flush=True)
        self.log_file.write(line + "\n")
        self.log_file.flush()

    # --- set-up ----------------------------------------------------------------------------------------------

    def prepare(self):
        a = self.args
        if any(c in SERVICES for c in a.configs):
            _ensure_wrk(self)
        # Always the jar of the checkout as it is: a stale jar would measure other code. (C needs it too, for
        # the migrations.)
        if a.build:
            # clean: on top of an earlier build the shade plugin re-shades the previous jar, whose classes win over
            # those of a dependency that changed since.
            self.say("building the service: ./mvnw -B -q -DskipTests clean package")
            subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "-DskipTests", "clean", "package"], cwd=ROOT,
                           check=True)
        elif not os.path.exists(os.path.join(ROOT, "service/target/bank-service.jar")):
            raise SystemExit("bench: service/target/bank-service.jar is missing; run without --no-build")
        collector = None
        with_agent = any(c.startswith("B") for c in a.configs)
        if with_agent:
            self.say("Collector: tools/build-otelcol.sh (cached after the first build)")
            collector = subprocess.run([os.path.join(ROOT, "tools/build-otelcol.sh")], cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout.strip()
        self.record["versions"] = _versions(collector)

        self.postgres = Postgres(self.workdir, open(os.path.join(self.logs, "postgres-setup.log"), "a"))
        self.postgres.start()
        self.say(f"PostgreSQL on 127.0.0.1:{self.postgres.port}, data in {self.postgres.data}")
        self.seed("bank", SMALL)
        if a.growth:
            self.seed("bank_growth", GROWTH)

        if with_agent:
            self.telemetry = stack.Telemetry(ROOT, collector, self.logs)
            self.telemetry.start()
            self.say("Collector and Loki/Tempo sink started")
        self.command = stack.dockerfile_command(ROOT)
        self.jcmd = os.path.join(os.path.dirname(self.command[0]), "jcmd")
        compose = stack.compose_environment(ROOT, "api")
        self.record["service"] = {
            "command": " ".join(c.replace(ROOT + "/", "") for c in self.command),
            "environment": {k: v for k, v in sorted(compose.items()) if not k.startswith("DATABASE")},
        }
        if not self.telemetry:
            compose = {k: v for k, v in compose.items() if not stack.TELEMETRY_VARIABLES.match(k)}
        self.compose_env = stack.localise(compose, self.telemetry.addresses() if self.telemetry else {})

    def seed(self, database, data):
        watch = system.Stopwatch()
        self.postgres.create_database(database)
        env = dict(stack.base_environment(), DATABASE_URL=self.postgres.jdbc_url(database), DATABASE_USER="bank",
                   DATABASE_PASSWORD="bank")
        with open(os.path.join(self.logs, f"migrate-{database}.log"), "w") as out:
            subprocess.run(["java", "-jar", os.path.join(ROOT, "service/target/bank-service.jar"), "migrate",
                            os.path.join(ROOT, "service/config.yml")], env=env, cwd=ROOT, stdout=out,
                           stderr=subprocess.STDOUT, check=True, timeout=600)
        migrated = watch.seconds()
        self.say(f"{database}: migrated in {migrated:.1f}s; seeding {data.accounts:,} accounts, "
                 f"{data.lines:,} ledger lines")
        self.postgres.run_file(database, os.path.join(ROOT, "bench/seed.sql"),
                               {"accounts": data.accounts, "active": data.active, "active_lines": data.active_lines,
                                "lines": data.lines})
        counts = self.postgres.psql(database, "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM "
                                              "transactions), pg_size_pretty(pg_database_size(current_database()))")[0]
        if int(counts[0]) != data.accounts or int(counts[1]) != data.lines:
            raise RuntimeError(f"{database} was seeded with {counts[0]} accounts and {counts[1]} lines")
        seconds = watch.seconds()
        self.record["seeding"][database] = {"accounts": data.accounts, "lines": data.lines, "active": data.active,
                                            "active_lines": data.active_lines, "migrate_seconds": round(migrated, 1),
                                            "seconds": round(seconds, 1), "size": counts[2]}
        self.say(f"{database}: seeded in {seconds:.1f}s ({counts[2]})")

    # --- services --------------------------------------------------------------------------------------------

    def configs(self, phase, round_no, connections=None):
        """The configurations measured in this round (at this connection count): B's variants only in the first
        --split-rounds rounds of the main phase, at its first connection count."""
        a = self.args
        split = phase == "main" and round_no <= a.split_rounds and connections in (None, a.connections[0])
        # The growth phase compares the service's p99 on both databases; the ceiling does not take part.
        ceiling = phase == "main" and round_no <= a.ceiling_rounds
        return [c for c in a.configs if (c not in SPLIT or split) and (c != "C" or ceiling)]

    def phase_services(self, phase, rounds):
        """The services a phase starts once, warms up, and measures in every round that names them."""
        return [c for c in self.args.configs
                if c in SERVICES and any(c in self.configs(phase, r) for r in range(1, rounds + 1))]

    def plan(self):
        """Every measurement and service start the run will make, and the least time they take: each warm-up
        flat at once (--steady-windows windows). The budget's deadline lowers the warm-up caps when needed."""
        a = self.args
        phases = [("main", a.rounds, a.scenarios)]
        if a.growth:
            phases.append(("growth", a.growth_rounds, GROWTH_SCENARIOS))
        measurements = starts = jvm_warmups = 0
        # The start-up phase starts B only when the run has the Collector, for some configuration with the agent.
        startup = {config for _, _, config, _ in STARTUP_VARIANTS
                   if a.startup and (config == "A" or any(c.startswith("B") for c in a.configs))}
        caches = set(startup)
        for phase, rounds, scenarios in phases:
            services = self.phase_services(phase, rounds)
            starts += len(services)
            jvm_warmups += len(services)
            if a.aot_cache:
                caches |= {cache_config(c) for c in services}
            for round_no in range(1, rounds + 1):
                if phase == "main":
                    starts += len([v for v in STARTUP_VARIANTS if v[2] in startup])
                for _ in scenarios:
                    for connections in a.connections:
                        measurements += len(self.configs(phase, round_no, connections))
        # The AOT training runs, one per cache.
        starts += len(caches)
        floor = a.steady_windows * a.warmup_window
        each = floor + a.duration
        fixed = starts * START_SECONDS + (GROWTH_SEED_SECONDS if a.growth else 0) + (BUILD_SECONDS if a.build else 0)
        least = measurements * each + jvm_warmups * floor + fixed
        most = measurements * (a.warmup_cap + a.duration) + jvm_warmups * a.jvm_warmup_cap + fixed
        self.left = {"measurements": measurements, "starts": starts, "jvm_warmups": jvm_warmups}
        self.deadline = time.monotonic() + a.budget_minutes * 60
        self.record["plan"] = {"measurements": measurements, "service_starts": starts, "jvm_warmups": jvm_warmups,
                               "least_minutes": round(
            least / 60, 1), "uncapped_minutes": round(most / 60, 1), "budget_minutes": a.budget_minutes}
        self.say(f"plan: {measurements} measurements of {each} s or more ({a.steady_windows} flat windows of "
                 f"{a.warmup_window} s, then {a.duration} s measured), {starts} service starts, {jvm_warmups} JVM "
                 f"warm-ups of {floor} s or more"
                 + (", seeding the growth database" if a.growth else "")
                 + f": at least {least / 60:.0f} min, at most {min(most, a.budget_minutes * 60) / 60:.0f} min "
                 f"(with every warm-up at its cap of {a.warmup_cap} s, {most / 60:.0f} min; the budget of "
                 f"{a.budget_minutes:g} min lowers the caps when needed)")
        if least > a.budget_minutes * 60:
            raise SystemExit(f"bench: the plan needs at least {least / 60:.0f} min, more than --budget-minutes "
                             f"{a.budget_minutes:g}; measure fewer rounds, scenarios or configurations, or shorter "
                             f"windows")

    def warmup_cap(self, weight=1, most=None):
        """--warmup-cap (`most`), or less: this warm-up's share of the time left once the least every remaining
        measurement, JVM warm-up and start needs is set aside, so that the run ends by its deadline. A JVM
        warm-up's share is JVM_WARMUP_WEIGHT measurements' (`weight`)."""
        a = self.args
        floor = a.steady_windows * a.warmup_window
        left = self.left
        spare = (self.deadline - time.monotonic() - left["starts"] * START_SECONDS
                 - left["measurements"] * (floor + a.duration) - left["jvm_warmups"] * floor)
        shares = max(left["measurements"] + JVM_WARMUP_WEIGHT * left["jvm_warmups"], 1)
        return max(floor, min(most or a.warmup_cap, floor + weight * spare / shares))

    def start_services(self, phase, configs, database):
        """Starts each service of the phase with an AOT cache unless --no-aot-cache, as the image's entrypoint starts
        the service with one (recorded from the small database): that of its base configuration (A or B), or its
        own for a variant with JVM flags."""
        record = {"startup_seconds": {}, "jvm_warmup": {}}
        for config in configs:
            flags = [f"-XX:AOTCache={self.cache(cache_config(config), 'bank')}"] if self.args.aot_cache else []
            service = stack.Service(config, ROOT, self.command, self.compose_env, self.postgres.jdbc_url(database),
                                    self.api_key, self.logs, jvm_flags=flags)
            seconds = service.start(phase)
            self.left["starts"] -= 1
            self.services[config] = service
            record["startup_seconds"][config] = round(seconds, 2)
            self.say(f"service {config} healthy {seconds:.2f}s after start (pid {service.pid})")
        return record

    def startup_round(self, round_no, database):
        """Start to healthy, CPU seconds to healthy and resident memory when healthy, one fresh JVM at a time,
        for each of STARTUP_VARIANTS. The AOT caches are recorded in round 1, as docker-entrypoint.sh records one:
        the command line less -javaagent with -XX:AOTCacheOutput, some real requests, then a stop, which writes it."""
        for label, major, config, aot in STARTUP_VARIANTS:
            if config == "B" and not self.telemetry:
                continue  # B needs its Collector: only when some configuration with the agent is measured
            java = stack.runtime_java(ROOT, major, "BENCH_JAVA17_HOME") if major else None
            flags = [f"-XX:AOTCache={self.cache(config, database)}"] if aot else []
            service = stack.Service(config, ROOT, self.command, self.compose_env, self.postgres.jdbc_url(database),
                                    self.api_key, self.logs, java=java, jvm_flags=flags)
            seconds = service.start(f"startup-r{round_no}-{label.replace(' ', '').replace(',', '-')}")
            self.left["starts"] -= 1
            entry = {"round": round_no, "java": label, "config": config, "seconds": round(seconds, 2),
                     "cpu_seconds": round(system.cpu_seconds(service.pid), 2),
                     "rss_mib": round(system.memory_kib(service.pid)["VmRSS"] / 1024)}
            service.stop()
            self.record["startup"].append(entry)
            self.say(f"start-up r{round_no} {label} {config}: healthy in {entry['seconds']:.2f} s, "
                     f"{entry['cpu_seconds']:.1f} CPU s, RSS {entry['rss_mib']} MiB")

    def cache(self, config, database):
        """The AOT cache of A or B, recorded by a training run the first time it is asked for."""
        cache = os.path.join(self.workdir, f"{config}.aot")
        if not os.path.exists(cache):
            self.train_cache(config, cache, database)
        return cache

    def train_cache(self, config, cache, database):
        # As docker-entrypoint.sh trains: without -javaagent (the agent's jar stays on the boot class path), since
        # Java 25.0.3 crashes assembling a cache from a run with the agent active.
        command = [arg for arg in self.command if not arg.startswith("-javaagent:")]
        service = stack.Service(config, ROOT, command, self.compose_env, self.postgres.jdbc_url(database),
                                self.api_key, self.logs, jvm_flags=[f"-XX:AOTCacheOutput={cache}"])
        service.start(f"aot-training-{config}")
        self.left["starts"] -= 1
        for scenario in self.scenarios(load.SCENARIO_NAMES):
            load.wrk(service.url, scenario, 4, 3, SMALL, self.api_key)
        watch = system.Stopwatch()
        service.stop(timeout=600)
        if not os.path.exists(cache):
            raise RuntimeError(f"the AOT training run of {config} wrote no cache; see its log in {self.logs}")
        self.say(f"AOT cache for {config} recorded ({os.path.getsize(cache) / 2**20:.0f} MiB, written in "
                 f"{watch.seconds():.0f} s after the stop)")

    def read_memory(self, record, configs):
        """Resident memory, then the heap after a full GC and native memory by category, of each service."""
        for config in configs:
            service = self.services[config]
            memory = system.memory_kib(service.pid)
            native = system.native_memory_kib(service.pid, self.jcmd)
            if native:
                memory["native_kib"] = native
            memory.update(system.heap_after_gc_kib(service.pid, self.jcmd))
            record["memory"][config] = memory
            self.say(f"service {config}: peak RSS {memory['VmHWM'] / 1024:.0f} MiB, RSS {memory['VmRSS'] / 1024:.0f}"
                     f" MiB, heap after GC {memory['heap_used_kib'] / 1024:.0f} MiB")

    def stop_services(self, configs):
        for config in configs:
            self.services.pop(config).stop()

    # --- measuring -------------------------------------------------------------------------------------------

    def runner(self, config, scenario, connections, data, database):
        if config == "C":
            return lambda seconds: load.pgbench(self.postgres.bin, self.postgres.port, database, scenario,
                                                connections, seconds, data)
        url = self.services[config].url
        return lambda seconds: load.wrk(url, scenario, connections, seconds, data, self.api_key)

    def preflight(self, data, database):
        """A few seconds of every scenario on one connection: every answer must be a 2xx. (A cold service's
        first requests can take seconds on a loaded machine, hence the retries.)"""
        for scenario in self.scenarios(self.args.scenarios):
            for config in [c for c in self.args.configs if c == "C" or c in self.services]:
                run = self.runner(config, scenario, 1, data, database)
                for _ in range(5):
                    result = run(2)
                    if result.requests:
                        break
                if result.errors or result.requests == 0:
                    raise RuntimeError(f"preflight: {scenario.name} on {config} had {result.errors} errors in "
                                       f"{result.requests} requests (statuses {result.statuses}, socket errors "
                                       f"{result.socket_errors}):\n{result.raw}")
        self.say("preflight: every scenario answers 2xx on every configuration")

    def warm_jvms(self, data, record):
        """Mixed load (every scenario at random, on JVM_WARMUP_CONNECTIONS) on each service just started, one at a
        time, until its throughput is flat and its JIT idle: the JIT then has the profile of real traffic, and no
        scenario is measured on a half-warm JVM because it happens to come first."""
        for config, service in self.services.items():
            url = service.url
            warm = self.warm_up(lambda seconds: load.wrk(url, load.MIXED, JVM_WARMUP_CONNECTIONS, seconds, data,
                                                         self.api_key),
                                weight=JVM_WARMUP_WEIGHT, most=self.args.jvm_warmup_cap, pid=service.pid)
            self.left["jvm_warmups"] -= 1
            record["jvm_warmup"][config] = warm
            self.say(f"service {config} warmed up with mixed load in {warm['seconds']:.0f} s "
                     f"({'flat' if warm['converged'] else 'stopped at the cap of ' + str(warm['cap']) + ' s'}): "
                     f"windows {', '.join(f'{r:.0f}' for r in warm['windows_rps'])} req/s, JIT share "
                     f"{', '.join(f'{x:.0%}' for x in warm['windows_jit_share'])}")

    def warm_up(self, run, weight=1, most=None, pid=None):
        """Load in windows until the last --steady-windows of them are flat: every one's req/s within
        --warmup-tolerance of their median, and, for a service (`pid`), its JIT compiler threads used at most
        JIT_SETTLED of its CPU in each of them. A JVM whose compilers are starved of CPU runs flat but
        interpreted, so flat throughput alone is not a warm JVM. A fresh JVM takes a minute or more; a warm one,
        the least."""
        a = self.args
        cap = self.warmup_cap(weight, most)
        watch = system.Stopwatch()
        rates, jit = [], []
        while True:
            before = system.thread_cpu_seconds(pid) if pid else {}
            rates.append(run(a.warmup_window).rps)
            if pid:
                jit.append(_jit_share(before, system.thread_cpu_seconds(pid)))
            last = rates[-a.steady_windows:]
            middle = statistics.median(last)
            if len(last) == a.steady_windows and middle > 0 and all(
                    abs(r - middle) <= a.warmup_tolerance * middle for r in last) and all(
                    share <= JIT_SETTLED for share in jit[-a.steady_windows:]):
                converged = True
                break
            if watch.seconds() + a.warmup_window > cap:
                converged = False
                break
        return {"seconds": round(watch.seconds(), 1), "windows_rps": [round(r, 1) for r in rates],
                "windows_jit_share": [round(x, 3) for x in jit], "converged": converged, "cap": round(cap)}

    def snapshot(self, database, config=None):
        children, own = system.own_children_cpu_seconds()
        return {
            "threads": system.thread_cpu_seconds(self.services[config].pid) if config in self.services else {},
            "time": time.monotonic(),
            "load": system.loadavg(),
            "busy": system.machine_busy_seconds(),
            "loadgen": children,
            "harness": own,
            "services": {c: system.cpu_seconds(s.pid) for c, s in self.services.items()},
            "postgres": self.postgres.snapshot(database),
            "telemetry": self.telemetry.snapshot() if self.telemetry else None,
        }

    def measure(self, phase, round_no, scenario, connections, config, data, database):
        run = self.runner(config, scenario, connections, data, database)
        warm = self.warm_up(run, pid=self.services[config].pid if config in self.services else None)
        self.left["measurements"] -= 1
        service = self.services.get(config)
        if service:
            service.gc_log.read()  # the warm-up's pauses, left out
        before = self.snapshot(database, config)
        started = time.time()
        result = run(self.args.duration)
        ended = time.time()
        after = self.snapshot(database, config)

        elapsed = after["time"] - before["time"]
        n = max(result.requests, 1)
        services = {c: after["services"][c] - before["services"].get(c, 0.0) for c in after["services"]}
        db = Postgres.delta(before["postgres"], after["postgres"])
        telemetry = (stack.Telemetry.delta(before["telemetry"], after["telemetry"])
                     if before["telemetry"] else None)
        loadgen = after["loadgen"] - before["loadgen"]
        ours = (sum(services.values()) + db["cpu_seconds"] + (telemetry["cpu_seconds"] if telemetry else 0)
                + loadgen + after["harness"] - before["harness"])
        busy = after["busy"] - before["busy"]
        cores = os.cpu_count()
        m = {
            "phase": phase, "round": round_no, "scenario": scenario.name, "connections": connections,
            "config": config, "warmup": warm,
            "seconds": round(result.seconds, 2), "requests": result.requests, "rps": round(result.rps, 1),
            "p50_ms": round(result.p50_ms, 2), "p99_ms": round(result.p99_ms, 2),
            "errors": result.errors, "statuses": result.statuses, "socket_errors": result.socket_errors,
            "service_cpu_ms": round(services[config] * 1000 / n, 4) if config in services else None,
            # Per thread name: threads that ended during the window are missing, those that started count whole.
            "service_threads_cpu_ms": {name: round((seconds - before["threads"].get(name, 0.0)) * 1000 / n, 4)
                                       for name, seconds in after["threads"].items()
                                       if seconds - before["threads"].get(name, 0.0) > 0},
            "postgres_cpu_ms": round(db["cpu_seconds"] * 1000 / n, 4),
            "pipeline_cpu_ms": (round(telemetry["cpu_seconds"] * 1000 / n, 4)
                                if telemetry and config.startswith("B") else None),
            "loadgen_cpu_ms": round(loadgen * 1000 / n, 4),
            "transactions": round(db["commits"] / n, 3),
            "rollbacks": round(db["rollbacks"] / n, 3),
            "statements": round(db["statement_calls"] / n, 3),
            "load_before": before["load"], "load_after": after["load"],
            "machine_busy": round(busy / (elapsed * cores), 3),
            "others_busy": round(max(0.0, busy - ours) / (elapsed * cores), 3),
            "command": result.command,
        }
        if service:
            m["gc"] = gclog.summary(service.gc_log.read(), started, ended)
        if telemetry and config.startswith("B"):
            c = telemetry["counters"]
            m["spans"] = round(c.get("otelcol_receiver_accepted_spans_total", 0) / n, 3)
            m["spans_failed"] = c.get("otelcol_exporter_send_failed_spans_total", 0)
            m["sink"] = telemetry["sink"]
        self.record["measurements"].append(m)
        self.write_raw(m, result, warm, db)
        self.say(f"{phase} r{round_no} {scenario.name} c{connections} {config}: {m['rps']:.0f} req/s, "
                 f"p99 {m['p99_ms']:.1f} ms, errors {m['errors']}, "
                 + (f"service {m['service_cpu_ms']:.3f} ms/req, " if m["service_cpu_ms"] is not None else "")
                 + f"pg {m['postgres_cpu_ms']:.3f} ms/req, {m['statements']:.1f} stmts/req; warm-up "
                 f"{warm['seconds']:.0f}s{'' if warm['converged'] else ' (cap, not converged)'}; "
                 + (_gc_text(m["gc"]) + "; " if m.get("gc") else "")
                 + f"others used {m['others_busy']:.0%} of the machine")

    def write_raw(self, m, result, warm, db):
        name = f"{m['phase']}-r{m['round']}-{m['scenario']}-c{m['connections']}-{m['config']}.txt"
        n = max(result.requests, 1)
        lines = [
            f"# {m['phase']} round {m['round']}: {m['scenario']}, {m['connections']} connections, "
            f"configuration {m['config']}",
            f"$ {result.command}",
            f"warm-up: {warm['seconds']}s, windows (req/s) {warm['windows_rps']}, "
            + (f"JIT compilers' share of the service's CPU {warm['windows_jit_share']}, "
               if warm.get("windows_jit_share") else "")
            + ("flat" if warm["converged"] else f"stopped at the cap of {warm['cap']} s"),
            f"load average before: {' '.join(map(str, m['load_before']))}; after: "
            f"{' '.join(map(str, m['load_after']))}",
            f"machine busy {m['machine_busy']:.0%}, of which other processes {m['others_busy']:.0%}",
        ]
        if m.get("gc"):
            lines.append(_gc_text(m["gc"]))
        lines += [
            "",
            result.raw.strip(),
            "",
            f"statements per request by pg_stat_statements ({db['commits'] / n:.3f} commits per request):",
        ]
        for calls, text in db["statements"]:
            lines.append(f"  {calls / n:7.3f}  {text}")
        with open(os.path.join(self.results, "raw", name), "w") as f:
            f.write("\n".join(lines) + "\n")

    @staticmethod
    def scenarios(names):
        return [s for s in load.SCENARIOS if s.name in names]

    # --- phases ----------------------------------------------------------------------------------------------

    def phase(self, phase, data, database, scenario_names, rounds):
        """Starts the phase's services once and warms each up, then measures them round after round: a JVM's
        warm-up takes minutes (JVM_WARMUP_CONNECTIONS), more than a fresh JVM per round leaves room for within
        the budget. Each round reads the memory of the services it measured; a service no later round measures
        is stopped."""
        a = self.args
        scenarios = self.scenarios(scenario_names)
        services = self.phase_services(phase, rounds)
        self.say(f"--- {phase}: {rounds} round(s) of {', '.join(services)}")
        started = self.start_services(phase, services, database)
        self.preflight(data, database)
        self.warm_jvms(data, started)
        for round_no in range(1, rounds + 1):
            self.say(f"--- {phase}: round {round_no} of {rounds}")
            record = {"phase": phase, "round": round_no, "memory": {}, **(started if round_no == 1 else {})}
            measured = [c for c in self.configs(phase, round_no) if c in self.services]
            for scenario in scenarios:
                for connections in a.connections:
                    for config in self.configs(phase, round_no, connections):
                        self.measure(phase, round_no, scenario, connections, config, data, database)
            self.read_memory(record, measured)
            self.stop_services([c for c in list(self.services)
                                if not any(c in self.configs(phase, r) for r in range(round_no + 1, rounds + 1))])
            self.record["rounds"].append(record)
            self.save()

    def plans(self):
        """EXPLAIN (ANALYZE, BUFFERS) of the GET and history statements on both databases, from the ceiling's
        scripts, for an active account."""
        for database in ("bank", "bank_growth"):
            for script in ("get-account.sql", "history.sql"):
                out = []
                for statement in _statements(os.path.join(load.PGBENCH_DIR, script), {"n": 1}):
                    rows = self.postgres.psql(database, "EXPLAIN (ANALYZE, BUFFERS) " + statement)
                    out.append(statement + "\n" + "\n".join(r[0] for r in rows))
                text = "\n\n".join(out)
                self.record["plans"][f"{database}/{script}"] = text
                os.makedirs(os.path.join(self.results, "plans"), exist_ok=True)
                with open(os.path.join(self.results, "plans", f"{database}-{script[:-4]}.txt"), "w") as f:
                    f.write(text + "\n")

    def drop_unfinished_round(self):
        """A round stopped halfway measured only some scenarios; medians over rounds must not mix it in. A round
        joins record["rounds"] when it finishes."""
        finished = {(x["phase"], x["round"]) for x in self.record["rounds"]}
        self.record["measurements"] = [m for m in self.record["measurements"]
                                       if (m["phase"], m["round"]) in finished]

    def save(self):
        with open(os.path.join(self.results, "run.json"), "w") as f:
            json.dump(self.record, f, indent=1)

    def execute(self):
        a = self.args
        self.say(f"results in {os.path.relpath(self.results, ROOT)}; scratch in {self.workdir}")
        self.plan()
        self.prepare()
        if a.startup:
            for round_no in range(1, a.rounds + 1):
                self.startup_round(round_no, "bank")
        self.phase("main", SMALL, "bank", a.scenarios, a.rounds)
        if a.growth:
            self.phase("growth", GROWTH, "bank_growth", GROWTH_SCENARIOS, a.growth_rounds)
            self.plans()
        self.record["finished_utc"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        self.save()

    def close(self, succeeded):
        for service in self.services.values():
            service.stop()
        if self.telemetry:
            self.telemetry.stop()
        if self.postgres:
            self.postgres.stop()
        if succeeded:
            shutil.rmtree(self.workdir, ignore_errors=True)
        else:
            shutil.rmtree(os.path.join(self.workdir, "pgdata"), ignore_errors=True)
            self.say(f"logs of the processes kept in {self.logs}")


def _gc_text(gc):
    if not gc["pauses"]:
        return "no GC pause"
    return (f"GC {gc['per_second']:.1f} pauses/s, {gc['paused_share']:.1%} of the time paused, "
            f"median {gc['median_ms']:.1f} ms, longest {gc['max_ms']:.1f} ms, {gc['full']} full"
            + (f", {gc['survivors_mib']:.1f} MiB surviving each" if gc["survivors_mib"] is not None else ""))


def _jit_share(before, after):
    """The JIT compiler threads' share of a JVM's CPU between two thread_cpu_seconds readings."""
    spent = {name: seconds - before.get(name, 0.0) for name, seconds in after.items()}
    total = sum(x for x in spent.values() if x > 0)
    return sum(x for name, x in spent.items() if COMPILER_THREADS.match(name) and x > 0) / total if total else 0.0


def _statements(path, variables):
    """The SQL statements of a pgbench script, with its variables replaced by values."""
    body = []
    for line in open(path):
        stripped = line.strip()
        if stripped.startswith("--") or stripped.startswith("\\") or not stripped:
            continue
        body.append(re.sub(r"\\g?set.*$", ";", stripped))
    statements = []
    for statement in " ".join(body).split(";"):
        statement = statement.strip()
        if statement and statement.upper() not in ("BEGIN", "COMMIT"):
            statements.append(re.sub(r"(?<!:):(\w+)", lambda m: str(variables[m.group(1)]), statement))
    return statements


def _git_revision():
    try:
        revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                  text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return revision + (" (with uncommitted changes)" if dirty else "")
    except FileNotFoundError:
        return "unknown"


def _versions(collector):
    agent = "not used"
    agent_jar = os.path.join(ROOT, "service/target/otel/opentelemetry-javaagent.jar")
    if os.path.exists(agent_jar):
        manifest = zipfile.ZipFile(agent_jar).read("META-INF/MANIFEST.MF").decode()
        agent = next((l.split(":", 1)[1].strip() for l in manifest.splitlines()
                      if l.startswith("Implementation-Version")), "unknown")
    return {
        "java": system.first_line([stack.runtime_java(ROOT), "-version"]),
        "agent": agent,
        "postgresql": system.first_line([os.path.join(bindir(), "postgres"), "--version"]),
        "wrk": system.first_line(["wrk", "-v"]),
        "collector": system.first_line([collector, "--version"]) if collector else "not used",
        "python": sys.version.split()[0],
    }


def _ensure_wrk(run):
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise SystemExit("bench: wrk is missing; install the Debian package wrk (apt-get install wrk)")
    run.say("installing wrk (Debian package)")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"], check=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def main(argv):
    args = parse_args(argv)
    if args.report_from:
        with open(os.path.join(args.report_from, "run.json")) as f:
            record = json.load(f)
        report.write(ROOT, record)
        print(os.path.join(ROOT, "BENCHMARKS.md"))
        return 0
    run = Run(args, argv)
    succeeded = False
    try:
        run.execute()
        succeeded = True
    except KeyboardInterrupt:
        run.say("interrupted")
        # The rounds that finished are kept: bench/run --report-from can still write BENCHMARKS.md from them.
        run.record["stopped_utc"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        run.drop_unfinished_round()
        run.save()
    except Exception:
        run.say("failed:\n" + traceback.format_exc())
    finally:
        run.close(succeeded)
    if not succeeded:
        return 1
    report.write(ROOT, run.record)
    run.say(f"wrote BENCHMARKS.md; raw output in {os.path.relpath(run.results, ROOT)}")
    return 0
