"""In-process measurements on the real AppController (measurements 4, 5 and 6).

`python -m bench.harness refresh|details --config-dir DIR --port PORT ...` prints one JSON object.
The objects are built as `trayapp.app.run_tray` builds them: the real keyring store, the real Poller
with the fetch in a child process (`python -m trayapp.fetch`), the tray icon, the details window.
A QTimer ticking every 5 ms on the UI thread gives the longest stall: the largest gap between ticks.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from . import fixtures, history, procs
from .server import fetch_counts

TICK_MS = 5


class TickMonitor(QObject):
    """Records the time of every tick of a 5 ms precise timer on the UI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))
        self.timer.start()

    def max_gap_ms(self, start: float, end: float) -> float:
        points = [start] + [t for t in self.ticks if start <= t <= end] + [end]
        return max((b - a) * 1000 for a, b in itertools.pairwise(points))


def spin(until: Callable[[], bool], timeout: float) -> bool:
    """Run the event loop (blocked in it, not busy) until `until()` is true; False at the timeout."""
    if until():
        return True
    loop = QEventLoop()
    end = time.monotonic() + timeout
    check = QTimer()
    check.setInterval(10)
    check.timeout.connect(lambda: loop.quit() if until() or time.monotonic() > end else None)
    check.start()
    loop.exec()
    check.stop()
    return until()


def build(config_dir: Path) -> Any:
    from trayapp.service import open_service
    from trayapp.ui.controller import AppController
    from trayapp.ui.notifier import make_notifier
    from trayapp.ui.poller import Poller
    from trayapp.ui.tray import TrayController

    service = open_service(str(config_dir), with_history=False)
    service.open_history(forecasts=False)  # as the tray: the controller computes them on a worker thread
    poller = Poller(service.secrets, service.state.identity_salt)  # fetches in `python -m trayapp.fetch`
    tray = TrayController()
    # As the tray builds it: the details window is made when first opened.
    return AppController(service, poller, tray, None, make_notifier(tray.tray), freeze_heap_at_rest=True)


def account_ids(config_dir: Path) -> list[str]:
    from trayapp.service import open_service

    return [a.id for a in open_service(str(config_dir)).config.accounts]


def by_provider(before: dict[str, dict[str, int]], after: dict[str, dict[str, int]], tags: list[str]) -> dict[str, Any]:
    """Requests per account in one poll, per provider, with the routes asked."""
    out: dict[str, Any] = {}
    for tag in tags:
        provider = fixtures.provider_of_tag(tag)
        entry = out.setdefault(provider, {"accounts": 0, "requests": 0, "routes": {}})
        entry["accounts"] += 1
        for route, n in after.get(tag, {}).items():
            delta = n - before.get(tag, {}).get(route, 0)
            if delta:
                entry["requests"] += delta
                entry["routes"][route] = entry["routes"].get(route, 0) + delta
    for entry in out.values():
        entry["per_account"] = entry["requests"] / entry["accounts"]
        entry["routes"] = {r: n / entry["accounts"] for r, n in sorted(entry["routes"].items())}
    return out


def refresh(args: argparse.Namespace) -> dict[str, Any]:
    config_dir = Path(args.config_dir)
    specs = fixtures.specs(args.accounts, args.port, slow=not args.fast, prefix="r")
    if not (config_dir / "config.json").exists():
        fixtures.add_in_process(config_dir, specs)
        # As for a user who has run it for a year: each poll's forecasts read two weeks of history.
        history_problem = history.seed_year(config_dir, account_ids(config_dir))
        if history_problem:
            raise SystemExit(f"refresh: no history: {history_problem}")
    tags = [s.tag for s in specs]
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    controller = build(config_dir)
    monitor = TickMonitor()
    finished: list[float] = []
    settled: list[float] = []
    controller.poller.finished.connect(lambda: finished.append(time.monotonic()))
    controller.settled.connect(lambda: settled.append(time.monotonic()))
    polls: list[dict[str, Any]] = []

    def one(label: str, start: Callable[[], None]) -> None:
        before = fetch_counts(args.port)
        count, calm = len(finished), len(settled)
        cpu0 = cpu_seconds()
        t0 = time.monotonic()
        start()
        if not spin(lambda: len(finished) > count, 60):
            raise SystemExit(f"{label}: the poll did not finish within 60 s")
        t1 = finished[-1]
        # What the UI does right after (the history, the forecasts, the alerts), counted as part of it.
        if not spin(lambda: len(settled) > calm, 30):
            raise SystemExit(f"{label}: the poll did not settle within 30 s")
        t2 = settled[-1] + 0.2
        spin(lambda: time.monotonic() > t2, 1)
        cpu1 = cpu_seconds()
        views = controller.service.views(controller.clock())
        failed = [v for v in views if v.error is not None]
        if failed:  # a poll that failed measures nothing: 500 accounts refused by the keyring once took 0.36 s
            error = failed[0].error
            assert error is not None
            raise SystemExit(f"{label}: {len(failed)} of {len(views)} accounts failed ({error.title}: {error.message})")
        polls.append(
            {
                "label": label,
                "wall_s": t1 - t0,
                "settled_s": t2 - 0.2 - t0,
                "max_gap_ms": monitor.max_gap_ms(t0, t2),
                # this process (the tray's objects) and the fetch child, which has been waited for by now
                "cpu_tray_s": cpu1[0] - cpu0[0],
                "cpu_child_s": cpu1[1] - cpu0[1],
                "errors": sum(1 for v in views if v.error is not None),
                "requests": by_provider(before, fetch_counts(args.port), tags),
            }
        )

    spin(lambda: time.monotonic() > monitor.ticks[0] + 0.3 if monitor.ticks else False, 5)
    one("first poll (keys read from the keyring, identities not cached)", controller.start)
    for i in range(args.runs):
        spin(lambda: False, 0.3)
        one(f"refresh {i + 1}", controller.refresh_now)
    spin(lambda: False, args.rest)  # at rest, as between polls: what the accounts keep in memory
    rss_rest_kib = procs.rss_kib(os.getpid())
    controller.stop()
    measured = polls[1:]
    return {
        "accounts": args.accounts,
        "fast": args.fast,
        "rss_rest_kib": rss_rest_kib,
        "cpu_s_median": statistics.median(p["cpu_tray_s"] + p["cpu_child_s"] for p in measured),
        "first_poll": polls[0],
        "refreshes": measured,
        "wall_s_median": statistics.median(p["wall_s"] for p in measured),
        "max_gap_ms_median": statistics.median(p["max_gap_ms"] for p in measured),
        "max_gap_ms_worst": max(p["max_gap_ms"] for p in measured),
    }


def cpu_seconds() -> tuple[float, float]:
    """utime + stime of this process and of its children that have ended (the fetch child of each poll)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


class PaintProbe(QObject):
    """Notes the first paint of the window, and the moment that paint pass has finished."""

    def __init__(self) -> None:
        super().__init__()
        self.first_paint: float | None = None
        self.painted: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.first_paint is None:
            self.first_paint = time.monotonic()
            QTimer.singleShot(0, self._done)  # runs once the whole synchronous paint pass returned
        return False

    def _done(self) -> None:
        self.painted = time.monotonic()


def details(args: argparse.Namespace) -> dict[str, Any]:
    config_dir = Path(args.config_dir)
    specs = fixtures.specs(args.accounts, args.port, prefix="d")
    if not (config_dir / "config.json").exists():
        fixtures.add_in_process(config_dir, specs)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    ids = account_ids(config_dir)
    history_problem = history.seed_year(config_dir, ids)
    controller = build(config_dir)
    controller.start()  # polls only the accounts without a reading yet (the first run)
    spin(lambda: not controller.poller.in_flight(), 60)
    spin(lambda: False, 0.5)
    probe = PaintProbe()
    t0 = time.monotonic()
    # The window is built on first use (as when the menu's Details… is chosen): that is in the time.
    controller.details.installEventFilter(probe)
    controller.open_details()
    ok = spin(lambda: probe.painted is not None, 5)
    result = {
        "accounts": len(ids),
        "rows": controller.details.table.rowCount(),
        "open_to_painted_ms": (probe.painted - t0) * 1000 if ok and probe.painted else None,
        "open_to_first_paint_ms": (probe.first_paint - t0) * 1000 if probe.first_paint else None,
        "history": history_problem or "a year of history per account",
        "history_seeded": history_problem is None,
    }
    controller.stop()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.harness")
    parser.add_argument("mode", choices=["refresh", "details"])
    parser.add_argument("--config-dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fast", action="store_true", help="refresh: answers at once (the CPU of a poll)")
    parser.add_argument("--rest", type=float, default=2.0, help="refresh: seconds at rest before the RSS")
    args = parser.parse_args()
    result = refresh(args) if args.mode == "refresh" else details(args)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
