"""The tray's heap is frozen once, at its first rest (platform.memory.freeze_heap): at rest, the interpreter's
full collections then walk only what was made since, not the ~40k objects the start-up built (each one ~20 ms
of the UI thread's CPU, found by make bench's idle measurement). Each case runs in a process of its own: a
freeze is for the process's life, and pytest's shared heap must not be frozen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROUNDS = """
import gc, json, sys
from PySide6.QtWidgets import QApplication
from trayapp.service import open_service
from trayapp.ui.controller import AppController
from trayapp.ui.notifier import TrayMessageNotifier
from trayapp.ui.poller import Poller
from trayapp.ui.tray import TrayController

app = QApplication([])
service = open_service(sys.argv[1], demo=True)
tray = TrayController()
controller = AppController(
    service, Poller(service.secrets, service.state.identity_salt, in_process=True), tray, None,
    TrayMessageNotifier(tray.tray), freeze_heap_at_rest=sys.argv[2] == "tray",
)
seen = []

def settled():
    if controller.poller.in_flight():
        return
    seen.append({"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects())})
    if len(seen) == 2:
        app.quit()
    else:
        controller.refresh_now()

controller.settled.connect(settled)
controller.start()
app.exec()
controller.stop()
print(json.dumps(seen))
"""


def rounds(tmp_path: Path, mode: str) -> list[dict[str, int]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(ROUNDS), str(tmp_path), mode],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    seen: list[dict[str, int]] = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(seen) == 2
    return seen


def test_the_tray_freezes_its_heap_once_at_its_first_rest(tmp_path: Path) -> None:
    first, second = rounds(tmp_path, "tray")
    # What start-up built is out of the collector's reach: a full collection walks a small part of the heap.
    assert first["frozen"] > 10_000
    assert first["tracked"] < first["frozen"] / 4
    # Once: the second round's objects are left to the collector (a freeze every round would have taken them,
    # leaving nothing tracked, and would keep each round's cyclic garbage for good).
    assert second["tracked"] > 50
    assert second["frozen"] <= first["frozen"]  # frozen objects freed since (readings replaced) leave it


def test_a_controller_in_a_shared_process_leaves_the_heap_alone(tmp_path: Path) -> None:
    first, second = rounds(tmp_path, "test")
    assert first["frozen"] == second["frozen"] == 0
