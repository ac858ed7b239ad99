"""The glance: what a left click on the tray icon opens. A small frameless popup by the icon with one card per
account, most urgent first (core ordering): label, a bar of what is left where the total is known, the amount,
the expiry, why it is flagged, and its age when old; one "Updated N min ago" and Refresh at the top. A card
click (or Enter on it) opens that account's details. It closes on a click elsewhere and on Escape, follows the
palette (only the severity accents have colours of their own) and is usable by keyboard and screen reader.

The same panel, in a normal window with Quit, stands in for the tray where there is none (StandInWindow).
Imported and built when first opened: an idle tray carries none of it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QCursor,
    QFont,
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME
from ..core.models import Severity
from ..core.monitor import AccountView, by_urgency
from . import i18n
from .icon import COLOURS
from .tray import account_summary, age_line, expiry_text, known_fraction, reason_text, severity_of, shows_age

ACCENTS = {Severity.CRITICAL: COLOURS["zero"], Severity.WARNING: COLOURS["low"]}  # the only colours of its own
WIDTH = 340
PANEL_REACH = 22  # px from the pointer to the panel's edge that the popup keeps clear of, where unknown
REOPEN_GUARD = 0.3  # s: the click on the icon that closed the popup must not reopen it at once


class Card(QFrame):
    """One account. Focusable; a click, Enter or Space opens its details."""

    activated = Signal(str)

    def __init__(self, view: AccountView, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.account_id = view.account.id
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            "QFrame#card { border: 1px solid palette(mid); border-radius: 6px; }"
            "QFrame#card:focus { border: 2px solid palette(highlight); }"
        )
        lang = i18n.language()
        self.severity = severity_of(view)
        self.label = view.account.label
        self.amount = view.remaining_in(lang)
        self.fraction = known_fraction(view)
        self.expiry = expiry_text(view)
        self.reason = reason_text(view)
        self.age = view.age_in(now, lang) if shows_age(view) else ""
        self.stale = shows_age(view) and view.snapshot is not None

        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 8, 0)
        outer.setSpacing(8)
        accent = QFrame(self)
        accent.setFixedWidth(4)
        if self.severity is not None:
            accent.setAutoFillBackground(True)
            pal = accent.palette()
            pal.setColor(QPalette.ColorRole.Window, ACCENTS[self.severity])
            accent.setPalette(pal)
        outer.addWidget(accent)
        body = QVBoxLayout()
        body.setContentsMargins(0, 6, 0, 6)
        body.setSpacing(2)
        outer.addLayout(body, 1)

        top = QHBoxLayout()
        name = QLabel(self.label, self)
        bold = QFont(name.font())
        bold.setBold(True)
        name.setFont(bold)
        amount = QLabel(self.amount, self)
        amount.setFont(bold)
        amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(name, 1)
        top.addWidget(amount)
        body.addLayout(top)

        self.bar: QProgressBar | None = None
        if self.fraction is not None:  # no bar against an unknown total: never an invented fraction
            bar = QProgressBar(self)
            bar.setRange(0, 1000)
            bar.setValue(round(self.fraction * 1000))
            bar.setTextVisible(False)
            bar.setFixedHeight(6)
            bar.setAccessibleName(self.tr("{percent} % left").format(percent=round(self.fraction * 100)))
            if self.severity is not None:
                pal = bar.palette()
                pal.setColor(QPalette.ColorRole.Highlight, ACCENTS[self.severity])
                bar.setPalette(pal)
            body.addWidget(bar)
            self.bar = bar
        for text in (self.expiry, self.reason, self.age):
            if text:
                line = QLabel(text, self)
                line.setWordWrap(True)
                body.addWidget(line)
        if self.stale:  # old data: dimmed, its age said
            effect = QGraphicsOpacityEffect(self)
            effect.setOpacity(0.6)
            self.setGraphicsEffect(effect)
        # Screen readers read the whole card as one line, as the menu says it.
        words = {Severity.CRITICAL: self.tr("Critical"), Severity.WARNING: self.tr("Warning")}
        said = account_summary(view) + (" · " + self.age if self.age else "")
        self.setAccessibleName(f"{words[self.severity]}: {said}" if self.severity is not None else said)
        self.setAccessibleDescription(self.tr("Press Enter to open its details"))

    def texts(self) -> list[str]:
        """What the card says, top to bottom (for tests and accessibility tools)."""
        return [t for t in (self.label, self.amount, self.expiry, self.reason, self.age) if t]

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit(self.account_id)
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.account_id)
            return
        super().keyPressEvent(event)


class GlancePanel(QWidget):
    """The header (age, Refresh) and the cards; shared by the popup and the stand-in window."""

    account_activated = Signal(str)
    refresh_requested = Signal()
    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        header = QHBoxLayout()
        self.age = QLabel(self)
        self.refresh = QPushButton(self.tr("Refresh"), self)
        self.refresh.clicked.connect(self.refresh_requested.emit)
        header.addWidget(self.age, 1)
        header.addWidget(self.refresh)
        layout.addLayout(header)
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list = QWidget(self.scroller)
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(6)
        self.scroller.setWidget(self.list)
        layout.addWidget(self.scroller, 1)
        self.empty = QPushButton(self.tr("No accounts yet: add one…"), self)
        self.empty.clicked.connect(self.add_requested.emit)
        layout.addWidget(self.empty)
        self.cards: list[Card] = []

    def set_views(self, views: Sequence[AccountView], now: datetime, busy: bool = False) -> None:
        focused = next((c.account_id for c in self.cards if c.hasFocus()), None)
        for card in self.cards:
            card.hide()
            card.deleteLater()
        self.cards = []
        ordered = by_urgency(views)
        self.age.setText(age_line(ordered, now) if ordered else "")
        self.refresh.setText(self.tr("Refreshing…") if busy else self.tr("Refresh"))
        self.refresh.setEnabled(not busy and bool(ordered))
        for view in ordered:
            card = Card(view, now, self.list)
            card.activated.connect(self.account_activated.emit)
            self.list_layout.addWidget(card)
            self.cards.append(card)
        self.list_layout.addStretch(0)
        self.scroller.setVisible(bool(ordered))
        self.empty.setVisible(not ordered)
        # Tab goes from card to card in the order shown, then to Refresh.
        for first, second in zip(self.cards, self.cards[1:], strict=False):
            QWidget.setTabOrder(first, second)
        if self.cards:
            QWidget.setTabOrder(self.cards[-1], self.refresh)
        again = next((c for c in self.cards if c.account_id == focused), None)
        if again is not None:
            again.setFocus()

    def content_height(self) -> int:
        """The height that shows every card without scrolling."""
        self.list.adjustSize()
        extra = self.age.sizeHint().height() + 30
        return self.list.sizeHint().height() + extra if self.cards else self.empty.sizeHint().height() + extra


class GlanceWindow(QFrame):
    """The popup by the tray icon."""

    account_activated = Signal(str)
    refresh_requested = Signal()
    add_requested = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("glance")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(self.tr("Credit Tray: accounts"))
        self.panel = GlancePanel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel)
        self.panel.account_activated.connect(self._on_card)
        self.panel.refresh_requested.connect(self.refresh_requested.emit)
        self.panel.add_requested.connect(self._on_add)
        self.setFixedWidth(WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self._closed_at = 0.0

    @property
    def cards(self) -> list[Card]:
        return self.panel.cards

    def set_views(self, views: Sequence[AccountView], now: datetime, busy: bool = False) -> None:
        self.panel.set_views(views, now, busy)
        if self.isVisible():
            self._fit(self.geometry().topLeft(), keep_position=True)

    def just_closed(self) -> bool:
        """Closed by the very click that asks to open it again (a click on the icon outside the popup)."""
        return time.monotonic() - self._closed_at < REOPEN_GUARD

    def show_by(self, icon_geometry: QRect | None = None) -> None:
        """Open by the icon: its geometry when the tray reports one (XEmbed), else the pointer (SNI hosts
        send the click position to Qt, which does not pass it on; the pointer is on the icon)."""
        if icon_geometry is not None and icon_geometry.isValid() and not icon_geometry.isEmpty():
            anchor = icon_geometry
        else:
            # The pointer is on the icon, somewhere in the panel: clear the panel's likely height around it
            # (without a window manager no work area tells where the panel ends).
            pos = QCursor.pos()
            anchor = QRect(pos.x() - PANEL_REACH, pos.y() - PANEL_REACH, 2 * PANEL_REACH, 2 * PANEL_REACH)
        # The desktop's light or dark palette as it is now (a theme switched while the glance was hidden
        # is not always propagated to a hidden popup): an empty palette inherits the application's.
        self.setPalette(QPalette())
        self._fit(anchor.center(), anchor=anchor)
        self.show()
        self.raise_()
        self.activateWindow()
        if self.cards:
            self.cards[0].setFocus(Qt.FocusReason.PopupFocusReason)
        else:
            self.panel.empty.setFocus(Qt.FocusReason.PopupFocusReason)

    def _fit(self, point: QPoint, anchor: QRect | None = None, keep_position: bool = False) -> None:
        screen = QGuiApplication.screenAt(point) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        height = min(self.panel.content_height() + 4, int(area.height() * 0.8))
        self.resize(WIDTH, height)
        if keep_position:
            x, y = point.x(), point.y()
        else:
            anchor = anchor or QRect(point, point)
            x = anchor.center().x() - WIDTH // 2
            # Below an icon in the top half of the screen (a top panel), above one in the bottom half.
            y = anchor.bottom() + 6 if anchor.center().y() < area.center().y() else anchor.top() - height - 6
        x = max(area.left(), min(x, area.right() - WIDTH + 1))
        y = max(area.top(), min(y, area.bottom() - height + 1))
        self.move(x, y)

    def dismiss(self) -> None:
        """Close on purpose (Escape, a card, a second click on the icon): the next click may open it at once."""
        self.close()
        self._closed_at = 0.0

    def _on_card(self, account_id: str) -> None:
        self.dismiss()
        self.account_activated.emit(account_id)

    def _on_add(self) -> None:
        self.dismiss()
        self.add_requested.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.dismiss()
            return
        super().keyPressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._closed_at = time.monotonic()  # a click outside (on the icon, maybe) closed it
        super().hideEvent(event)


class StandInWindow(QWidget):
    """Where no tray host exists: the glance in a normal window, with the menu's commands and Quit. Closing it
    ends the app (nothing else would be left to reach it by)."""

    account_activated = Signal(str)
    refresh_requested = Signal()
    add_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(APP_NAME)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 10)
        note = QLabel(self.tr("No system tray was found: this window stands in for it. Closing it quits."), self)
        note.setWordWrap(True)
        note.setContentsMargins(10, 10, 10, 0)
        layout.addWidget(note)
        self.panel = GlancePanel(self)
        layout.addWidget(self.panel, 1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(10, 0, 10, 0)
        add = QPushButton(self.tr("Add account…"), self)
        settings = QPushButton(self.tr("Settings…"), self)
        self.quit_button = QPushButton(self.tr("Quit"), self)
        buttons.addWidget(add)
        buttons.addWidget(settings)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        layout.addLayout(buttons)
        add.clicked.connect(self.add_requested.emit)
        settings.clicked.connect(self.settings_requested.emit)
        self.quit_button.clicked.connect(self.close)
        self.panel.account_activated.connect(self.account_activated.emit)
        self.panel.refresh_requested.connect(self.refresh_requested.emit)
        self.panel.add_requested.connect(self.add_requested.emit)
        self.resize(WIDTH + 80, 480)
        self._quitting = True

    @property
    def cards(self) -> list[Card]:
        return self.panel.cards

    def set_views(self, views: Sequence[AccountView], now: datetime, busy: bool = False) -> None:
        self.panel.set_views(views, now, busy)

    def retire(self) -> None:
        """The tray came up after all: close without quitting."""
        self._quitting = False
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if self._quitting:
            self.quit_requested.emit()
