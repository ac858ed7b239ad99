"""`trayapp serve`: the tray's polling without the tray. No Qt is imported (a server has no display): the
service, the scheduler and the fetch child are the tray's own, and /metrics is served by prometheus-client.

The poll loop is the controller's, reduced to its core: the scheduler's "poll" job only wakes this thread;
it asks the service which accounts are due, fetches them in the short-lived child process (a provider that
hangs is killed there, never leaves a thread behind in a process that runs for months), and `Service.take`
applies, records and saves them (state.json, which `trayapp status` reads), then re-arms the job.

/metrics binds to loopback unless `--allow-remote` is given: whoever can reach the port reads every balance.
The accounts are read at start: after adding or removing one, restart the service.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core.monitor import AccountView
    from ..service import Service

log = logging.getLogger("trayapp.serve")
RETRY_AFTER_CRASH = timedelta(minutes=1)


class ServeError(ValueError):
    pass


def parse_listen(text: str, *, allow_remote: bool) -> tuple[str, int]:
    """ "ADDR:PORT" ("[::1]:9464" for IPv6) into (address, port); anything but loopback needs `allow_remote`."""
    host, sep, port_text = text.strip().rpartition(":")
    if not sep or not host:
        raise ServeError(f"--listen {text!r}: give ADDR:PORT, e.g. 127.0.0.1:9464")
    host = host.removeprefix("[").removesuffix("]")
    try:
        port = int(port_text)
    except ValueError:
        raise ServeError(f"--listen {text!r}: {port_text!r} is not a port number") from None
    if not 0 < port < 65536:
        raise ServeError(f"--listen {text!r}: the port must be 1-65535")
    if host == "localhost":
        return "127.0.0.1", port
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ServeError(f"--listen {text!r}: {host!r} is not an IP address") from None
    if not address.is_loopback and not allow_remote:
        raise ServeError(
            f"--listen {text!r} is not a loopback address: anyone who can reach it reads every balance. "
            "Add --allow-remote to serve it anyway (better: keep loopback and let Prometheus scrape through "
            "a reverse proxy with authentication)."
        )
    return host, port


class Poller:
    """The latest views and poll duration, for the collector; one poll at a time, on the caller's thread."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self._lock = threading.Lock()
        self._views: list[AccountView] = service.views(datetime.now(UTC))
        self._seconds: float | None = None

    def latest(self) -> tuple[Sequence[AccountView], float | None]:
        with self._lock:
            return list(self._views), self._seconds

    def poll_due(self) -> datetime | None:
        """Poll the accounts that are due; returns when the next one is."""
        from ..fetch import child_env, prepare_jobs, run_in_child

        service = self.service
        now = datetime.now(UTC)
        due = service.accounts_due(now)
        if due:
            started = time.monotonic()
            jobs, failed = prepare_jobs(due, service.monitor.states, service.secrets)
            results = failed + run_in_child(jobs, now, service.state.identity_salt, env=child_env())
            seconds = time.monotonic() - started
            now = datetime.now(UTC)
            views = service.take(results, now)
            with self._lock:
                self._views, self._seconds = views, seconds
            log.info("polled %d account(s) in %.1f s", len(due), seconds)
        else:
            with self._lock:  # ages and staleness move on without a poll
                self._views = service.views(now)
        return service.next_wakeup(now)


def run_serve(config_dir: str | None, demo: bool, host: str, port: int) -> int:
    from prometheus_client import start_http_server

    from ..scheduling.scheduler import PollScheduler
    from ..service import open_service
    from .metrics import registry_of

    service = open_service(config_dir, demo=demo)
    for problem in service.problems:
        print(f"trayapp: {problem}", file=sys.stderr)
    poller = Poller(service)
    try:
        server, _thread = start_http_server(port, addr=host, registry=registry_of(poller.latest))
    except OSError as exc:
        print(f"trayapp serve: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    shown = f"[{host}]" if ":" in host else host
    print(f"trayapp serve: metrics on http://{shown}:{port}/metrics", file=sys.stderr, flush=True)

    wake = threading.Event()
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()
        wake.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    resumed = threading.Event()

    def on_resume(_slept: float) -> None:  # timers did not run while the machine slept
        resumed.set()
        wake.set()

    scheduler = PollScheduler(wake.set, on_resume)
    scheduler.start()
    try:
        wake.set()  # the first poll at once: what is due since the last run
        while not stop.is_set():
            wake.wait()
            wake.clear()
            if stop.is_set():
                break
            if resumed.is_set():
                resumed.clear()
                service.mark_due()
            try:
                scheduler.arm(poller.poll_due())
            except Exception as exc:  # a service that runs for months must outlive one bad poll
                log.error("poll failed with %s; trying again in a minute", type(exc).__name__)
                scheduler.arm(datetime.now(UTC) + RETRY_AFTER_CRASH)
    finally:
        scheduler.shutdown()
        server.shutdown()
        service.save_state()
    return 0
