"""The least a tray app of this design can be: the baseline of `make bench`.

A PySide6 tray icon drawn with QPainter, a two-item menu, shown; only once the event loop runs does it
import keyring, load its backend and start an APScheduler BackgroundScheduler with a one-hour job.
Nothing else. Run with the same interpreter as the app: `python bench/baseline_tray.py`.
"""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

_keep: list[object] = []


def draw_icon() -> QIcon:
    pixmap = QPixmap(64, 64)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#2e9d5b"))
    painter.drawEllipse(4, 4, 56, 56)
    painter.end()
    return QIcon(pixmap)


def load_services() -> None:
    """What every tray of this design needs besides the icon: the OS keyring and a scheduler."""
    import keyring
    from apscheduler.schedulers.background import BackgroundScheduler

    keyring.get_keyring()
    scheduler = BackgroundScheduler()
    scheduler.add_job(lambda: None, "interval", hours=1)
    scheduler.start()
    _keep.append(scheduler)


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    menu = QMenu()
    menu.addAction("Refresh")
    menu.addAction("Quit", app.quit)
    tray = QSystemTrayIcon(draw_icon())
    tray.setContextMenu(menu)
    tray.show()
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    QTimer.singleShot(0, load_services)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
