"""Writes BENCHMARKS.md from a run's record (run.json). Everything above the "## Log" heading is rewritten on
every run; the Log section, written by hand, is kept as it is."""

import os
import re
import statistics

LOG_HEADING = "## Log"
DEFAULT_LOG = f"""{LOG_HEADING}

Hand-written entries, newest first: a change, the command that measured it, and its effect. `bench/run` keeps this
section when it rewrites the file.
"""
SHARED_THRESHOLD = 0.10  # other processes' share of the machine above which a run counts as shared
SPLIT = ("B-sdk-off", "B-no-traces", "B-no-logs", "B-aot", "A-shared-limit")  # B-aot: runs before 2026-12-03
# The service's threads by what they do, from their names (Linux keeps 15 characters; bench/run removes digits).
THREAD_KINDS = [
    ("requests", r"^dw-( |$)"),
    ("JIT", r"^C CompilerThre"),
    ("GC and VM", r"^(VM Thread|GC Thread|VM Periodic Tas|Service Thread|Monitor Deflati)"),
    ("span export", r"^BatchSpanProces"),
    ("metric export", r"^PeriodicMetricR"),
    ("OTLP sender", r"(?i)^(okhttp|okio)"),  # the agent's exporters hand their requests to OkHttp's threads
    ("log shipping", r"(?i)loki"),
    ("console log", r"^AsyncAppender"),
]


def write(root, record):
    path = os.path.join(root, "BENCHMARKS.md")
    log = DEFAULT_LOG
    if os.path.exists(path):
        text = open(path).read()
        index = text.find("\n" + LOG_HEADING + "\n")
        if index >= 0:
            log = text[index + 1:]
    with open(path, "w") as f:
        f.write(render(record).rstrip() + "\n\n" + log.rstrip() + "\n")


# --- statistics ----------------------------------------------------------------------------------------------

def _select(record, phase, scenario=None, connections=None, config=None):
    return [m for m in record["measurements"]
            if m["phase"] == phase and (scenario is None or m["scenario"] == scenario)
            and (connections is None or m["connections"] == connections) and (config is None or m["config"] == config)]


def _values(measurements, key):
    return [m[key] for m in measurements if m.get(key) is not None]


def _paired(record, phase, scenario, connections, key, first, second, combine):
    """combine(first's value, second's value) per round, for the rounds that measured both."""
    values = []
    for r in sorted({m["round"] for m in _select(record, phase, scenario, connections)}):
        a = _select(record, phase, scenario, connections, first)
        b = _select(record, phase, scenario, connections, second)
        a = [m[key] for m in a if m["round"] == r and m.get(key) is not None]
        b = [m[key] for m in b if m["round"] == r and m.get(key) is not None]
        if a and b and (combine is not _ratio or a[0]):
            values.append(combine(b[0], a[0]))
    return values


def _ratio(numerator, denominator):
    return numerator / denominator


def _minus(x, y):
    return x - y


def _fmt(values, digits=2, unit=""):
    """Median, and (min–max) when there is more than one value."""
    if not values:
        return "n/a"
    median = statistics.median(values)
    text = f"{median:,.{digits}f}{unit}"
    if len(values) > 1:
        text += f" ({min(values):,.{digits}f}–{max(values):,.{digits}f})"
    return text


def _median(values):
    return statistics.median(values) if values else None


# --- the document --------------------------------------------------------------------------------------------

def render(r):
    s = r["settings"]
    main = [m for m in r["measurements"] if m["phase"] == "main"]
    others = _values(r["measurements"], "others_busy")
    loads = [m["load_before"][0] for m in r["measurements"]] + [m["load_after"][0] for m in r["measurements"]]
    shared = bool(others) and (max(others) > SHARED_THRESHOLD)
    out = []
    w = out.append
    w("# Benchmarks\n")
    w("<!-- Written by bench/run: everything above the Log section is replaced on every run. -->\n")
    w(f"Measured with `{r['command']}` ([method](bench/README.md), [options](CONTRIBUTING.md#benchmarks)). "
      f"Raw output of every window: [{r['results_dir']}/]({r['results_dir']}/).\n")
    if s.get("quick"):
        w("> **Smoke run (`--quick`):** one round, short warm-up and windows. Use it to check the harness, "
          "not to judge a target.\n")
    if shared:
        by_phase = "; ".join(
            f"{phase} phase: median {statistics.median(v):.0%}, max {max(v):.0%}" for phase in
            _ordered(r["measurements"], "phase")
            for v in [_values([x for x in r["measurements"] if x["phase"] == phase], "others_busy")] if v)
        w(f"> **The machine was shared.** Processes outside the benchmark used "
          f"{statistics.median(others):.0%} of the machine's CPU in the median window and "
          f"up to {max(others):.0%} ({by_phase}); the 1-minute load average was {min(loads):.1f}–{max(loads):.1f} on "
          f"{r['machine']['cores']} cores. Absolute numbers are noisy; the ratios, measured side by side within "
          f"each round, less so. A clean run on a quiet machine is still to be made.\n")

    w("## Run\n")
    m = r["machine"]
    v = r.get("versions", {})
    seeding = r.get("seeding", {})
    w("| | |\n|---|---|")
    start = r["started_utc"].replace("T", " ")
    if r.get("finished_utc"):
        w(f"| Date | {start} to {r['finished_utc'].replace('T', ' ')} |")
    elif r.get("stopped_utc"):
        w(f"| Date | {start} to {r['stopped_utc'].replace('T', ' ')}, when it was stopped |")
    else:
        w(f"| Date | {start}; stopped before the end, at a time not recorded |")
    w(f"| Command | `{r['command']}` |")
    w(f"| Commit | {r['git']} |")
    w(f"| Machine | {m['cpu_model']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, kernel {m['kernel']} |")
    if others:
        w(f"| Other processes' share of the machine's CPU per window | median {statistics.median(others):.0%}, "
          f"max {max(others):.0%}; 1-minute load average {min(loads):.1f}–{max(loads):.1f} |")
    w(f"| Java | {v.get('java', '?')} |")
    w(f"| OpenTelemetry Java agent | {v.get('agent', '?')} |")
    w(f"| Collector | {v.get('collector', '?')} |")
    w(f"| PostgreSQL | {v.get('postgresql', '?')} |")
    w(f"| wrk | {v.get('wrk', '?')} |")
    finished = len({x["round"] for x in r["rounds"] if x["phase"] == "main"})
    if finished < s["rounds"]:
        w(f"| Rounds | {finished} of the {s['rounds']} planned: the run was stopped during round {finished + 1}, "
          f"and every figure here comes from the rounds that finished. Each round measures A, B, C per scenario "
          f"and connection count |")
    else:
        w(f"| Rounds | {s['rounds']}, each A, B, C per scenario and connection count |")
    if s.get("growth") and not any(x["phase"] == "growth" for x in r["measurements"]):
        w("| Growth | seeded, but not measured: the run was stopped before its growth phase |")
    w(f"| Windows | {s['duration']} s measured, after warm-up in {s['warmup_window']} s windows until "
      f"{s.get('steady_windows', 2)} in a row are flat (each within {s['warmup_tolerance']:.0%} of their median), "
      f"at most {s['warmup_cap']} s"
      f"{', less when the budget of ' + format(s['budget_minutes'], 'g') + ' min needed it' if s.get('budget_minutes') else ''} |")
    jvm = [(config, x["jvm_warmup"][config]) for x in r["rounds"] for config in x.get("jvm_warmup", {})]
    if jvm:
        capped = sum(1 for _, w_ in jvm if not w_["converged"])
        w(f"| JVM warm-up | after every start, mixed load (every scenario at random) on one connection until "
          f"{s.get('steady_windows', 2)} windows in a row are flat with the JIT at most 10 % of the CPU, at most "
          f"{s.get('jvm_warmup_cap')} s: "
          + ", ".join(f"{config} {_fmt([w_['seconds'] for c, w_ in jvm if c == config], 0, ' s')}"
                      for config in _ordered([{"config": c} for c, _ in jvm], "config"))
          + f"; {capped} of {len(jvm)} stopped at the cap |")
    plan = r.get("plan")
    if plan:
        w(f"| Plan | {plan['measurements']} measurements and {plan['service_starts']} service starts: at least "
          f"{plan['least_minutes']:g} min, at most the budget of {plan['budget_minutes']:g} min |")
    for database, d in seeding.items():
        w(f"| Database `{database}` | {d['accounts']:,} accounts, {d['lines']:,} ledger lines "
          f"({d['active']:,} active accounts with {d['active_lines']} lines each); migrated and seeded in "
          f"{d['seconds']:.0f} s; {d['size']} |")
    w("")

    w("## Targets\n")
    w("Medians over rounds, (min–max) across rounds; at 16 and 64 connections where both ran. The targets are the "
      "second performance round's (telemetry's cost, start-up, memory); its baselines are the first round's "
      "BENCHMARKS.md, measured on Java 17 without the JVM warm-up. The last two rows are the first round's targets.\n")
    w("| | baseline | target | measured | |\n|---|---|---|---|---|")
    for row in _targets(r):
        w("| " + " | ".join(row) + " |")
    w("")

    w("## Ratios\n")
    w("B/A: with full telemetry against without (paired within each round). A/C: the service against the "
      "pgbench ceiling running the same statements at the same concurrency. CPU in milliseconds per request: "
      "the service's process (A, B), B's Collector and sink (pipeline), and the PostgreSQL instance (all its "
      "processes).\n")
    w("| scenario | conns | A req/s | B req/s | C tx/s | B/A req/s | B/A p99 | A/C req/s | service CPU A | "
      "service CPU B | B − A | pipeline CPU B | PostgreSQL CPU A |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for scenario, c in _scenarios_and_connections(main):
        sel = lambda config: _select(r, "main", scenario, c, config)
        w(f"| {scenario} | {c} | {_fmt(_values(sel('A'), 'rps'), 0)} | {_fmt(_values(sel('B'), 'rps'), 0)} | "
          f"{_fmt(_values(sel('C'), 'rps'), 0)} | "
          f"{_fmt(_paired(r, 'main', scenario, c, 'rps', 'A', 'B', _ratio))} | "
          f"{_fmt(_paired(r, 'main', scenario, c, 'p99_ms', 'A', 'B', _ratio))} | "
          f"{_fmt(_paired(r, 'main', scenario, c, 'rps', 'C', 'A', _ratio))} | "
          f"{_fmt(_values(sel('A'), 'service_cpu_ms'), 3)} | {_fmt(_values(sel('B'), 'service_cpu_ms'), 3)} | "
          f"{_fmt(_paired(r, 'main', scenario, c, 'service_cpu_ms', 'A', 'B', _minus), 3)} | "
          f"{_fmt(_values(sel('B'), 'pipeline_cpu_ms'), 3)} | {_fmt(_values(sel('A'), 'postgres_cpu_ms'), 3)} |")
    w("")

    split = [x for x in main if x["config"] in SPLIT and x["config"].startswith("B")]
    if split:
        w("## Where B − A goes\n")
        w("Service CPU per request (ms), paired within each round that measured B's variants (B's environment with "
          "one part of the telemetry taken away). *Instrumentation* is the agent with `OTEL_SDK_DISABLED=true` "
          "against A: its class matching and advice, with no spans or metrics made. *Spans, not exported* is "
          "`OTEL_TRACES_EXPORTER=none` against that: making, sampling and recording spans and metrics. *Span export* "
          "is B against `OTEL_TRACES_EXPORTER=none`. *Log shipping* is B against `LOKI_URL=` (loki4j off). The parts "
          "come from separate JVMs, so they need not add up to B − A. *Pipeline* is the Collector's and the sink's "
          "CPU per request of B, on top of the service's."
          + (" *AOT cache* is B started with the AOT cache against B without it: negative is cheaper with the cache."
             if any(x["config"] == "B-aot" for x in split) else "") + "\n")
        aot = any(x["config"] == "B-aot" for x in split)
        w("| scenario | conns | A | B | B − A | instrumentation | spans, not exported | span export | log shipping "
          "| pipeline |" + (" AOT cache |" if aot else ""))
        w("|---|---|---|---|---|---|---|---|---|---|" + ("---|" if aot else ""))
        for scenario, c in _scenarios_and_connections(split):
            cpu = lambda first, second: _fmt(_paired(r, "main", scenario, c, "service_cpu_ms", first, second,
                                                     _minus), 3)
            sel = lambda config: _select(r, "main", scenario, c, config)
            w(f"| {scenario} | {c} | {_fmt(_values(sel('A'), 'service_cpu_ms'), 3)} | "
              f"{_fmt(_values(sel('B'), 'service_cpu_ms'), 3)} | {cpu('A', 'B')} | {cpu('A', 'B-sdk-off')} | "
              f"{cpu('B-sdk-off', 'B-no-traces')} | {cpu('B-no-traces', 'B')} | {cpu('B-no-logs', 'B')} | "
              f"{_fmt(_values(sel('B'), 'pipeline_cpu_ms'), 3)} |" + (f" {cpu('B', 'B-aot')} |" if aot else ""))
        w("")

    threads = [x for x in main if x.get("service_threads_cpu_ms") and x["config"] in ("A", "B")
               and x["connections"] == s["connections"][0]]
    if threads:
        kinds = [k for k, _ in THREAD_KINDS] + ["other"]
        w("## Where the service's CPU goes, by thread\n")
        w(f"Service CPU per request (ms) at {s['connections'][0]} connections, by the threads that spent it (their "
          "names tell: Jetty's request threads, the JIT compilers, the serial collector in the VM thread, the agent's "
          "span and metric exporters and the OkHttp threads that send their requests, loki4j, the console "
          "appender), medians over rounds. The request threads also run the agent's instrumentation, so B − A there is the instrumentation and the making of spans; every "
          "other column is work that happens beside the requests. Threads that ended during a window are missing.\n")
        w("| scenario | config | " + " | ".join(kinds) + " |")
        w("|---|---|" + "---|" * len(kinds))
        for scenario in _ordered(threads, "scenario"):
            for config in ("A", "B"):
                sel = [x for x in threads if x["scenario"] == scenario and x["config"] == config]
                if sel:
                    cells = [_fmt([_thread_kind(x["service_threads_cpu_ms"], kind) for x in sel], 3) for kind in kinds]
                    w(f"| {scenario} | {config} | " + " | ".join(cells) + " |")
        w("")

    paused = [x for x in main if x.get("gc")]
    if paused:
        w("## The collector's pauses\n")
        w("From each service's GC log (`-Xlog:gc,gc+heap`), the pauses that ended within the measured window, "
          "medians over rounds. A pause stops every request thread, and a request that meets one waits for it: "
          "once the JVM is paused for more than 1 % of the time, or for longer than a request takes, its p99 holds "
          "pauses. A young collection copies what survives it; with the serial collector that copy is most of the "
          "pause.\n")
        w("| scenario | conns | config | p99 ms | pauses/s | time paused | median pause ms | longest pause ms "
          "| full collections | surviving each young collection MiB |")
        w("|---|---|---|---|---|---|---|---|---|---|")
        for scenario, c in _scenarios_and_connections(paused):
            for config in _ordered([x for x in paused if x["scenario"] == scenario and x["connections"] == c],
                                   "config"):
                sel = _select(r, "main", scenario, c, config)
                gc = [x["gc"] for x in sel if x.get("gc")]
                w(f"| {scenario} | {c} | {config} | {_fmt(_values(sel, 'p99_ms'), 1)} | "
                  f"{_fmt(_values(gc, 'per_second'), 1)} | "
                  f"{_fmt([x * 100 for x in _values(gc, 'paused_share')], 1, ' %')} | "
                  f"{_fmt(_values(gc, 'median_ms'), 1)} | {_fmt(_values(gc, 'max_ms'), 1)} | "
                  f"{sum(x['full'] for x in gc) if all('full' in x for x in gc) else 'n/a'} | "
                  f"{_fmt(_values(gc, 'survivors_mib'), 1)} |")
        w("")

    variants = [v.partition(":") for v in s.get("variant", [])]
    if variants:
        w("## Variants\n")
        w("Configurations given with `--variant`, each against its base (B, or A for A-…), paired within each round "
          "that measured them: throughput, the service's CPU and p99 per request, and the memory after the round's "
          "load.\n")
        for name, _, settings in variants:
            w(f"- **{name.strip()}**: `{settings.strip()}`")
        w("\n| variant | scenario | conns | req/s | against its base | service CPU − base ms | p99 − base ms |")
        w("|---|---|---|---|---|---|---|")
        for name, _, _ in variants:
            name = name.strip()
            base = name.split("-", 1)[0]
            for scenario, c in _scenarios_and_connections([x for x in main if x["config"] == name]):
                diff = lambda key: _fmt(_paired(r, "main", scenario, c, key, base, name, _minus), 3)
                w(f"| {name} | {scenario} | {c} | {_fmt(_values(_select(r, 'main', scenario, c, name), 'rps'), 0)} | "
                  f"{_fmt(_paired(r, 'main', scenario, c, 'rps', base, name, _ratio), 2)} | "
                  f"{diff('service_cpu_ms')} | {diff('p99_ms')} |")
        w("\n| variant | RSS after load MiB | against its base | heap after GC MiB | heap committed MiB |")
        w("|---|---|---|---|---|")
        for name in ["A", "B"] + [v[0].strip() for v in variants]:
            mem = [x["memory"][name] for x in r["rounds"] if x["phase"] == "main" and name in x.get("memory", {})
                   and any(v[0].strip() in x["memory"] for v in variants)]
            if not mem:
                continue
            base = name.split("-", 1)[0]
            paired = [x["memory"][name]["VmRSS"] / x["memory"][base]["VmRSS"] for x in r["rounds"]
                      if name in x.get("memory", {}) and base in x.get("memory", {}) and name != base]
            w(f"| {name} | {_fmt([x['VmRSS'] / 1024 for x in mem], 0)} | {_fmt(paired, 2) if paired else ''} | "
              f"{_fmt([x['heap_used_kib'] / 1024 for x in mem], 0)} | {_fmt([x['heap_total_kib'] / 1024 for x in mem], 0)} |")
        native = [(x["round"], name, x["memory"][name]["native_kib"]) for x in r["rounds"] if x["phase"] == "main"
                  for name in x.get("memory", {}) if "native_kib" in x["memory"][name]]
        if native:
            kinds = sorted({k for _, _, n in native for k in n if k != "Total"},
                           key=lambda k: -max(n.get(k, 0) for _, _, n in native))[:10]
            w("\nNative Memory Tracking (`-XX:NativeMemoryTracking=summary`, `jcmd <pid> VM.native_memory summary` after "
              "the round's load), committed MiB by category, the ten largest:\n")
            w("| variant | round | Total | " + " | ".join(kinds) + " |")
            w("|---|---|---|" + "---|" * len(kinds))
            for round_no, name, n in native:
                w(f"| {name} | {round_no} | {n.get('Total', 0) / 1024:.0f} | "
                  + " | ".join(f"{n.get(k, 0) / 1024:.0f}" for k in kinds) + " |")
        w("")

    limit = [x for x in main if x["config"] == "A-shared-limit"]
    if limit:
        w("## The shared rate limit\n")
        w("The per-client rate limit that every instance shares (`API_RATE_LIMIT_STORE=database`, the service's "
          "default): one `INSERT … ON CONFLICT DO UPDATE` on the client's bucket row per request "
          "(`bank.access.SharedRateLimits`). A-shared-limit is A with it; every other configuration keeps one bucket "
          "per instance in memory (`API_RATE_LIMIT_STORE=memory`). Paired within each round; the benchmark's one "
          "client makes every request update the same row, the worst case.\n")
        w("| scenario | conns | A req/s | A-shared-limit req/s | A-shared-limit/A req/s | service CPU A-shared-limit − A "
          "| PostgreSQL CPU A-shared-limit − A | p99 A-shared-limit − A ms |")
        w("|---|---|---|---|---|---|---|---|")
        for scenario, c in _scenarios_and_connections(limit):
            sel = lambda config: _select(r, "main", scenario, c, config)
            diff = lambda key, digits: _fmt(_paired(r, "main", scenario, c, key, "A", "A-shared-limit", _minus), digits)
            w(f"| {scenario} | {c} | {_fmt(_values(sel('A'), 'rps'), 0)} | "
              f"{_fmt(_values(sel('A-shared-limit'), 'rps'), 0)} | "
              f"{_fmt(_paired(r, 'main', scenario, c, 'rps', 'A', 'A-shared-limit', _ratio))} | "
              f"{diff('service_cpu_ms', 3)} | {diff('postgres_cpu_ms', 3)} | {diff('p99_ms', 1)} |")
        w("")

    w("## Every configuration\n")
    w("Errors are non-2xx answers plus socket errors and timeouts (A, B), or failed transactions (C). Transactions "
      "and statements per request are deltas of `pg_stat_database.xact_commit` and `pg_stat_statements` (the "
      "service's database user only). Warm-up: seconds until two consecutive windows agreed; * marks a warm-up "
      "stopped by the cap.\n")
    w("| scenario | conns | config | req/s | p50 ms | p99 ms | errors | service CPU ms/req | PostgreSQL CPU ms/req "
      "| transactions/req | statements/req | spans/req | warm-up s |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for phase in _ordered(r["measurements"], "phase"):
        rows = [x for x in r["measurements"] if x["phase"] == phase]
        for scenario in _ordered(rows, "scenario"):
            for c in _ordered([x for x in rows if x["scenario"] == scenario], "connections"):
                for config in _ordered([x for x in rows if x["scenario"] == scenario and x["connections"] == c],
                                       "config"):
                    sel = _select(r, phase, scenario, c, config)
                    warm = [x["warmup"]["seconds"] for x in sel]
                    capped = any(not x["warmup"]["converged"] for x in sel)
                    label = scenario if phase == "main" else f"{scenario} (growth)"
                    w(f"| {label} | {c} | {config} | {_fmt(_values(sel, 'rps'), 0)} | "
                      f"{_fmt(_values(sel, 'p50_ms'), 1)} | {_fmt(_values(sel, 'p99_ms'), 1)} | "
                      f"{sum(x['errors'] for x in sel)} | {_fmt(_values(sel, 'service_cpu_ms'), 3)} | "
                      f"{_fmt(_values(sel, 'postgres_cpu_ms'), 3)} | {_fmt(_values(sel, 'transactions'), 2)} | "
                      f"{_fmt(_values(sel, 'statements'), 2)} | {_fmt(_values(sel, 'spans'), 1)} | "
                      f"{_fmt(warm, 0)}{'*' if capped else ''} |")
    w("")

    w("## Start-up and memory\n")
    w("Start to healthy: from the process's start to the first 200 from `/healthcheck` on the admin port, once per "
      "round. Memory after the round's load: peak resident set (`VmHWM`), resident set (`VmRSS`), and the heap in "
      "use after `jcmd <pid> GC.run` (`GC.heap_info`).\n")
    w("| config | start to healthy s | peak RSS MiB | RSS after load MiB | heap after GC MiB | heap committed MiB |")
    w("|---|---|---|---|---|---|")
    rounds = [x for x in r["rounds"] if x["phase"] == "main"]
    for config in ("A", "B"):
        starts = [x["startup_seconds"][config] for x in rounds if config in x.get("startup_seconds", {})]
        mem = [x["memory"][config] for x in rounds if config in x.get("memory", {})]
        if starts:
            w(f"| {config} | {_fmt(starts, 2)} | {_fmt([x['VmHWM'] / 1024 for x in mem], 0)} | "
              f"{_fmt([x['VmRSS'] / 1024 for x in mem], 0)} | {_fmt([x['heap_used_kib'] / 1024 for x in mem], 0)} | "
              f"{_fmt([x['heap_total_kib'] / 1024 for x in mem], 0)} |")
    w("")

    startup = r.get("startup", [])
    if startup:
        w("## Start-up by Java version\n")
        w("One fresh JVM at a time, each round, on the small database: from the process's start to the first 200 "
          "from `/healthcheck`, the CPU seconds the JVM used until then (all its threads), and its resident set at "
          "that moment. A: without the agent; B: with it, as compose runs it. The AOT cache is recorded once per "
          "run, as service/docker-entrypoint.sh records it: a training run of the same command line less "
          "`-javaagent`, some requests, a stop.\n")
        w("| Java | config | start to healthy s | CPU s to healthy | RSS when healthy MiB |")
        w("|---|---|---|---|---|")
        for java in _ordered(startup, "java"):
            for config in _ordered([x for x in startup if x["java"] == java], "config"):
                sel = [x for x in startup if x["java"] == java and x["config"] == config]
                w(f"| {java} | {config} | {_fmt([x['seconds'] for x in sel], 2)} | "
                  f"{_fmt([x['cpu_seconds'] for x in sel], 1)} | {_fmt([x['rss_mib'] for x in sel], 0)} |")
        w("")

    growth = [x for x in r["measurements"] if x["phase"] == "growth"]
    if growth:
        w("## Growth\n")
        d = r["seeding"].get("bank_growth", {})
        w(f"The GET and history scenarios again on `bank_growth` ({d.get('accounts', 0):,} accounts, "
          f"{d.get('lines', 0):,} ledger lines, seeded in {d.get('seconds', 0):.0f} s), against the small database "
          "of the same run. Target: p99 within 1.2× of the small database's."
          + (" The machine was shared, and the two phases ran minutes apart, not side by side: a change in the "
             "other processes' load between them moves these ratios more than the data's size does."
             if shared else "") + "\n")
        w("| scenario | conns | config | p99 ms small | p99 ms growth | growth/small | |")
        w("|---|---|---|---|---|---|---|")
        over = False
        for scenario in _ordered(growth, "scenario"):
            for c in _ordered([x for x in growth if x["scenario"] == scenario], "connections"):
                for config in _ordered([x for x in growth if x["scenario"] == scenario and x["connections"] == c],
                                       "config"):
                    small = _median(_values(_select(r, "main", scenario, c, config), "p99_ms"))
                    big = _median(_values(_select(r, "growth", scenario, c, config), "p99_ms"))
                    ratio = big / small if small and big is not None else None
                    verdict = "n/a" if ratio is None else ("met" if ratio <= 1.2 else "**not met**")
                    over = over or (ratio is not None and ratio > 1.2)
                    w(f"| {scenario} | {c} | {config} | {_fmt([small] if small else [], 1)} | "
                      f"{_fmt([big] if big is not None else [], 1)} | "
                      f"{'n/a' if ratio is None else f'{ratio:.2f}'} | {verdict} |")
        w("")
        plans = r.get("plans", {})
        if plans:
            w(f"Query plans of both databases are in [{r['results_dir']}/plans/]({r['results_dir']}/plans/).")
            if over:
                w(" A p99 grew by more than 1.2×, so here they are:\n")
                for name, text in sorted(plans.items()):
                    w(f"`{name}`:\n\n```\n{text}\n```\n")
            w("")

    w("## Configurations\n")
    svc = r.get("service", {})
    w(f"- **A**, the service without the agent: `{_without_agent(svc.get('command', ''))}`, with compose's `api` "
      "environment below minus `OTEL_*` and `LOKI_URL` (logs stay on the console).")
    w(f"- **B**, full telemetry: `{svc.get('command', '')}` (service/Dockerfile's ENTRYPOINT and CMD), with "
      "compose's `api` environment below. The Collector (tools/build-otelcol.sh, otel-collector.yaml) receives "
      "the agent's traces and metrics and exports traces to a sink standing in for Tempo; loki4j pushes the "
      "service's log lines to the same sink standing in for Loki. Both answer as the real ones do and discard.")
    w("- **C**, the ceiling: pgbench (`-M prepared`, as many connections) running bench/pgbench/*.sql, the "
      "statements the service sends per request, straight to the database.")
    w("- Both services listen on 127.0.0.1 and get `BANK_BOOTSTRAP_API_KEY`; every request carries "
      "`Authorization: Bearer`.")
    w("\nThe `api` environment in docker-compose.yml (compose addresses are replaced by the local processes, "
      "the database by the benchmark's):\n")
    for key, value in svc.get("environment", {}).items():
        w(f"- `{key}={value}`")
    w("")
    return "\n".join(out)


def _without_agent(command):
    return " ".join(a for a in command.split() if not a.startswith(("-javaagent:", "-Dotel.", "-Xbootclasspath/a:",
                                                                     "--add-modules=java.instrument")))


def _scenarios_and_connections(measurements):
    """(scenario, connections) pairs in the order they were measured."""
    for scenario in _ordered(measurements, "scenario"):
        for connections in _ordered([x for x in measurements if x["scenario"] == scenario], "connections"):
            yield scenario, connections


def _ordered(measurements, key):
    seen = []
    for m in measurements:
        if m[key] not in seen:
            seen.append(m[key])
    return seen


def _per_connections(r, scenario, fn):
    """fn(connections) -> list of values, formatted per connection count that ran."""
    parts = []
    for c in sorted({m["connections"] for m in _select(r, "main", scenario)}):
        values = fn(c)
        if values:
            parts.append((c, values))
    return parts


def _cell(parts, digits, unit=""):
    if not parts:
        return "not measured"
    return "; ".join(f"{c} conns: {_fmt(values, digits, unit)}" for c, values in parts)


def _verdict(parts, ok):
    medians = [statistics.median(values) for _, values in parts]
    if not medians:
        return "n/a"
    return "met" if all(ok(x) for x in medians) else "**not met**"


WRITES = ("credit", "transfer", "transfer-hot")


def _thread_kind(by_name, kind):
    """The CPU of the threads of one kind of THREAD_KINDS ("other": of none of them)."""
    patterns = [p for k, p in THREAD_KINDS if k == kind]
    return sum(ms for name, ms in by_name.items()
               if (any(re.search(p, name) for p in patterns) if patterns
                   else not any(re.search(p, name) for _, p in THREAD_KINDS)))


def _targets(r):
    """The second round's targets (telemetry's cost, start-up, memory), then the first round's that still hold."""
    rows = []
    tput = _per_connections(r, "get-account", lambda c: _paired(r, "main", "get-account", c, "rps", "A", "B", _ratio))
    p99 = _per_connections(r, "get-account",
                           lambda c: _paired(r, "main", "get-account", c, "p99_ms", "A", "B", _ratio))
    both = _verdict(tput, lambda x: x >= 0.93), _verdict(p99, lambda x: x <= 1.15)
    rows.append(["GET account, throughput with the agent / without (p99 ratio)", "0.61 at 16 conns, 0.84 at 64",
                 "≥ 0.93 at both (p99 ≤ ×1.15)", _cell(tput, 2) + "; p99 " + _cell(p99, 2),
                 "n/a" if "n/a" in both else ("met" if both == ("met", "met") else "**not met**")])
    writes = [(f"{scenario}, {c}", values) for scenario in WRITES for c, values in
              _per_connections(r, scenario, lambda c: _paired(r, "main", scenario, c, "rps", "A", "B", _ratio))]
    rows.append(["Writes, throughput with the agent / without", "0.81–0.86", "≥ 0.95",
                 "; ".join(f"{label}: {_fmt(values, 2)}" for label, values in writes) or "not measured",
                 _verdict(writes, lambda x: x >= 0.95)])
    startup = r.get("startup", [])
    cached = {c: [x["seconds"] for x in startup if x["java"] == "Java 25, AOT cache" and x["config"] == c]
              for c in ("A", "B")}
    uncached = {c: [x["seconds"] for x in startup if x["java"] == "Java 25" and x["config"] == c] for c in ("A", "B")}
    rows.append(["Start to healthy, without / with the agent, as the image starts (Java 25, AOT cache)",
                 "4.0–5.7 s / 8.3–12.9 s", "≤ 2.0 s / ≤ 4.5 s",
                 f"{_fmt(cached['A'], 2, ' s')} / {_fmt(cached['B'], 2, ' s')} (without the cache: "
                 f"{_fmt(uncached['A'], 2, ' s')} / {_fmt(uncached['B'], 2, ' s')})",
                 _startup_verdict(cached)])
    rounds = [x for x in r["rounds"] if x["phase"] == "main"]
    memory = [x["memory"]["B"] for x in rounds if "B" in x.get("memory", {})]
    rss = [x["VmRSS"] / 1024 for x in memory]
    peak = [x["VmHWM"] / 1024 for x in memory]
    rows.append(["RSS after load, with the agent", "418 MiB", "≤ 320 MiB",
                 f"{_fmt(rss, 0, ' MiB')} (peak {_fmt(peak, 0, ' MiB')})",
                 "n/a" if not rss else ("met" if statistics.median(rss) <= 320 else "**not met**")])
    get_cpu = _per_connections(r, "get-account",
                               lambda c: _values(_select(r, "main", "get-account", c, "A"), "service_cpu_ms"))
    rows.append(["First round: GET account, service CPU per request, no agent", "1.12 ms", "≤ 0.30 ms",
                 _cell(get_cpu, 3, " ms"), _verdict(get_cpu, lambda x: x <= 0.30)])
    credit_cpu = _per_connections(r, "credit",
                                  lambda c: _values(_select(r, "main", "credit", c, "A"), "service_cpu_ms"))
    rows.append(["First round: service CPU per keyed credit, no agent", "6.4 ms", "≤ 1 ms",
                 _cell(credit_cpu, 3, " ms"), _verdict(credit_cpu, lambda x: x <= 1.0)])
    return rows


def _startup_verdict(cached):
    if not (cached["A"] and cached["B"]):
        return "n/a"
    met = statistics.median(cached["A"]) <= 2.0 and statistics.median(cached["B"]) <= 4.5
    return "met" if met else "**not met**"
