"""The collector's pauses in a measured window, read from the JVM's own GC log.

Every service runs with `-Xlog:gc,gc+heap` into a file of its own (FLAG). A pause stops every request thread, so a
request that meets one waits for it: how often the JVM pauses, and for how long, is what a p99 is made of beside
the queueing. For the serial collector the log also gives what survived each young collection, the work that
decides how long a young pause takes."""

import re
import statistics

# timemillis: wall-clock milliseconds, to compare with the window's own time.time(). filecount=0: one file that
# is never rotated, so that a window's pauses are never split across two files.
FLAG = "-Xlog:gc,gc+heap:file={path}:timemillis,tags:filecount=0"

_PAUSE = re.compile(r"^\[(\d+)ms\]\[gc\s*\] GC\((\d+)\) Pause (\w+).* (\d+(?:\.\d+)?)ms$")
# Serial's young generation after a collection: what survived it.
_YOUNG = re.compile(r"^\[\d+ms\]\[gc,heap\s*\] GC\((\d+)\) DefNew: \d+K\(\d+K\)->(\d+)K")


class GcLog:
    """Reads one JVM's GC log as it grows: each read returns the pauses logged since the previous one."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.survivors_kib = {}

    def read(self):
        """[(end of the pause in epoch seconds, pause ms, KiB that survived it or None, full collection?)] since
        the last read."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return []
        complete = data.rfind(b"\n") + 1  # a line still being written is read next time
        self.offset += complete
        pauses = []
        for line in data[:complete].decode("utf-8", "replace").splitlines():
            young = _YOUNG.match(line)
            if young:
                self.survivors_kib[young.group(1)] = int(young.group(2))
                continue
            pause = _PAUSE.match(line)
            if pause:
                # The heap lines of a collection come before its pause line.
                survived = self.survivors_kib.pop(pause.group(2), None)
                pauses.append((int(pause.group(1)) / 1000, float(pause.group(4)), survived,
                               pause.group(3) == "Full"))
        return pauses


def summary(pauses, start, end):
    """The pauses that ended within [start, end] (epoch seconds), as a measurement records them."""
    inside = [(ms, kib, full) for at, ms, kib, full in pauses if start <= at <= end]
    seconds = max(end - start, 1e-9)
    durations = [ms for ms, _, _ in inside]
    survived = [kib for _, kib, _ in inside if kib is not None]
    return {
        "pauses": len(inside),
        "full": sum(1 for _, _, full in inside if full),
        "per_second": round(len(inside) / seconds, 2),
        "paused_share": round(sum(durations) / 1000 / seconds, 4),
        "median_ms": round(statistics.median(durations), 2) if durations else None,
        "max_ms": round(max(durations), 2) if durations else None,
        "survivors_mib": round(statistics.median(survived) / 1024, 2) if survived else None,
    }
