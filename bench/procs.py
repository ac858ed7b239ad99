"""Process figures from /proc: resident memory and CPU time of a process and its descendants."""

from __future__ import annotations

import os
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return out


def tree(pid: int) -> list[int]:
    """The process and every descendant still running."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        if Path(f"/proc/{p}").exists():
            found.append(p)
            todo.extend(children(p))
    return found


def _status(pid: int) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            out[name] = value.strip()
    except OSError:
        pass
    return out


def rss_kib(pid: int) -> int:
    """VmRSS of the process and its descendants, KiB."""
    return sum(int(_status(p).get("VmRSS", "0 kB").split()[0]) for p in tree(pid))


def pss_kib(pid: int) -> int:
    total = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def cpu_ms(pid: int) -> float:
    """utime + stime of the process (all its threads) and its descendants, in ms."""
    ticks = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks * 1000 / CLK_TCK


def context_switches(pid: int) -> dict[int, int]:
    """Voluntary + involuntary context switches per thread id: how often each thread woke up."""
    out: dict[int, int] = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            lines = (task / "status").read_text().splitlines()
        except OSError:
            continue
        out[int(task.name)] = sum(
            int(line.split()[1])
            for line in lines
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"))
        )
    return out


def wakeups(before: dict[int, int], after: dict[int, int]) -> int:
    """Context switches between two readings, per thread (a thread that ended in between is not counted)."""
    return sum(n - before.get(tid, 0) for tid, n in after.items())


def thread_names(pid: int) -> list[str]:
    names = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            names.append((task / "comm").read_text().strip())
        except OSError:
            continue
    return sorted(names)
