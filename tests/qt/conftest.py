from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trayapp.service import Service, open_service
from trayapp.ui.controller import AppController
from trayapp.ui.details import DetailsWindow
from trayapp.ui.notifier import TrayMessageNotifier
from trayapp.ui.poller import Poller
from trayapp.ui.tray import TrayController

Factory = Callable[..., AppController]


@pytest.fixture
def make_controller(qtbot, tmp_path: Path) -> Iterator[Factory]:
    made: list[AppController] = []

    def make(
        core: Service | None = None, *, demo: bool = True, clock: Callable[[], datetime] | None = None
    ) -> AppController:
        core = core or open_service(str(tmp_path), demo=demo)
        tray = TrayController(clock=clock)
        details = DetailsWindow(clock=clock)
        qtbot.addWidget(details)
        controller = AppController(
            core,
            Poller(core.secrets, core.state.identity_salt, in_process=True),
            tray,
            details,
            TrayMessageNotifier(tray.tray),
            clock=clock,
        )
        made.append(controller)
        return controller

    yield make
    for c in made:
        c.stop()
        c.details.close()
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def japanese(qapp) -> Iterator[None]:
    """The UI in Japanese (as at a start with a Japanese locale), back to English after the test."""
    from trayapp.ui import i18n

    assert i18n.install("ja")
    try:
        yield
    finally:
        i18n.remove()


def poll_and_wait(qtbot, controller: AppController) -> None:
    """A poll, until what it changed is shown (its forecasts come from a worker thread after its end)."""
    with qtbot.waitSignal(controller.settled, timeout=20000):
        controller.refresh_now()


def now() -> datetime:
    return datetime.now(UTC)
