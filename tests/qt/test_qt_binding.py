"""Guards the pinned Qt binding: PySide6 6.12.0 on Python 3.11 dropped references to None and True on
every Signal.emit and QMenu.clear, and the app aborted at exit ("deallocating None"). The tray emits
signals for every poll result and rebuilds its menu each time it opens, so this must hold."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu


class _Emitter(QObject):
    value = Signal(object)


N = 1000


def _refs() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def _drift(before: tuple[int, int, int], after: tuple[int, int, int]) -> int:
    """The largest change. Other threads move these counts a little; the bug moved them by N."""
    return max(abs(b - a) for a, b in zip(before, after, strict=True))


def test_signal_emit_keeps_refcounts_of_singletons(qapp) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.value.connect(received.append)
    gc.collect()
    gc.disable()
    try:
        before = _refs()
        for _ in range(N):
            emitter.value.emit([1])
        after = _refs()
    finally:
        gc.enable()
    assert _drift(before, after) < N // 4


def test_menu_rebuild_and_action_data_keep_refcounts_of_singletons(qapp) -> None:
    menu = QMenu()
    for _ in range(3):  # warm up caches
        menu.clear()
        menu.addAction("x").triggered.connect(menu.close)
    gc.collect()
    gc.disable()
    try:
        before = _refs()
        for _ in range(N):
            menu.clear()
            menu.addAction("x").triggered.connect(menu.close)
            QAction("y").data()
        menu.clear()
        after = _refs()
    finally:
        gc.enable()
    assert _drift(before, after) < N // 4
