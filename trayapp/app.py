"""The composition root: the only module that knows every class. Builds the tray's object graph and runs it.

Nothing imports it but entry.py (which also hands the CLI a way to start the tray); Qt is imported lazily, and
the service only once the icon is up.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime

from .storage.paths import Paths, resolve_paths

log = logging.getLogger("trayapp")


def run_tray(config_dir: str | None, demo: bool, *, in_process_fetch: bool = False) -> int:
    """Start the tray, or hand over to the one already running. Returns the exit status."""
    import signal
    import socket
    import sys

    from PySide6.QtCore import QSocketNotifier, QTimer
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from . import APP_ID, APP_NAME
    from .platform.hardening import harden
    from .ui.single_instance import SingleInstance

    harden()  # entry.py did it already, unless the tray was started some other way

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    # The name is what Qt gives the panel as the StatusNotifierItem's Title (and its own bubbles' app name).
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setQuitOnLastWindowClosed(False)

    paths_for_lock = _instance_paths(config_dir, demo)
    instance = SingleInstance(paths_for_lock.instance_name)
    if instance.ask_running("details"):
        print("Credit Tray is already running; its details window was brought forward.", file=sys.stderr)
        return 0
    instance.listen()

    # The icon is shown before the service is even imported (the icon is what the user waits for): as
    # it was last drawn, or the empty gauge on a first start. It is redrawn from the state once that is read.
    icon_cache = paths_for_lock.icon_cache
    early = None
    early_spec = None  # what the early icon shows, when known
    from .ui.sni import make_tray_icon, open_item

    own_item = open_item()  # the app's own tray item, where a panel hosts StatusNotifierItems (Linux)
    tray_up = own_item is not None or QSystemTrayIcon.isSystemTrayAvailable()
    if not tray_up:
        # Said at once: without a tray host (stock GNOME has none without the AppIndicator extension) the
        # app would otherwise seem to do nothing. A window stands in for the tray within seconds.
        print(
            "Credit Tray: no system tray found (no StatusNotifierWatcher or XEmbed tray on this desktop); "
            "a window will stand in for it. On GNOME, the AppIndicator extension provides a tray.",
            file=sys.stderr,
            flush=True,
        )
    if tray_up:
        from PySide6.QtGui import QIcon

        from .ui.icon import EMPTY, FIRST_ICON, render_icon

        if icon_cache.exists():
            early = make_tray_icon(QIcon(str(icon_cache)), item=own_item)
        elif FIRST_ICON.exists():  # a first start: the empty gauge, drawn ahead (packaging/make_icons.py)
            early, early_spec = make_tray_icon(QIcon(str(FIRST_ICON)), item=own_item), EMPTY
        else:
            early, early_spec = make_tray_icon(render_icon(EMPTY), item=own_item), EMPTY
        early.show()

    from .service import open_service
    from .ui.tray import TrayController

    service = open_service(config_dir, demo=demo, with_history=False)
    from .core.texts import resolve_language
    from .ui import i18n

    # Before any widget text is made: the UI's language follows the locale unless the settings name one.
    ui_lang = resolve_language(service.config.settings.language)
    if not i18n.install(ui_lang):
        log.warning("no %s translation found; the UI stays in English", ui_lang)
    tray = TrayController(tray_icon=early, icon_cache=icon_cache, shown=early_spec)
    if QSystemTrayIcon.isSystemTrayAvailable():
        # The icon first, drawn from the saved state; the history (a database check and the forecasts)
        # and the rest of the UI (details window, dialogs, notifier, poller) come after it.
        tray.set_views(service.views(datetime.now(UTC)))
        tray.show()
    service.open_history(forecasts=False)  # computed off the UI thread by the controller

    from .ui.controller import AppController
    from .ui.notifier import make_notifier
    from .ui.poller import Poller

    poller = Poller(service.secrets, service.state.identity_salt, in_process=in_process_fetch or demo)
    notifier = make_notifier(tray.tray)
    controller = AppController(service, poller, tray, None, notifier, freeze_heap_at_rest=True)
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
        # Once the icon is up: importing APScheduler is a noticeable part of start-up.
        from .scheduling.scheduler import PollScheduler

        controller.attach_scheduler(
            PollScheduler(
                controller.scheduler_due,
                controller.scheduler_resumed,
                grace_seconds=service.config.settings.poll_interval_minutes * 60,
            )
        )

    QTimer.singleShot(0, start_scheduler)
    log.info("started (%s accounts%s)", len(service.config.accounts), ", demo" if demo else "")
    code = app.exec()
    controller.stop()
    poller.stop()  # a fetch child in the middle of a poll ends with the tray
    instance.close()
    service.save_state()
    signal.set_wakeup_fd(-1)
    return int(code)


def _instance_paths(config_dir: str | None, demo: bool) -> Paths:
    if demo:
        from .service import demo_paths

        return demo_paths(config_dir)
    return resolve_paths(config_dir)
