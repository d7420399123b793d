"""What the harness reads from Linux: process CPU and memory, the machine's load, free ports."""

import os
import platform
import re
import resource
import socket
import subprocess
import time

TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat_fields(pid):
    """Fields of /proc/<pid>/stat after the command name; index 0 is field 3 (state)."""
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    return text[text.rindex(")") + 2:].split()


def cpu_seconds(pid, children=False):
    """utime + stime of a process (all its threads); with children, also of the children it has reaped."""
    try:
        fields = _stat_fields(pid)
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / TICKS


def thread_cpu_seconds(pid):
    """utime + stime per thread of a process, summed over threads of the same name less its numbers (Linux keeps
    15 characters of a thread's name): {"dw- - GET /v": 1.2, "C2 CompilerThre": 0.4, ...}."""
    groups = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError):
        return groups
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                text = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended meanwhile
        name = re.sub(r"\d+", "", text[text.index("(") + 1:text.rindex(")")]).strip()
        fields = text[text.rindex(")") + 2:].split()
        groups[name] = groups.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / TICKS
    return groups


def child_pids(parent):
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(_stat_fields(entry)[1]) == parent:
                    pids.append(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    return pids


def tree_cpu_seconds(root):
    """CPU of a server and all its worker processes, live or exited (PostgreSQL's postmaster reaps its backends)."""
    return cpu_seconds(root, children=True) + sum(cpu_seconds(pid) for pid in child_pids(root))


def own_children_cpu_seconds():
    """CPU of the harness's own reaped children (wrk, pgbench, psql) and of the harness itself."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return children.ru_utime + children.ru_stime, own.ru_utime + own.ru_stime


def machine_busy_seconds():
    """CPU time the whole machine spent busy (not idle, not waiting for I/O), summed over all cores."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / TICKS


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(v) for v in f.read().split()[:3]]


def memory_kib(pid):
    """VmHWM (peak resident set) and VmRSS of a process, in KiB."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0])
    return values


def heap_after_gc_kib(pid, jcmd="jcmd"):
    """Runs a full GC in the JVM, then reads the heap's used size from GC.heap_info (jcmd of the JVM's own JDK)."""
    subprocess.run([jcmd, str(pid), "GC.run"], capture_output=True, text=True, timeout=120, check=True)
    info = subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60,
                          check=True).stdout
    # One line for G1's heap, one per generation for the serial and parallel collectors; Metaspace lines have no
    # "total". Java 17: "total <committed>K, used <used>K"; Java 25's G1: "total reserved <r>K, committed <c>K, used".
    spaces = re.findall(r"total (?:reserved \d+K, committed )?(\d+)K, used (\d+)K", info)
    if not spaces:
        raise RuntimeError("cannot read the heap from jcmd GC.heap_info:\n" + info)
    return {"heap_total_kib": sum(int(total) for total, _ in spaces),
            "heap_used_kib": sum(int(used) for _, used in spaces), "heap_info": info.strip()}


def native_memory_kib(pid, jcmd="jcmd"):
    """Committed memory per Native Memory Tracking category ({"Total": …, "Java Heap": …, "Class": …}), when the
    JVM runs with -XX:NativeMemoryTracking=summary; else {}."""
    out = subprocess.run([jcmd, str(pid), "VM.native_memory", "summary"], capture_output=True, text=True,
                         timeout=60).stdout
    categories = {name.strip(): int(committed) for name, committed in
                  re.findall(r"^-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB", out, re.M)}
    total = re.search(r"^Total: reserved=\d+KB, committed=(\d+)KB", out, re.M)
    if total:
        categories["Total"] = int(total.group(1))
    return categories


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    return {
        "cpu_model": model,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": _os_name(),
    }


def _os_name():
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except FileNotFoundError:
        pass
    return platform.system()


def first_line(command):
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        return "not installed"
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


class Stopwatch:
    def __init__(self):
        self.start = time.monotonic()

    def seconds(self):
        return time.monotonic() - self.start
