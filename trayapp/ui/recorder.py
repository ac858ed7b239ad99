"""Bursts of a poll's results: each applied into the service as it arrives, then, a burst at a time, their
forecasts computed off the UI thread, the views made once for all of them and the readings recorded.

Results queued together are handled in one pass of the event loop, so they make one burst: one pass over
the alerts, one history transaction and one redraw for 50 accounts, not 50. The forecasts read the history,
too long for the UI thread with many accounts, so a worker thread computes them on a connection of its own;
back on the UI thread the readings are recorded with the alerts those forecasts give (as `trayapp check`
records them). One worker for the recorder's life, handed each burst: starting a thread waits until it runs,
which under a poll's busy threads stalled the UI thread for milliseconds each burst.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.forecast import Forecast
from ..core.models import FetchResult

if TYPE_CHECKING:
    from ..service import Service

log = logging.getLogger(__name__)


class HistoryRecorder(QObject):
    updated = Signal(object)  # list[AccountView]: a burst is in, and this is what to show
    _ready = Signal(object, object)  # (results, {account id: Forecast}), from the worker thread

    def __init__(self, service: Service, clock: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock
        self._waiting: list[FetchResult] = []  # results applied, not yet handed to a worker
        self._accounts: dict[str, None] = {}  # accounts whose forecast is wanted (an ordered set)
        self._in_work: list[FetchResult] = []  # results whose forecasts are being computed
        self._working = False  # a burst is with the worker
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None  # started with the first burst, ended by stop()
        self._scheduled = False
        self._stopped = False
        self._ready.connect(self._on_ready)

    @property
    def busy(self) -> bool:
        """Results or forecasts not yet in the service, the history and the views."""
        return bool(self._working or self._waiting or self._accounts)

    def add(self, result: FetchResult) -> None:
        """A result, into the service at once (whatever is drawn next shows it, even while a worker runs);
        recorded and shown with the rest of the burst it belongs to."""
        self._service.apply([result], self._clock())
        self._waiting.append(result)
        if self._service.history is not None:
            self._accounts[result.account_id] = None
        self._schedule()

    def forecast(self, account_ids: list[str]) -> None:
        """Compute these accounts' forecasts (at start-up: the history was opened without them)."""
        if self._service.history is None or not account_ids:
            return
        self._accounts.update(dict.fromkeys(account_ids))
        self._schedule()

    def stop(self) -> None:
        """At quit: the worker is waited for and what is not recorded yet is, here and now."""
        self._stopped = True
        if self._worker is not None:
            self._jobs.put(None)
            self._worker.join(5)  # the burst it has, if any, is finished first
        now = self._clock()
        left, self._in_work, self._waiting = self._in_work + self._waiting, [], []
        if left:
            self._service.record(left, now, self._service.views(now))

    def _schedule(self) -> None:
        # Start once this pass of the event loop is over, so one burst takes every result queued with it.
        if not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self._start)

    def _start(self) -> None:
        self._scheduled = False
        if self._stopped or self._working or not (self._waiting or self._accounts):
            return
        service = self._service
        now = self._clock()
        results, self._waiting = self._waiting, []
        history = service.history
        if history is None:  # nothing to forecast or record: shown at once
            self._accounts = {}
            self.updated.emit(service.views(now))
            return
        items = service.forecast_items(self._accounts)
        self._accounts = {}
        self._in_work = results

        def work() -> None:
            try:
                forecasts = history.forecasts_apart(items, now)
            except sqlite3.Error as exc:
                log.warning("forecasts not computed: %s", exc)
                forecasts = {}
            except Exception:  # a bug must not stop the worker: the burst is still recorded and shown
                log.exception("forecasts not computed")
                forecasts = {}
            self._ready.emit(results, forecasts)

        self._working = True
        self._jobs.put(work)
        if self._worker is None:
            self._worker = threading.Thread(target=self._serve, name="forecasts", daemon=True)
            self._worker.start()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            job()

    def _on_ready(self, results: list[FetchResult], forecasts: dict[str, Forecast]) -> None:
        if self._stopped:
            return
        self._working = False
        self._in_work = []
        service = self._service
        service.set_forecasts(forecasts)
        now = self._clock()
        views = service.views(now)
        service.record(results, now, views)
        self.updated.emit(views)
        self._start()  # what arrived meanwhile
