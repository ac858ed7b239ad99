"""`make bench`: the measurements of docs/PERFORMANCE.md: the app against the baseline tray, in one run.

Prints a table with the targets, writes bench/results/bench-<time>.json (and latest.json), regenerates
docs/PERFORMANCE.md, and exits 1 when a target is missed (2 when it cannot run here).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import fixtures, report, run
from .server import LoopbackServer
from .sni import SniWatcher

ROOT = run.ROOT
RESULTS = ROOT / "bench" / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--start-runs", type=int, default=9, help="start-up runs per side, alternating (default 9)")
    p.add_argument("--rest-runs", type=int, default=3, help="instances per side for memory and idle CPU")
    p.add_argument("--rest-seconds", type=float, default=10.0)
    p.add_argument("--idle-seconds", type=float, default=60.0)
    p.add_argument("--refresh-runs", type=int, default=5)
    p.add_argument("--details-runs", type=int, default=5)
    p.add_argument("--no-docs", action="store_true", help="do not rewrite docs/PERFORMANCE.md")
    return p.parse_args(argv)


def harness(mode: str, config_dir: Path, port: int, *extra: str) -> dict[str, Any]:
    argv = [sys.executable, "-m", "bench.harness", mode, "--config-dir", str(config_dir), "--port", str(port)]
    done = subprocess.run([*argv, *extra], cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"harness {mode} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def median(values: list[float]) -> float:
    return statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") or not os.environ.get("DISPLAY"):
        print("bench: run it in the desktop session: make bench", file=sys.stderr)
        return 2
    watcher = SniWatcher()
    if not watcher.watcher_present():
        print("bench: no StatusNotifierWatcher on the bus (use the default --tray=xfce4-panel)", file=sys.stderr)
        return 2
    began = time.monotonic()
    load_before = os.getloadavg()
    server = LoopbackServer().start()
    work = Path(tempfile.mkdtemp(prefix="credit-tray-bench-"))
    out: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds")}
    try:
        # ---------------------------------------------------------- 10 accounts, as a user adds them
        ten = work / "ten"
        fixtures.add_with_cli(ten, fixtures.specs(10, server.port, prefix="t"))

        def fresh_copy(name: str) -> Path:
            target = work / name
            shutil.copytree(ten, target, ignore=shutil.ignore_patterns("state.json", "logs"))
            return target

        # ---------------------------------------------------------- 1. start to icon registered
        # "project": the first start after the accounts were added (nothing saved yet); "restart": a start
        # with what the last run left (state.json, the last drawn icon, the history), as at every login.
        restart = fresh_copy("restart")
        first = run.start("project", work, restart)
        try:
            if watcher.wait_for(first.pid, 30) is None:
                raise RuntimeError("project: no StatusNotifierItem registered within 30 s")
            end = time.monotonic() + 90
            while not run.first_poll_done(first, 10):
                if time.monotonic() > end:
                    raise RuntimeError("the app's first poll did not end within 90 s")
                time.sleep(0.05)
        finally:
            run.stop(first)
        starts: dict[str, list[float]] = {"project": [], "restart": [], "baseline": []}
        for i in range(args.start_runs):
            order = ("project", "baseline", "restart") if i % 2 == 0 else ("restart", "baseline", "project")
            for side in order:
                if side == "baseline":
                    starts[side].append(run.measure_start(watcher, side, work, None))
                else:
                    directory = fresh_copy(f"start-{i}") if side == "project" else restart
                    starts[side].append(run.measure_start(watcher, "project", work, directory))
                time.sleep(0.3)
        out["start"] = {side: {"runs_s": v, "median_s": median(v)} for side, v in starts.items()}
        print_progress("start-up", out["start"])

        # ---------------------------------------------------------- 2, 3. memory at rest, idle CPU
        counts_before = server.snapshot()
        trays: list[run.Tray] = []
        jobs = []
        for i in range(args.rest_runs):
            for side in ("project", "baseline") if i % 2 == 0 else ("baseline", "project"):
                config = fresh_copy(f"rest-{i}") if side == "project" else None
                trays.append(run.start(side, work, config))
                jobs.append(lambda t=trays[-1]: run.rest_and_idle(watcher, t, 10, args.rest_seconds, args.idle_seconds))
        try:
            figures = run.run_concurrently(jobs)
        finally:
            for t in trays:
                run.stop(t)
        rest: dict[str, Any] = {}
        for side in ("project", "baseline"):
            mine = [f for t, f in zip(trays, figures, strict=True) if t.side == side]
            rest[side] = {
                "runs": mine,
                "rss_mib_median": median([f["rss_mib"] for f in mine]),
                "pss_mib_median": median([f["pss_mib"] for f in mine]),
                "idle_cpu_ms_median": median([f["idle_cpu_ms"] for f in mine]),
                "idle_wakeups_median": median([f["idle_wakeups"] for f in mine]),
            }
        out["rest"] = rest
        out["first_poll_requests"] = first_poll_requests(counts_before, server.snapshot(), args.rest_runs)
        print_progress("memory and idle CPU", {s: {k: v for k, v in r.items() if k != "runs"} for s, r in rest.items()})

        # ---------------------------------------------------------- 4, 5. refresh of 50 slow accounts
        out["refresh"] = harness(
            "refresh", work / "fifty", server.port, "--accounts", "50", "--runs", str(args.refresh_runs)
        )
        print_progress("refresh", {k: out["refresh"][k] for k in ("wall_s_median", "max_gap_ms_median")})

        # ---------------------------------------------------------- 6. details window, 20 accounts
        details = [
            harness("details", work / "twenty", server.port, "--accounts", "20") for _ in range(args.details_runs + 1)
        ]
        details = details[1:]  # the first run also made the first poll; it is not timed
        out["details"] = {
            "runs": details,
            "open_to_painted_ms_median": median([d["open_to_painted_ms"] for d in details]),
            "history": details[0]["history"],
            "history_seeded": details[0]["history_seeded"],
        }
        print_progress("details", {"open_to_painted_ms_median": out["details"]["open_to_painted_ms_median"]})
        out["unknown_routes"] = dict(server.unknown)
    finally:
        watcher.close()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    out["environment"] = environment(load_before)
    out["duration_s"] = time.monotonic() - began
    rows = report.rows(out)
    out["rows"] = rows
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (RESULTS / name).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print()
    print(report.table(rows))
    print(f"\nJSON: bench/results/bench-{stamp}.json ({out['duration_s']:.0f} s)")
    if not args.no_docs:
        (ROOT / "docs" / "PERFORMANCE.md").write_text(report.markdown(out), encoding="utf-8")
        print("docs/PERFORMANCE.md regenerated")
    missed = [r for r in rows if r["pass"] is False]
    pending = [r for r in rows if r["pass"] is None]
    for r in pending:
        print(f"NOT MEASURED: {r['name']}: {r['note']}")
    if missed:
        print("MISSED: " + "; ".join(r["name"] for r in missed))
        return 1
    return 0


def first_poll_requests(
    before: dict[str, dict[str, int]], after: dict[str, dict[str, int]], instances: int
) -> dict[str, Any]:
    """Requests per account in the tray's first poll after `accounts add` (every app instance made one)."""
    out: dict[str, Any] = {}
    for tag, routes in after.items():
        if not tag.startswith("fastt"):
            continue
        provider = fixtures.provider_of_tag(tag)
        entry = out.setdefault(provider, {"accounts": 0, "routes": {}})
        entry["accounts"] += instances
        for route, n in routes.items():
            delta = n - before.get(tag, {}).get(route, 0)
            entry["routes"][route] = entry["routes"].get(route, 0) + delta
    for entry in out.values():
        entry["per_account"] = sum(entry["routes"].values()) / entry["accounts"]
        entry["routes"] = {r: n / entry["accounts"] for r, n in sorted(entry["routes"].items())}
    return out


def environment(load_before: tuple[float, float, float]) -> dict[str, Any]:
    import PySide6

    return {
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "kernel": platform.release(),
        "tray_host": os.environ.get("DS_TRAY", "?"),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
    }


def print_progress(what: str, data: Any) -> None:
    print(f"bench: {what}: {json.dumps(data, default=str)}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
