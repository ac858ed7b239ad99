"""Runs polls off the UI thread and hands results back by Qt signals (queued into the GUI thread)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal

from ..core.models import Account, AccountState, FetchResult
from ..fetch import Job, child_env, prepare_jobs, run_in_child, run_jobs
from ..fetch.child import start_children, stop_children
from ..secrets.secret import Secret
from ..secrets.store import SecretStore

Runner = Callable[..., list[FetchResult]]


class Poller(QObject):
    result = Signal(object)  # FetchResult, one per account as it arrives
    finished = Signal()  # the poll is over: each of its results came through `result`
    tested = Signal(object, object)  # (token, FetchResult) of a dialog's test poll

    def __init__(self, store: SecretStore, salt: str, *, in_process: bool = False) -> None:
        super().__init__()
        self._store = store
        self._salt = salt
        self._in_process = in_process
        self._runner: Runner = run_jobs if in_process else self._child
        self._in_flight: set[str] = set()
        self._lock = threading.Lock()
        self._stopped = False

    @staticmethod
    def _child(jobs: Sequence[Job], now: datetime, salt: str, **kw: object) -> list[FetchResult]:
        return run_in_child(jobs, now, salt, env=child_env(), **kw)  # type: ignore[arg-type]

    def stop(self) -> None:
        """The tray quits: no poll starts any more, and every fetch child running ends now, not at its
        deadline (each also ends by itself when the tray's process does: fetch/child.py)."""
        self._stopped = True
        stop_children()

    def in_flight(self) -> set[str]:
        with self._lock:
            return set(self._in_flight)

    def poll(self, accounts: Sequence[Account], states: dict[str, AccountState]) -> bool:
        """Start a poll of these accounts, skipping any already in flight. False if nothing started."""
        if self._stopped:
            return False
        with self._lock:
            todo = [a for a in accounts if a.id not in self._in_flight]
            self._in_flight.update(a.id for a in todo)
        if not todo:
            return False
        snapshot_states = dict(states)

        def work() -> None:
            # The children first (one, or two for a large poll): each starts and loads its HTTP stack and the
            # accounts' providers while the keys are read, then takes its share of the jobs.
            children = [] if self._in_process else start_children(todo, child_env())
            try:
                jobs, failed = prepare_jobs(todo, snapshot_states, self._store)  # keyring: bounded waits
                for r in failed:
                    self.result.emit(r)
                if self._in_process:
                    self._runner(jobs, datetime.now(UTC), self._salt, on_result=self.result.emit)
                else:
                    started, children = children, []  # run_in_child owns them now, and ends them
                    run_in_child(jobs, datetime.now(UTC), self._salt, on_result=self.result.emit, started=started)
            finally:
                for child in children:  # the keys could not be read: the children are not needed
                    child.discard()
                with self._lock:
                    self._in_flight.difference_update(a.id for a in todo)
                self.finished.emit()

        threading.Thread(target=work, name="poll", daemon=True).start()
        return True

    def test(self, token: object, account: Account, secrets: dict[str, Secret]) -> None:
        """A dialog's test poll with keys not yet stored."""

        def work() -> None:
            results = self._runner([Job(account, secrets)], datetime.now(UTC), self._salt)
            self.tested.emit(token, results[0])

        threading.Thread(target=work, name="test-poll", daemon=True).start()
