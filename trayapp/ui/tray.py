"""The tray icon, its tooltip and its menu. The menu is rebuilt from current state each time it opens
(GNOME shows no tooltips, so every account's line is in the menu too)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from .. import APP_NAME
from ..core.models import Status
from ..core.monitor import AccountView, most_urgent, worst_severity
from . import i18n
from .icon import EMPTY, IconSpec, render_icon


def spec_for(views: list[AccountView]) -> IconSpec:
    """What the icon shows: the most urgent account's gauge, dimmed when stale, badged by the worst alert."""
    urgent = most_urgent(views)
    if urgent is None:
        return EMPTY
    badge = worst_severity(a for v in views for a in v.alerts)
    stale = urgent.status is Status.STALE
    return IconSpec(urgent.level.name, gauge_fraction(urgent), stale, badge)


def gauge_fraction(view: AccountView) -> float | None:
    snap = view.snapshot
    if snap is None or snap.remaining is None:
        return None
    if snap.remaining <= 0:
        return 0.0
    if snap.granted_total is not None and snap.granted_total > 0:
        total = snap.granted_total
    elif snap.remaining_granted is not None and snap.remaining_paid is not None:
        total = snap.remaining_granted + snap.remaining_paid
    else:
        total = snap.remaining
    return float(min(Decimal(1), max(Decimal("0.04"), snap.remaining / total)))


def account_line(view: AccountView, now: datetime) -> str:
    """One line per account: label, remaining with currency, days to expiry, age of the data."""
    lang = i18n.language()
    parts = [f"{view.account.label}: {view.remaining_in(lang)}"]
    if view.days_to_expiry is not None:
        parts.append(
            QCoreApplication.translate("TrayController", "expires today")
            if view.days_to_expiry == 0
            else QCoreApplication.translate("TrayController", "{days} d left").format(days=view.days_to_expiry)
        )
    if view.status.value == "stale":
        parts.append(QCoreApplication.translate("TrayController", "stale"))
    parts.append(view.age_in(now, lang))
    line = " · ".join(parts)
    if view.alerts:
        line = ("⚠ " if any(a.severity.value == "critical" for a in view.alerts) else "• ") + line
    return line


class TrayController(QObject):
    refresh_requested = Signal()
    details_requested = Signal(str)  # account id, or "" for the window itself
    add_requested = Signal()
    settings_requested = Signal()
    snooze_requested = Signal(str)  # "1h" | "8h" | "tomorrow" | "resume"
    quit_requested = Signal()

    def __init__(
        self,
        clock: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
        *,
        tray_icon: QSystemTrayIcon | None = None,
        icon_cache: Path | None = None,
        shown: IconSpec | None = None,
    ) -> None:
        """`tray_icon`: an icon already shown (start-up shows the cached one early) to take over, so the panel
        keeps one item; `shown`: what it shows, when known (not drawn again if the state shows the same);
        `icon_cache`: where the last drawn icon is kept for that."""
        super().__init__(parent)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._views: list[AccountView] = []
        self._spec: IconSpec | None = None
        self.status_line: str | None = None  # e.g. "Keyring locked", shown atop the menu
        self._busy = False
        self._snoozed_until: datetime | None = None
        self.icon_renders = 0  # how many times the icon was drawn (it must not be redrawn needlessly)
        self.menu = QMenu()
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self.snooze_menu = QMenu(self.tr("Snooze notifications"))
        for key, text in (
            ("1h", self.tr("For 1 hour")),
            ("8h", self.tr("For 8 hours")),
            ("tomorrow", self.tr("Until tomorrow, 8:00")),
        ):
            self._add(self.snooze_menu, text, partial(self.snooze_requested.emit, key))
        self._icon_cache: Path | None = None
        self._cached_spec: IconSpec | None = None  # what the icon cache file shows
        self._menu_shape: tuple[object, ...] | None = None  # which entries the menu has (see rebuild_menu)
        self._account_actions: dict[str, QAction] = {}
        self._resume_action: QAction | None = None
        self._refresh_action: QAction | None = None
        if tray_icon is None:
            self.tray = self._new_icon()
            self.set_views([])
        else:
            self.tray = self._adopt(tray_icon)  # keeps its cached picture until the state is drawn
            self._spec = shown
            self.tray.setToolTip(self.tooltip())
        self._icon_cache = icon_cache
        self.rebuild_menu()

    # ------------------------------------------------------------ state

    def set_views(self, views: list[AccountView]) -> None:
        self._views = list(views)
        spec = spec_for(self._views)
        if spec != self._spec:
            self._spec = spec
            self.tray.setIcon(render_icon(spec))
            self.icon_renders += 1
            self._cached_spec = None
        if self._icon_cache is not None and self._cached_spec != spec:
            self._save_icon(self.tray.icon(), self._icon_cache)
            self._cached_spec = spec
        self.tray.setToolTip(self.tooltip())
        if not self.menu.isVisible():
            # SNI hosts (xfce4-panel, KDE) size the exported menu from the layout they already have,
            # before aboutToShow's rebuild reaches them: keep it current, or the menu opens cut short.
            self.rebuild_menu()

    @property
    def busy(self) -> bool:
        """A poll is running: the menu says "Refreshing…" instead of offering "Refresh now"."""
        return self._busy

    @busy.setter
    def busy(self, value: bool) -> None:
        if value != self._busy:
            self._busy = value
            if not self.menu.isVisible():
                self.rebuild_menu()

    @property
    def snoozed_until(self) -> datetime | None:
        return self._snoozed_until

    @snoozed_until.setter
    def snoozed_until(self, value: datetime | None) -> None:
        if value != self._snoozed_until:
            self._snoozed_until = value
            if not self.menu.isVisible():
                self.rebuild_menu()

    @property
    def icon_spec(self) -> IconSpec | None:
        return self._spec

    def icon(self) -> QIcon:
        return self.tray.icon()

    def tooltip(self) -> str:
        now = self._clock()
        lines = [APP_NAME]
        if self.status_line:
            lines.append(self.status_line)
        if not self._views:
            lines.append(self.tr("No accounts yet: choose Add account…"))
        lines.extend(account_line(v, now) for v in self._views)
        return "\n".join(lines)

    def _new_icon(self) -> QSystemTrayIcon:
        return self._adopt(QSystemTrayIcon(self))

    def _adopt(self, tray: QSystemTrayIcon) -> QSystemTrayIcon:
        tray.setParent(self)
        tray.setContextMenu(self.menu)
        tray.activated.connect(self._on_activated)
        return tray

    @staticmethod
    def _save_icon(icon: QIcon, path: Path) -> None:
        """Keep the icon for the next start (a cache: a failure only costs that start a few ms)."""
        tmp = path.with_name(path.name + ".tmp")
        try:
            if icon.pixmap(64, 64).save(str(tmp), "PNG"):
                os.replace(tmp, path)
        except OSError:
            pass

    def recreate(self) -> QSystemTrayIcon:
        """Replace the icon with a new one, and return it. Qt picks SNI or XEmbed once per QSystemTrayIcon,
        when it is created: an icon made before the panel was up stays XEmbed, which SNI-only panels
        (KDE, GNOME's AppIndicator) never show."""
        old = self.tray
        self.tray = self._new_icon()
        self.tray.setIcon(old.icon())
        self.tray.setToolTip(self.tooltip())
        old.hide()
        old.setContextMenu(None)  # type: ignore[arg-type]
        old.deleteLater()
        return self.tray

    def show(self) -> None:
        self.tray.show()

    def hide(self) -> None:
        self.tray.hide()

    def dispose(self) -> None:
        """Remove the icon and free the menu now (the menu has no parent widget to free it)."""
        self.tray.hide()
        self.tray.setContextMenu(None)  # type: ignore[arg-type]
        self.menu.deleteLater()
        self.snooze_menu.deleteLater()
        self.tray.deleteLater()

    # ------------------------------------------------------------ menu

    def rebuild_menu(self) -> None:
        now = self._clock()
        snoozed = self.snoozed_until is not None and self.snoozed_until > now
        shape = (self.status_line, tuple(v.account.id for v in self._views), snoozed)
        if shape == self._menu_shape and self._refresh_action is not None:
            # The same entries: only their texts change. Each entry rebuilt is re-exported to the panel over
            # D-Bus, so a full rebuild costs UI-thread time per account (docs/PERFORMANCE.md).
            for view in self._views:
                action = self._account_actions[view.account.id]
                action.setText(account_line(view, now))
                action.setToolTip(self._account_tip(view))
            self._refresh_action.setText(self._refresh_text())
            self._refresh_action.setEnabled(not self.busy)
            if snoozed and self._resume_action is not None:
                self._resume_action.setText(self._resume_text())
            return
        self._menu_shape = shape
        self._account_actions = {}
        self._resume_action = None
        menu = self.menu
        menu.clear()
        if self.status_line:
            status = menu.addAction(self.status_line)
            status.setEnabled(False)
            menu.addSeparator()
        if not self._views:
            empty = menu.addAction(self.tr("No accounts yet"))
            empty.setEnabled(False)
        for view in self._views:
            action = menu.addAction(account_line(view, now))
            action.setData(view.account.id)
            action.setToolTip(self._account_tip(view))
            action.triggered.connect(partial(self.details_requested.emit, view.account.id))
            self._account_actions[view.account.id] = action
        menu.addSeparator()
        self._refresh_action = self._add(menu, self._refresh_text(), self.refresh_requested.emit, enabled=not self.busy)
        self._add(menu, self.tr("Details…"), partial(self.details_requested.emit, ""))
        self._add(menu, self.tr("Add account…"), self.add_requested.emit)
        self._add(menu, self.tr("Settings…"), self.settings_requested.emit)
        if snoozed:
            self._resume_action = self._add(menu, self._resume_text(), partial(self.snooze_requested.emit, "resume"))
        else:
            menu.addMenu(self.snooze_menu)
        menu.addSeparator()
        self._add(menu, self.tr("Quit"), self.quit_requested.emit)

    @staticmethod
    def _account_tip(view: AccountView) -> str:
        return "; ".join(a.message for a in view.alerts) or view.account.label

    def _refresh_text(self) -> str:
        return self.tr("Refreshing…") if self.busy else self.tr("Refresh now")

    def _resume_text(self) -> str:
        until = self.snoozed_until.astimezone().strftime("%H:%M") if self.snoozed_until else ""
        return self.tr("Notifications snoozed until {until}: resume").format(until=until)

    @staticmethod
    def _add(menu: QMenu, text: str, slot: Callable[[], None], *, enabled: bool = True) -> QAction:
        action = menu.addAction(text)
        action.setEnabled(enabled)
        action.triggered.connect(slot)
        return action

    def action(self, text: str) -> QAction | None:
        """The menu entry with this text (as rebuilt now), for tests and accessibility tools."""
        self.rebuild_menu()
        return next((a for a in self.menu.actions() if a.text() == text), None)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.details_requested.emit("")
