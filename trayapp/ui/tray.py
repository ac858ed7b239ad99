"""The tray icon, its tooltip and its menu. The menu is rebuilt from current state each time it opens
(GNOME shows no tooltips, so every account's line is in the menu too)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from .. import APP_NAME
from ..core.models import ErrorKind, Severity, Status
from ..core.monitor import AccountView, by_urgency, most_urgent, worst_severity
from . import i18n
from .i18n import local
from .icon import EMPTY, HOURGLASS, IconSpec, render_icon
from .sni import StatusNotifierItem, TrayIcon, make_tray_icon

# The worst alert of the most urgent account names the icon's glyph; a second account has its own colour.
_GLYPHS = {
    "key_invalid": "!",
    "credit_zero": "0",
    "spend_limit": "0",
    "second_account": "2",
    "same_login": "2",
    "no_trial_credit": "2",
    "credit_low": "↓",
    "runs_out_soon": "↓",
    "expiring_soon": HOURGLASS,
    "will_expire_unused": HOURGLASS,
    "identity_changed": "?",
}
_SECOND = frozenset({"second_account", "same_login", "no_trial_credit"})


def spec_for(views: list[AccountView], style: str = "bar") -> IconSpec:
    """What the icon shows: the most urgent account (core ordering), its glyph and what is left of its credit,
    dimmed when stale, badged by the worst alert of all accounts."""
    urgent = most_urgent(views)
    if urgent is None:
        return EMPTY
    badge = worst_severity(a for v in views for a in v.alerts)
    stale = urgent.status is Status.STALE
    glyph = _glyph(urgent)
    level = "second" if _is_second(urgent) else urgent.level.name
    if style not in ("bar", "number"):
        return IconSpec(urgent.level.name, gauge_fraction(urgent), stale, badge)
    amount = compact_amount(urgent.snapshot.remaining) if style == "number" and urgent.snapshot else None
    return IconSpec(level, known_fraction(urgent), stale, badge, glyph, style, amount)


def _glyph(view: AccountView) -> str | None:
    for alert in view.alerts:  # critical first (rules.evaluate)
        if alert.code in _GLYPHS:
            return _GLYPHS[alert.code]
    if view.status is Status.ERROR:
        return "!"
    if view.snapshot is not None and view.snapshot.remaining is None:
        return "?"
    return None


def _is_second(view: AccountView) -> bool:
    """The account's worst problem is being a second account (not zero credit, not a rejected key)."""
    first = next((a.code for a in view.alerts if a.code in _GLYPHS), None)
    return first in _SECOND and view.level.name not in ("zero", "error")


def gauge_fraction(view: AccountView) -> float | None:
    """The ring's fill (the app icon's drawing): a full ring when the total is unknown."""
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


def known_fraction(view: AccountView) -> float | None:
    """What is left of the grant or limit, 0..1, only where that total is known (None otherwise: a bar
    is never drawn against a made-up total). Nothing left is 0 whatever the total."""
    snap = view.snapshot
    if snap is None or snap.remaining is None:
        return None
    if snap.remaining <= 0:
        return 0.0
    if snap.granted_total is None or snap.granted_total <= 0:
        return None
    if snap.remaining > snap.granted_total:  # paid credit on top, or a lifetime total: not what this is left of
        return None
    return float(min(Decimal(1), max(Decimal("0.04"), snap.remaining / snap.granted_total)))


def compact_amount(value: Decimal | None) -> str | None:
    """An amount short enough for a 22 px icon: "0", "1.8", "82", "950", "1.2k", "15k"."""
    if value is None:
        return None
    if value <= 0:
        return "0"
    if value < 10:
        text = f"{value.quantize(Decimal('0.1'), rounding=ROUND_DOWN)}"
        return text.removesuffix(".0")
    if value < 1000:
        return str(int(value))
    if value < 10000:
        return f"{(value / 1000).quantize(Decimal('0.1'), rounding=ROUND_DOWN)}".removesuffix(".0") + "k"
    return f"{int(value / 1000)}k"


def severity_of(view: AccountView) -> Severity | None:
    """The severity the menu and the glance mark an account with (old data alone is shown by its age)."""
    return worst_severity(a for a in view.alerts if a.code != "stale")


def marker(view: AccountView) -> str:
    """A clear mark per severity at the start of a menu line: "‼ " critical, "⚠ " warning, none when fine."""
    severity = severity_of(view)
    if severity is Severity.CRITICAL:
        return "‼ "
    if severity is Severity.WARNING:
        return "⚠ "
    return ""


# Which problem is said first: what explains the rest (a second account explains its zero credit).
_REASON_ORDER = (
    "key_invalid",
    "second_account",
    "same_login",
    "no_trial_credit",
    "credit_zero",
    "spend_limit",
    "credit_low",
    "runs_out_soon",
    "will_expire_unused",
    "identity_changed",
)


TOOLTIP_ACCOUNTS = 20  # lines of accounts in the tooltip; a panel shows no more in one look
MENU_ACCOUNTS = 20  # account entries in the menu, the most urgent; the rest behind "…and N more" (details)


def reason_text(view: AccountView) -> str:
    """Why an account is flagged, in a few words: "second account, no trial credit", "runs out around Dec 6",
    "key rejected". Empty when nothing is wrong (an expiry is said by "expires in", old data by its age)."""
    phrases = dict(_reason_phrases(i18n.language()))
    if view.forecast is not None and view.forecast.runs_out_at is not None:
        when = view.forecast.runs_out_at.astimezone()
        locale = QLocale(QLocale.Language.Japanese if i18n.language() == "ja" else QLocale.Language.English)
        day = locale.toString(QDate(when.year, when.month, when.day), QCoreApplication.translate("Reason", "MMM d"))
        phrases["runs_out_soon"] = QCoreApplication.translate("Reason", "runs out around {date}").format(date=day)
    codes = {a.code for a in view.alerts}
    parts = [phrases[code] for code in _REASON_ORDER if code in codes]
    if not parts and view.error is not None and view.error.kind is not ErrorKind.AUTH:
        parts.append(local(view.error.title))
    return QCoreApplication.translate("Reason", ", ").join(parts)


@functools.cache
def _reason_phrases(lang: str) -> dict[str, str]:
    """The reasons' words in the UI's language (`lang`: the cache's key; the translator is installed for it).
    Made once: the menu and the tooltip say a reason for every account at every burst of results."""
    return {
        "key_invalid": QCoreApplication.translate("Reason", "key rejected"),
        "second_account": QCoreApplication.translate("Reason", "second account"),
        "same_login": QCoreApplication.translate("Reason", "same login as another key"),
        "no_trial_credit": QCoreApplication.translate("Reason", "no trial credit"),
        "credit_zero": QCoreApplication.translate("Reason", "no credit left"),
        "spend_limit": QCoreApplication.translate("Reason", "spend limit reached"),
        "credit_low": QCoreApplication.translate("Reason", "low credit"),
        "runs_out_soon": QCoreApplication.translate("Reason", "runs out soon"),
        "will_expire_unused": QCoreApplication.translate("Reason", "will expire unused"),
        "identity_changed": QCoreApplication.translate("Reason", "key owner changed"),
    }


def expiry_text(view: AccountView) -> str:
    if view.days_to_expiry is None:
        return ""
    translate = QCoreApplication.translate
    if view.snapshot is not None and "expiry_outside_balance" in view.snapshot.flags:
        # What expires is counted apart from the amount beside it (a token pack beside a wallet): said so.
        if view.days_to_expiry == 0:
            return translate("TrayController", "a pack expires today")
        return translate("TrayController", "a pack expires in {days} d").format(days=view.days_to_expiry)
    if view.days_to_expiry == 0:
        return translate("TrayController", "expires today")
    return translate("TrayController", "expires in {days} d").format(days=view.days_to_expiry)


def shows_age(view: AccountView) -> bool:
    """Old data, or a failed last try, carries its own age; fresh data is covered by the one age line."""
    return view.status is Status.STALE or view.last_try_failed or view.data_at is None


def account_summary(view: AccountView) -> str:
    """Label, remaining with currency, expiry and why it is flagged: "OpenAI alias: $0.00 — second account,
    no trial credit" (a notification's line; the menu adds the mark and, when old, the age)."""
    line = f"{view.account.label}: {view.remaining_in(i18n.language())}"
    if expiry := expiry_text(view):
        line += " · " + expiry
    if reason := reason_text(view):
        line += " — " + reason
    return line


def account_line(view: AccountView, now: datetime) -> str:
    """One menu line per account: mark, summary, and its age only when old."""
    line = marker(view) + account_summary(view)
    if shows_age(view):
        line += " · " + view.age_in(now, i18n.language())
    return line


def age_line(views: list[AccountView], now: datetime) -> str:
    """The one "Updated 2 min ago" of the menu and the glance: the newest reading of any account."""
    times = [v.data_at for v in views if v.data_at is not None]
    if not times:
        return QCoreApplication.translate("TrayController", "Not updated yet")
    minutes = int((now - max(times)).total_seconds() // 60)
    if minutes < 1:
        return QCoreApplication.translate("TrayController", "Updated just now")
    if minutes < 120:
        return QCoreApplication.translate("TrayController", "Updated {n} min ago").format(n=minutes)
    if minutes < 48 * 60:
        return QCoreApplication.translate("TrayController", "Updated {n} h ago").format(n=minutes // 60)
    return QCoreApplication.translate("TrayController", "Updated {n} days ago").format(n=minutes // 1440)


class TrayController(QObject):
    refresh_requested = Signal()
    details_requested = Signal(str)  # account id, or "" for the window itself
    glance_requested = Signal()  # a left click on the icon
    add_requested = Signal()
    settings_requested = Signal()
    snooze_requested = Signal(str)  # "1h" | "8h" | "tomorrow" | "resume"
    quit_requested = Signal()

    def __init__(
        self,
        clock: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
        *,
        tray_icon: TrayIcon | None = None,
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
        self.status_detail: str | None = None  # what to do about it: the tooltip's and that entry's tip
        self.icon_style = "bar"  # Settings.icon_style
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
        self._account_actions: list[QAction] = []  # the account entries, in the order shown
        self._more_action: QAction | None = None  # "…and N more accounts" (opens the details)
        self._age_action: QAction | None = None
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

    @property
    def views(self) -> list[AccountView]:
        """The accounts as shown: most urgent first."""
        return list(self._views)

    def set_views(self, views: list[AccountView]) -> None:
        self._views = by_urgency(views)
        spec = spec_for(self._views, self.icon_style)
        if spec != self._spec:
            self._spec = spec
            self.tray.setIcon(render_icon(spec))
            self.icon_renders += 1
            self._cached_spec = None
        if self._icon_cache is not None and self._cached_spec != spec:
            self._save_icon(self.tray.icon(), self._icon_cache)
            self._cached_spec = spec
        if isinstance(self.tray, StatusNotifierItem):  # panels highlight an item that needs attention
            critical = worst_severity(a for v in self._views for a in v.alerts) is Severity.CRITICAL
            self.tray.setStatus("NeedsAttention" if critical else "Active")
        tooltip = self.tooltip()
        if tooltip != self.tray.toolTip():  # Qt re-exports it (NewToolTip, the panel reads it again) even unchanged
            self.tray.setToolTip(tooltip)
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
            lines.append(f"{self.status_line}: {self.status_detail}" if self.status_detail else self.status_line)
        if not self._views:
            lines.append(self.tr("No accounts yet: choose Add account…"))
            return "\n".join(lines)
        shown = self._views[:TOOLTIP_ACCOUNTS]  # most urgent first: the rest are in the menu and the glance
        lines.extend(account_line(v, now) for v in shown)
        if len(self._views) > len(shown):
            lines.append(self.tr("…and {n} more").format(n=len(self._views) - len(shown)))
        lines.append(age_line(self._views, now))
        return "\n".join(lines)

    def _new_icon(self) -> TrayIcon:
        return self._adopt(make_tray_icon(QIcon(), self))

    def _adopt(self, tray: TrayIcon) -> TrayIcon:
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

    def recreate(self) -> TrayIcon:
        """Replace the icon with a new one, and return it. Qt picks SNI or XEmbed once per QSystemTrayIcon,
        when it is created: an icon made before the panel was up stays XEmbed, which SNI-only panels
        (KDE, GNOME's AppIndicator) never show."""
        old = self.tray
        self.tray = self._new_icon()
        self.tray.setIcon(old.icon())
        self.tray.setToolTip(self.tooltip())
        old.hide()
        old.setContextMenu(None)  # type: ignore[arg-type]
        if isinstance(old, StatusNotifierItem):
            old.close()
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
        if isinstance(self.tray, StatusNotifierItem):
            self.tray.close()
        self.menu.deleteLater()
        self.snooze_menu.deleteLater()
        self.tray.deleteLater()

    # ------------------------------------------------------------ menu

    def rebuild_menu(self) -> None:
        now = self._clock()
        snoozed = self.snoozed_until is not None and self.snoozed_until > now
        # The shape is the number of account entries, not which account is where: a new order (urgency
        # changes with every poll) only changes the entries' texts. Each entry rebuilt is re-exported to the
        # panel over D-Bus, which costs UI-thread time per account (docs/PERFORMANCE.md), and a panel that
        # opens the menu during such a rebuild sizes it for a stale layout.
        # The most urgent accounts, as many as a menu shows in one look: every entry is exported over D-Bus
        # and re-read by the panel when it changes (seconds of UI thread a poll with 500 accounts).
        shown = self._views[:MENU_ACCOUNTS]
        more = len(self._views) - len(shown)
        shape = (self.status_line, len(shown), more > 0, snoozed)
        if shape == self._menu_shape and self._refresh_action is not None:
            for action, view in zip(self._account_actions, shown, strict=True):
                self._fill(action, view, now)
            if self._more_action is not None:
                self._more_action.setText(self._more_text(more))
            if self._age_action is not None:
                self._age_action.setText(age_line(self._views, now))
            self._refresh_action.setText(self._refresh_text())
            self._refresh_action.setEnabled(not self.busy)
            if snoozed and self._resume_action is not None:
                self._resume_action.setText(self._resume_text())
            return
        self._menu_shape = shape
        self._account_actions = []
        self._more_action = None
        self._resume_action = None
        self._age_action = None
        menu = self.menu
        menu.clear()
        if self.status_line:
            status = menu.addAction(self.status_line)
            status.setToolTip(self.status_detail or self.status_line)
            status.setEnabled(False)
            menu.addSeparator()
        if not self._views:
            empty = menu.addAction(self.tr("No accounts yet"))
            empty.setEnabled(False)
        else:
            self._age_action = menu.addAction(age_line(self._views, now))
            self._age_action.setEnabled(False)
        for view in shown:
            action = menu.addAction("")
            self._fill(action, view, now)
            action.triggered.connect(partial(self._open_entry, action))
            self._account_actions.append(action)
        if more:
            self._more_action = self._add(menu, self._more_text(more), partial(self.details_requested.emit, ""))
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

    def _more_text(self, more: int) -> str:
        return self.tr("…and {n} more accounts: Details…").format(n=more)

    def _fill(self, action: QAction, view: AccountView, now: datetime) -> None:
        action.setText(account_line(view, now))
        action.setData(view.account.id)
        action.setToolTip(self._account_tip(view))

    def _open_entry(self, action: QAction) -> None:
        self.details_requested.emit(str(action.data()))

    @staticmethod
    def _account_tip(view: AccountView) -> str:
        return "; ".join(a.message for a in view.alerts) or view.account.label

    def _refresh_text(self) -> str:
        return self.tr("Refreshing…") if self.busy else self.tr("Refresh now")

    def _resume_text(self) -> str:
        """In words, with the one thing to do: "Notifications paused until 09:08 · Resume" (a day named when the
        pause ends on another day)."""
        until = ""
        if self.snoozed_until is not None:
            local = self.snoozed_until.astimezone()
            same_day = local.date() == datetime.now(local.tzinfo).date()
            until = local.strftime("%H:%M")
            if not same_day:  # the day in the UI's language ("Wed 09:00", "水 09:00")
                day = QLocale().dayName(local.isoweekday(), QLocale.FormatType.ShortFormat)
                until = f"{day} {until}"
        return self.tr("Notifications paused until {until} · Resume").format(until=until)

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
        # A left click opens the glance; the menu stays on the right click. On macOS a click on a status
        # item opens its menu, as users there expect: no glance.
        if reason is QSystemTrayIcon.ActivationReason.Trigger and sys.platform != "darwin":
            self.glance_requested.emit()
