"""Start trays (the app and the baseline) as a user would, and measure them from outside."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import procs
from .sni import SniWatcher

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "bench" / "baseline_tray.py"


@dataclass
class Tray:
    side: str  # "project" or "baseline"
    proc: subprocess.Popen[bytes]
    started: float
    config_dir: Path | None = None
    registered: float | None = None
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def start_to_icon(self) -> float | None:
        return None if self.registered is None else self.registered - self.started


def start(side: str, work: Path, config_dir: Path | None = None) -> Tray:
    if side == "project":
        assert config_dir is not None
        argv = [sys.executable, "-m", "trayapp", "--config-dir", str(config_dir)]
    else:
        argv = [sys.executable, str(BASELINE)]
    log = open(work / f"{side}-{time.monotonic_ns()}.log", "wb")  # noqa: SIM115 (closed with the process)
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
    log.close()
    return Tray(side, proc, started, config_dir)


def stop(tray: Tray) -> None:
    """SIGTERM (both quit cleanly on it), then whatever is left of the process group is killed."""
    with contextlib.suppress(ProcessLookupError):
        tray.proc.send_signal(signal.SIGTERM)
    try:
        tray.proc.wait(5)
    except subprocess.TimeoutExpired:
        tray.proc.kill()
        tray.proc.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(tray.pid, signal.SIGKILL)


def measure_start(watcher: SniWatcher, side: str, work: Path, config_dir: Path | None) -> float:
    tray = start(side, work, config_dir)
    try:
        reg = watcher.wait_for(tray.pid, 30)
        if reg is None:
            raise RuntimeError(f"{side}: no StatusNotifierItem registered within 30 s (see {work})")
        return reg.at - tray.started
    finally:
        stop(tray)


def first_poll_done(tray: Tray, accounts: int) -> bool:
    assert tray.config_dir is not None
    try:
        state = json.loads((tray.config_dir / "state.json").read_text())
    except (OSError, ValueError):
        return False
    done = [s for s in (state.get("accounts") or {}).values() if s.get("last_attempt_at")]
    return len(done) >= accounts and procs.tree(tray.pid) == [tray.pid]


def rest_and_idle(
    watcher: SniWatcher, tray: Tray, accounts: int, rest_seconds: float, idle_seconds: float
) -> dict[str, Any]:
    """Registration, then (the app) its first poll, then rest; RSS; then CPU over the idle window."""
    reg = watcher.wait_for(tray.pid, 30)
    if reg is None:
        raise RuntimeError(f"{tray.side}: no StatusNotifierItem registered within 30 s")
    tray.registered = reg.at
    ready = reg.at
    if tray.side == "project":
        end = time.monotonic() + 90
        while not first_poll_done(tray, accounts):
            if time.monotonic() > end:
                raise RuntimeError("the app's first poll did not end within 90 s")
            time.sleep(0.05)
        ready = time.monotonic()
    time.sleep(max(0.0, ready + rest_seconds - time.monotonic()))
    figures: dict[str, Any] = {
        "first_poll_s": ready - tray.started if tray.side == "project" else None,
        "rss_mib": procs.rss_kib(tray.pid) / 1024,
        "pss_mib": procs.pss_kib(tray.pid) / 1024,
        "processes": len(procs.tree(tray.pid)),
        "threads": procs.thread_names(tray.pid),
    }
    cpu0, ctx0, t0 = procs.cpu_ms(tray.pid), procs.context_switches(tray.pid), time.monotonic()
    time.sleep(idle_seconds)
    figures["idle_cpu_ms"] = procs.cpu_ms(tray.pid) - cpu0
    figures["idle_wakeups"] = procs.wakeups(ctx0, procs.context_switches(tray.pid))
    figures["threads_after_idle"] = procs.thread_names(tray.pid)
    figures["idle_window_s"] = time.monotonic() - t0
    figures["processes_after_idle"] = len(procs.tree(tray.pid))
    return figures


def run_concurrently(jobs: list[Any]) -> list[Any]:
    """Run callables on threads; results in order; the first exception is raised."""
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def call(i: int) -> None:
        try:
            results[i] = jobs[i]()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(i,), daemon=True) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results
