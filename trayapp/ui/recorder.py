"""A poll's results into the history, with the forecasts of their accounts computed off the UI thread.

A forecast reads two weeks of its account's history: ~1 ms an account, 50-70 ms for 50 accounts with a
year of history, too long for the UI thread (issue 9: it must never stall for more than 50 ms). So each
burst of results goes to a worker thread, which computes their accounts' forecasts on a connection of its
own; back on the UI thread the forecasts go into the monitor and the readings are recorded in one
transaction, with the alerts those forecasts give (as `trayapp check` records them).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.forecast import Forecast
from ..core.monitor import FetchResult

if TYPE_CHECKING:
    from ..app import Core

log = logging.getLogger(__name__)


class HistoryRecorder(QObject):
    updated = Signal()  # forecasts and history changed: what shows them is to be redrawn
    _ready = Signal(object, object)  # (results, {account id: Forecast}), from the worker thread

    def __init__(self, core: Core, clock: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._core = core
        self._clock = clock
        self._waiting: list[FetchResult] = []  # results not yet handed to a worker
        self._accounts: dict[str, None] = {}  # accounts whose forecast is wanted (an ordered set)
        self._in_work: list[FetchResult] = []  # results of the running worker
        self._worker: threading.Thread | None = None
        self._scheduled = False
        self._stopped = False
        self._ready.connect(self._on_ready)

    @property
    def busy(self) -> bool:
        """Results or forecasts not yet in the monitor and the history."""
        return bool(self._worker is not None or self._waiting or self._accounts)

    def add(self, result: FetchResult) -> bool:
        """A result already in the monitor; it is recorded once the burst it belongs to has arrived. False
        when there is no history to record it in (then `updated` will not follow)."""
        if self._core.history is None:
            return False
        self._waiting.append(result)
        self._accounts[result.account_id] = None
        self._schedule()
        return True

    def forecast(self, account_ids: list[str]) -> None:
        """Compute these accounts' forecasts (at start-up: the history was opened without them)."""
        if self._core.history is None or not account_ids:
            return
        self._accounts.update(dict.fromkeys(account_ids))
        self._schedule()

    def stop(self) -> None:
        """At quit: the worker is waited for and what is not recorded yet is, here and now."""
        self._stopped = True
        if self._worker is not None:
            self._worker.join(5)
        left, self._in_work, self._waiting = self._in_work + self._waiting, [], []
        if left:
            self._core.record(left, self._clock())

    def _schedule(self) -> None:
        # Results queued together are handled in one pass of the event loop: start once that pass is over,
        # so one worker takes the whole burst.
        if not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self._start)

    def _start(self) -> None:
        self._scheduled = False
        history = self._core.history
        if self._stopped or history is None or self._worker is not None or not self._accounts:
            return
        states = self._core.monitor.states
        items = [(a, states[a].last_good if a in states else None) for a in self._accounts]
        results, self._waiting, self._accounts = self._waiting, [], {}
        self._in_work = results
        now = self._clock()

        def work() -> None:
            try:
                forecasts = history.forecasts_apart(items, now)
            except sqlite3.Error as exc:
                log.warning("forecasts not computed: %s", exc)
                forecasts = {}
            self._ready.emit(results, forecasts)

        self._worker = threading.Thread(target=work, name="forecasts", daemon=True)
        self._worker.start()

    def _on_ready(self, results: list[FetchResult], forecasts: dict[str, Forecast]) -> None:
        if self._stopped:
            return
        if self._worker is not None:
            self._worker.join()  # it has emitted: it is ending
            self._worker = None
        self._in_work = []
        monitor = self._core.monitor
        known = {a.id for a in monitor.accounts}  # an account may have been removed meanwhile
        monitor.forecasts.update({a: f for a, f in forecasts.items() if a in known})
        self._core.record(results, self._clock(), forecasts=False)
        self._start()  # what arrived meanwhile
        self.updated.emit()
