"""The composition root: the only module that knows every class. Builds the object graph and runs it.

`build_core` is Qt-free (the CLI uses it); `run_tray` imports Qt lazily and wires the tray.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .storage.paths import Paths, resolve_paths

# The core is imported where it is used: the tray shows its icon before loading it (issue 9).
if TYPE_CHECKING:
    from .core.monitor import FetchResult, Monitor
    from .secrets.store import SecretStore
    from .storage.config import Config, ConfigStore
    from .storage.history import HistoryStore
    from .storage.state import AppState, StateStore

log = logging.getLogger("trayapp")


@dataclass
class Core:
    """The Qt-free services, shared by the tray and the CLI."""

    paths: Paths
    demo: bool
    config_store: ConfigStore | None  # None in demo: the demo never writes the user's settings
    state_store: StateStore
    secrets: SecretStore
    config: Config
    state: AppState
    monitor: Monitor
    problems: list[str] = field(default_factory=list)
    history: HistoryStore | None = None  # None when the history file cannot be opened (the user is told)
    _write_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _file_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _write_seq: int = 0
    _written_seq: int = 0

    def save_config(self) -> None:
        from .core.texts import resolve_language

        if self.config_store is not None:
            self.config_store.save(self.config)
        self.monitor.set_accounts(self.config.accounts)
        self.monitor.settings = self.config.settings
        self.monitor.lang = resolve_language(self.config.settings.language)

    def save_state(self, *, background: bool = False) -> None:
        """Write state.json. `background`: encode now, write (and fsync) on a worker thread, so the tray's
        UI thread does not wait on the disk; writes never go back in time (an older one is dropped)."""
        self.state.accounts = dict(self.monitor.states)
        data = self.state_store.encode(self.state)
        with self._write_lock:
            self._write_seq += 1
            seq = self._write_seq
        if not background:
            self._write_state(seq, data)
            return
        import threading

        threading.Thread(target=self._write_state, args=(seq, data), name="state-write", daemon=True).start()

    def _write_state(self, seq: int, data: bytes) -> None:
        with self._file_lock:
            if seq < self._written_seq:
                return  # a newer state is already on disk
            self.state_store.write(data)
            self._written_seq = seq

    def open_history(self, *, forecasts: bool = True) -> None:
        """`forecasts=False`: the caller computes them (the tray, on a worker thread)."""
        from .storage.history import open_history

        self.history = open_history(
            self.paths.history_file, self.monitor, self.problems, seed=self.demo, forecasts=forecasts
        )

    def apply(
        self, results: list[FetchResult], now: datetime | None = None, *, save: bool = True, record: bool = True
    ) -> None:
        """Into the monitor and the history. The tray batches the rest of a burst of results: `save=False`
        leaves writing state.json to it (once per poll), `record=False` the history (`record`, once per burst:
        one transaction and one pass over the alerts for 50 accounts, not 50)."""
        now = now or datetime.now(UTC)
        for r in results:
            if r.error is not None:
                log.debug("%s: %s: %s: %s", r.account_id, r.error.kind.value, r.error.title, r.error.message)
            else:
                log.debug("%s: read", r.account_id)
        self.monitor.apply(results, now)
        if record:
            self.record(results, now)
        if save:
            self.save_state()

    def record(self, results: list[FetchResult], now: datetime, *, forecasts: bool = True) -> None:
        """Results already in the monitor into the history, and (unless `forecasts=False`: the tray computes
        them on a worker thread) the forecasts of those accounts updated."""
        if self.history is not None and results:
            from .storage.history import record_results

            record_results(self.history, self.monitor, results, now, forecasts=forecasts)


def build_core(config_dir: str | None = None, *, demo: bool = False, with_history: bool = True) -> Core:
    """`with_history=False` leaves the history closed: the tray opens it (`Core.open_history`) once its icon
    is up, since opening it checks the database and loads the forecasts."""
    from .core.models import AccountState
    from .core.monitor import Monitor
    from .core.texts import resolve_language
    from .secrets.secret import Secret
    from .secrets.store import KeyringStore, MemorySecretStore
    from .storage.atomic import remove_stale_temps
    from .storage.config import Config, ConfigStore, LoadReport
    from .storage.state import StateStore

    problems: list[str] = []
    if demo:
        from .providers.demo import demo_accounts

        # The demo never touches the user's files; it starts afresh each time, so every alert shows.
        root = Path(config_dir) / "demo" if config_dir else Path(tempfile.gettempdir()) / _demo_dir_name()
        paths = Paths(config_dir=root, data_dir=root)
        paths.ensure()
        paths.state_file.unlink(missing_ok=True)
        now = datetime.now(UTC)
        config = Config(accounts=demo_accounts(now))
        config_store = None
        secrets: SecretStore = MemorySecretStore({(a.id, "api"): Secret(f"demo-key-{a.id}") for a in config.accounts})
    else:
        paths = resolve_paths(config_dir)
        paths.ensure()
        config_store = ConfigStore(paths.config_file)
        report = LoadReport()
        config = config_store.load(report)
        problems.extend(report.problems)
        secrets = KeyringStore()
    setup_logging(paths)
    for problem in problems:
        log.warning("%s", problem)
    for directory in {paths.config_dir, paths.data_dir}:
        for tmp in remove_stale_temps(directory):
            log.info("removed %s, left by a save that was cut short", tmp.name)
    state_store = StateStore(paths.state_file)
    state = state_store.load(problems)
    known = {a.id for a in config.accounts}
    states: dict[str, AccountState] = {k: v for k, v in state.accounts.items() if k in known}
    monitor = Monitor(config.accounts, config.settings, states, lang=resolve_language(config.settings.language))
    monitor.notified = frozenset(state.notified)
    core = Core(paths, demo, config_store, state_store, secrets, config, state, monitor, problems)
    if with_history:
        core.open_history()
    return core


def _demo_dir_name() -> str:
    import os

    return f"credit-tray-demo-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


# ---------------------------------------------------------------- logging


class RedactingFilter(logging.Filter):
    """Defence in depth: nothing is logged with a key in it, but if it were, it would be masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        from .secrets.keys import mask_keylike

        message = record.getMessage()
        redacted = mask_keylike(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def setup_logging(paths: Paths, level: int | None = None) -> None:
    """The rotating log file; its level from `level`, else TRAYAPP_LOG_LEVEL (e.g. DEBUG), else INFO."""
    import logging.handlers

    if level is None:
        import os

        named = logging.getLevelName(os.environ.get("TRAYAPP_LOG_LEVEL", "INFO").strip().upper())
        level = named if isinstance(named, int) else logging.INFO
    root = logging.getLogger("trayapp")
    if any(getattr(h, "_trayapp", False) for h in root.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(paths.log_file, maxBytes=512 * 1024, backupCount=3, encoding="utf-8")
    handler._trayapp = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)


# ---------------------------------------------------------------- the tray


def run_tray(config_dir: str | None, demo: bool, *, in_process_fetch: bool = False) -> int:
    """Start the tray, or hand over to the one already running. Returns the exit status."""
    import signal
    import socket
    import sys

    from PySide6.QtCore import QSocketNotifier, QTimer
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from . import APP_ID, APP_NAME
    from .ui.single_instance import SingleInstance

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setQuitOnLastWindowClosed(False)

    paths_for_lock = _instance_paths(config_dir, demo)
    instance = SingleInstance(paths_for_lock.instance_name)
    if instance.ask_running("details"):
        print("Credit Tray is already running; its details window was brought forward.", file=sys.stderr)
        return 0
    instance.listen()

    # The icon is shown before the core is even imported (issue 9: the icon is what the user waits for): as
    # it was last drawn, or the empty gauge on a first start. It is redrawn from the state once that is read.
    icon_cache = paths_for_lock.data_dir / "tray-icon.png"
    early = None
    early_spec = None  # what the early icon shows, when known
    if QSystemTrayIcon.isSystemTrayAvailable():
        from PySide6.QtGui import QIcon

        from .ui.icon import EMPTY, render_icon

        if icon_cache.exists():
            early = QSystemTrayIcon(QIcon(str(icon_cache)))
        else:
            early, early_spec = QSystemTrayIcon(render_icon(EMPTY)), EMPTY
        early.show()

    from .ui.tray import TrayController

    core = build_core(config_dir, demo=demo, with_history=False)
    from .core.texts import resolve_language
    from .ui import i18n

    # Before any widget text is made: the UI's language follows the locale unless the settings name one.
    ui_lang = resolve_language(core.config.settings.language)
    if not i18n.install(ui_lang):
        log.warning("no %s translation found; the UI stays in English", ui_lang)
    tray = TrayController(tray_icon=early, icon_cache=icon_cache, shown=early_spec)
    if QSystemTrayIcon.isSystemTrayAvailable():
        # The icon first, drawn from the saved state; the history (a database check and the forecasts)
        # and the rest of the UI (details window, dialogs, notifier, poller) come after it (issue 9).
        tray.set_views(core.monitor.views(datetime.now(UTC)))
        tray.show()
    core.open_history(forecasts=False)  # computed off the UI thread by the controller

    from .ui.controller import AppController
    from .ui.notifier import make_notifier
    from .ui.poller import Poller

    poller = Poller(core.secrets, core.state.identity_salt, in_process=in_process_fetch or demo)
    notifier = make_notifier(tray.tray)
    controller = AppController(core, poller, tray, None, notifier)
    instance.activated.connect(controller.handle_instance_request)
    controller.quit_requested.connect(app.quit)

    # Ctrl-C / SIGTERM: Python handlers run only when Python runs, so wake the Qt loop through a socket.
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: None)
    notifier_fd = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

    def on_signal() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)
        log.info("quitting on signal")
        app.quit()

    notifier_fd.activated.connect(on_signal)

    controller.start()

    def start_scheduler() -> None:
        # Once the icon is up: importing APScheduler costs ~0.1 s of start-up (issue 9).
        from .scheduling.scheduler import PollScheduler

        controller.attach_scheduler(
            PollScheduler(
                controller.scheduler_due,
                controller.scheduler_resumed,
                grace_seconds=core.config.settings.poll_interval_minutes * 60,
            )
        )

    QTimer.singleShot(0, start_scheduler)
    log.info("started (%s accounts%s)", len(core.config.accounts), ", demo" if demo else "")
    code = app.exec()
    controller.stop()
    instance.close()
    core.save_state()
    signal.set_wakeup_fd(-1)
    return int(code)


def _instance_paths(config_dir: str | None, demo: bool) -> Paths:
    if demo:
        root = Path(config_dir) / "demo" if config_dir else Path(tempfile.gettempdir()) / _demo_dir_name()
        return Paths(config_dir=root, data_dir=root)
    return resolve_paths(config_dir)
