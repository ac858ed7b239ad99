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

from . import fixtures, plot, report, run
from .server import LoopbackServer
from .sni import SniWatcher

ROOT = run.ROOT
RESULTS = ROOT / "bench" / "results"


SECTIONS = ("start", "rest", "refresh", "check", "cpu", "growth", "status", "details")
GROWTH = (10, 50, 200, 500)  # accounts: the refresh and the memory at rest, plotted (docs/performance-growth.svg)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--start-runs", type=int, default=9, help="start-up runs per side, alternating (default 9)")
    p.add_argument("--rest-runs", type=int, default=3, help="instances per side for memory and idle CPU")
    p.add_argument("--rest-seconds", type=float, default=10.0)
    p.add_argument("--idle-seconds", type=float, default=60.0)
    p.add_argument("--refresh-runs", type=int, default=5)
    p.add_argument("--check-runs", type=int, default=5, help="`trayapp check --json` runs, 50 accounts, cold")
    p.add_argument("--status-runs", type=int, default=9, help="`trayapp status --format waybar` runs")
    p.add_argument("--growth-runs", type=int, default=3, help="refreshes per size of the growth measurement")
    p.add_argument("--details-runs", type=int, default=5)
    p.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run (default all: {','.join(SECTIONS)}); docs/PERFORMANCE.md is "
        "rewritten only by a run of every section",
    )
    p.add_argument("--no-docs", action="store_true", help="do not rewrite docs/PERFORMANCE.md and its plot")
    args = p.parse_args(argv)
    args.sections = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        p.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    return args


def harness(mode: str, config_dir: Path, port: int, *extra: str) -> dict[str, Any]:
    argv = [sys.executable, "-m", "bench.harness", mode, "--config-dir", str(config_dir), "--port", str(port)]
    done = subprocess.run([*argv, *extra], cwd=ROOT, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"harness {mode} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def median(values: list[float]) -> float:
    return statistics.median(values)


def compile_app() -> None:
    """Bytecode for the app's modules, as an installed app has it (pip compiles on install): a session with
    PYTHONDONTWRITEBYTECODE would otherwise compile every module at every start of the tray and the child."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "trayapp")], check=True, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") or not os.environ.get("DISPLAY"):
        print("bench: run it in the desktop session: make bench", file=sys.stderr)
        return 2
    watcher = SniWatcher()
    if not watcher.watcher_present():
        print("bench: no StatusNotifierWatcher on the bus (use the default --tray=xfce4-panel)", file=sys.stderr)
        return 2
    compile_app()
    began = time.monotonic()
    load_before = os.getloadavg()
    server = LoopbackServer().start()
    work = Path(tempfile.mkdtemp(prefix="credit-tray-bench-"))
    out: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "sections": args.sections}
    loads: dict[str, tuple[float, float, float]] = {}
    out["load_by_section"] = loads
    try:
        # ---------------------------------------------------------- 10 accounts, as a user adds them
        ten = work / "ten"
        if {"start", "rest"} & set(args.sections):
            fixtures.add_with_cli(ten, fixtures.specs(10, server.port, prefix="t"))

        def fresh_copy(name: str) -> Path:
            target = work / name
            shutil.copytree(ten, target, ignore=shutil.ignore_patterns("state.json", "logs"))
            return target

        if "start" in args.sections:
            loads["start"] = os.getloadavg()
            out["start"] = measure_starts(args, watcher, work, fresh_copy)
            print_progress("start-up", out["start"])
        if "rest" in args.sections:
            loads["rest"] = os.getloadavg()
            measure_rest(args, watcher, server, work, fresh_copy, out)
        fifty = work / "fifty"
        if "refresh" in args.sections:
            loads["refresh"] = os.getloadavg()
            out["refresh"] = harness(
                "refresh", fifty, server.port, "--accounts", "50", "--runs", str(args.refresh_runs)
            )
            print_progress("refresh", {k: out["refresh"][k] for k in ("wall_s_median", "max_gap_ms_median")})
        if "check" in args.sections:
            loads["check"] = os.getloadavg()
            if not (fifty / "config.json").exists():
                harness("refresh", fifty, server.port, "--accounts", "50", "--runs", "1")
            out["check"] = measure_check(fifty, args.check_runs)
            print_progress("check --json", {"wall_s_median": out["check"]["wall_s_median"]})
        if "cpu" in args.sections:
            loads["cpu"] = os.getloadavg()
            out["cpu"] = harness(
                "refresh", work / "ten-fast", server.port, "--accounts", "10", "--fast", "--runs",
                str(args.refresh_runs),
            )  # fmt: skip
            print_progress("CPU of a poll", {"cpu_s_median": out["cpu"]["cpu_s_median"]})
        if "growth" in args.sections:
            loads["growth"] = os.getloadavg()
            growth: dict[str, Any] = {}
            for n in GROWTH:
                if n == 50 and "refresh" in out:
                    growth[str(n)] = out["refresh"]
                    continue
                growth[str(n)] = harness(
                    "refresh", work / f"growth-{n}", server.port, "--accounts", str(n), "--runs", str(args.growth_runs)
                )
                print_progress(
                    f"growth {n}", {k: growth[str(n)][k] for k in ("wall_s_median", "rss_rest_kib", "max_gap_ms_worst")}
                )
            out["growth"] = growth
        if "status" in args.sections:
            loads["status"] = os.getloadavg()
            if not (fifty / "config.json").exists():
                harness("refresh", fifty, server.port, "--accounts", "50", "--runs", "1")
            out["status"] = measure_status(fifty, args.status_runs)
            print_progress("status --format waybar", out["status"].get("wall_ms_median", out["status"]["why"]))
        if "details" in args.sections:
            loads["details"] = os.getloadavg()
            details = [
                harness("details", work / "twenty", server.port, "--accounts", "20")
                for _ in range(args.details_runs + 1)
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
    if "growth" in out:
        (RESULTS / "growth.svg").write_text(plot.growth_svg(out), encoding="utf-8")
    if not args.no_docs and set(args.sections) == set(SECTIONS):
        (ROOT / "docs" / plot.FILE).write_text(plot.growth_svg(out), encoding="utf-8")
        (ROOT / "docs" / "PERFORMANCE.md").write_text(report.markdown(out), encoding="utf-8")
        print(f"docs/PERFORMANCE.md and docs/{plot.FILE} regenerated")
    missed = [r for r in rows if r["pass"] is False]
    pending = [r for r in rows if r["pass"] is None]
    for r in pending:
        print(f"NOT MEASURED: {r['name']}: {r['note']}")
    if missed:
        print("MISSED: " + "; ".join(r["name"] for r in missed))
        return 1
    return 0


def measure_starts(args: argparse.Namespace, watcher: SniWatcher, work: Path, fresh_copy: Any) -> dict[str, Any]:
    """1. start to icon registered. "project": the first start after the accounts were added (nothing saved
    yet); "restart": a start with what the last run left (state.json, the last drawn icon, the history)."""
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
    return {side: {"runs_s": v, "median_s": median(v)} for side, v in starts.items()}


def measure_rest(
    args: argparse.Namespace,
    watcher: SniWatcher,
    server: LoopbackServer,
    work: Path,
    fresh_copy: Any,
    out: dict[str, Any],
) -> None:
    """2, 3. memory at rest and idle CPU, the instances of both sides side by side."""
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


def timed_cli(config_dir: Path, *argv: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    """One cold run of the CLI, as a script or a status bar starts it: a new interpreter, from exec to exit."""
    command = [sys.executable, "-m", "trayapp", "--config-dir", str(config_dir), *argv]
    t0 = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    return time.monotonic() - t0, done


def measure_check(config_dir: Path, runs: int) -> dict[str, Any]:
    """`trayapp check --json` over the 50 accounts of the refresh (keys in gnome-keyring, 300 ms answers)."""
    walls: list[float] = []
    for _ in range(runs):
        wall, done = timed_cli(config_dir, "check", "--json")
        try:
            accounts = json.loads(done.stdout)["accounts"]
        except (ValueError, KeyError, TypeError):
            raise RuntimeError(f"check --json printed no JSON ({done.returncode}): {done.stderr[-2000:]}") from None
        if len(accounts) != 50:
            raise RuntimeError(f"check --json reported {len(accounts)} accounts, not 50")
        walls.append(wall)
    return {"runs_s": walls, "wall_s_median": median(walls), "exit_status": done.returncode}


def measure_status(config_dir: Path, runs: int) -> dict[str, Any]:
    """`trayapp status --format waybar` (what a status bar runs every few seconds), once the command exists."""
    _, probe = timed_cli(config_dir, "status", "--help")
    if probe.returncode != 0:
        return {"built": False, "why": "not built: `trayapp status` does not exist in this version"}
    walls: list[float] = []
    for _ in range(runs):
        wall, done = timed_cli(config_dir, "status", "--format", "waybar")
        try:  # it exits 0 whatever happens (a bar hides a failing module): what it prints says
            line = json.loads(done.stdout.strip().splitlines()[-1])
            ok = done.returncode == 0 and isinstance(line, dict) and "text" in line
        except (ValueError, IndexError):
            ok = False
        if not ok:
            why = f"`trayapp status --format waybar` printed no Waybar line ({done.returncode})"
            return {"built": True, "why": why}
        walls.append(wall)
    return {"built": True, "runs_ms": [w * 1000 for w in walls], "wall_ms_median": median(walls) * 1000, "why": ""}


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
