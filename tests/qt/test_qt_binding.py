"""Guards the pinned Qt binding: PySide6 6.12.0 on Python 3.11 dropped references to None and True on
every Signal.emit and QMenu.clear, and the app aborted at exit ("deallocating None"). The tray emits
signals for every poll result and rebuilds its menu each time it opens, so this must hold."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu


class _Emitter(QObject):
    value = Signal(object)


def _refs() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def test_signal_emit_keeps_refcounts_of_singletons(qapp) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.value.connect(received.append)
    before = _refs()
    for _ in range(500):
        emitter.value.emit([1])
    assert _refs() == before


def test_menu_rebuild_and_action_data_keep_refcounts_of_singletons(qapp) -> None:
    menu = QMenu()
    for _ in range(3):  # warm up caches
        menu.clear()
        menu.addAction("x").triggered.connect(menu.close)
    before = _refs()
    for _ in range(300):
        menu.clear()
        menu.addAction("x").triggered.connect(menu.close)
        QAction("y").data()
    menu.clear()
    after = _refs()
    assert after[1:] == before[1:]
    assert abs(after[0] - before[0]) <= 5
