"""The details window: every account in a table, and for the selected one its alerts explained."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core import rules
from ..core.alerts import AlertCode, kind_of
from ..core.explain import TODO_HEADING, explain
from ..core.i18n import localize, translate
from ..core.models import Alert, Severity, Status
from ..core.monitor import AccountView, by_urgency
from ..providers import catalog
from ..storage.history import HistoryStore
from . import i18n
from .history_panel import TREND_COLUMN, HistoryPanel
from .icon import COLOURS

ALERTS_COLUMN = str(QT_TRANSLATE_NOOP("DetailsWindow", "Alerts"))
COLUMNS = (  # translated when shown (context DetailsWindow)
    str(QT_TRANSLATE_NOOP("DetailsWindow", "Account")),
    str(QT_TRANSLATE_NOOP("DetailsWindow", "Provider")),
    str(QT_TRANSLATE_NOOP("DetailsWindow", "Remaining")),
    str(QT_TRANSLATE_NOOP("DetailsWindow", "Granted / paid")),
    str(QT_TRANSLATE_NOOP("DetailsWindow", "Expires in")),
    str(QT_TRANSLATE_NOOP("DetailsWindow", "Status")),
    str(QT_TRANSLATE_NOOP("DetailsWindow", "Updated")),
    ALERTS_COLUMN,
    TREND_COLUMN,
)
# The Status column in words: the worst alert's severity where there is one ("OK" beside $0.00 would lie),
# else the reading's status.
STATUS_WORDS = {
    "critical": str(QT_TRANSLATE_NOOP("Status", "Critical")),
    "warning": str(QT_TRANSLATE_NOOP("Status", "Warning")),
    Status.OK.value: str(QT_TRANSLATE_NOOP("Status", "OK")),
    Status.UNKNOWN.value: str(QT_TRANSLATE_NOOP("Status", "Unknown")),
    Status.STALE.value: str(QT_TRANSLATE_NOOP("Status", "Old data")),
    Status.ERROR.value: str(QT_TRANSLATE_NOOP("Status", "Read failed")),
}
# Within one severity, the alert that explains the others first: a second account or a rejected key is why
# the credit shows zero, so its advice comes before the generic "no credit left".
CAUSES_FIRST = (
    AlertCode.KEY_INVALID,
    AlertCode.SECOND_ACCOUNT,
    AlertCode.SPEND_LIMIT,
    AlertCode.CREDIT_ZERO,
    AlertCode.NO_TRIAL_CREDIT,
    AlertCode.SAME_LOGIN,
    AlertCode.IDENTITY_CHANGED,
    AlertCode.EXPIRING_SOON,
    AlertCode.WILL_EXPIRE_UNUSED,
    AlertCode.RUNS_OUT_SOON,
    AlertCode.CREDIT_LOW,
    AlertCode.STALE,
)
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a cell's sort key (UserRole: the account id; +1: the sparkline)
NARROW = 860  # below this width the explanation and the chart stack instead of sitting side by side


def _money(value: Decimal | None, currency: str | None) -> str:
    return "—" if value is None else rules.format_money(value, currency)


def alerts_in_order(alerts: tuple[Alert, ...] | list[Alert]) -> list[Alert]:
    """Most serious first; within a severity, causes before their effects (CAUSES_FIRST)."""

    def key(alert: Alert) -> tuple[int, int]:
        try:
            cause = CAUSES_FIRST.index(AlertCode(alert.code))
        except ValueError:
            cause = len(CAUSES_FIRST)
        return (0 if alert.severity is Severity.CRITICAL else 1, cause)

    return sorted(alerts, key=key)


def status_word(view: AccountView) -> str:
    if any(a.severity is Severity.CRITICAL for a in view.alerts):
        key = "critical"
    elif view.alerts:
        key = "warning"
    else:
        key = view.status.value
    return QCoreApplication.translate("Status", STATUS_WORDS[key])


def _alert_names(view: AccountView) -> str:
    """Each alert by its name in words (core/alerts.py), in the UI's language; most serious first."""
    return (
        ", ".join(i18n.shown(kind.label) if (kind := kind_of(a.code)) else a.code for a in alerts_in_order(view.alerts))
        or "—"
    )


class _Cell(QTableWidgetItem):
    """A table cell sorted by its SORT_ROLE key (numbers as numbers, unknown values last), not by its text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return bool(mine < theirs)


class DetailsWindow(QWidget):
    add_requested = Signal()
    edit_requested = Signal(str)
    remove_requested = Signal(str)
    refresh_requested = Signal()
    acknowledge_identity = Signal(str)

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._views: list[AccountView] = []
        self.lang = "en"  # of the alert explanations
        self.setWindowTitle(self.tr("Accounts"))  # Qt appends the application's display name: "Accounts — Credit Tray"
        self.resize(1040, 640)
        self.setMinimumSize(560, 400)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setStyleSheet("background:#fff4ce;color:#3a2d00;padding:6px;border-radius:4px;")

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("DetailsWindow", c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)  # one line a row: a long cell is cut with "…" (its tooltip has it all)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move between rows
        self.table.setAccessibleName(self.tr("Accounts"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The alerts take the spare width and are cut first (their tooltip has them all); labels stay whole.
        header.setSectionResizeMode(COLUMNS.index(ALERTS_COLUMN), QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(len(COLUMNS) - 1, 120)  # the sparkline's width, never cut
        header.setStretchLastSection(False)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # rows in the given order (most urgent first)
        self.table.setSortingEnabled(True)
        self.table.itemSelectionChanged.connect(self._show_selected)

        self.explanation = QTextBrowser()
        self.explanation.setOpenExternalLinks(True)
        self.explanation.setMinimumWidth(260)
        self.explanation.setAccessibleName(self.tr("What happened and what to do"))
        self.history = HistoryPanel(self.table, len(COLUMNS) - 1, self._clock)
        self.chart = self.history.chart
        self.history.range_changed.connect(lambda: self.history.show_account(self.selected_view()))

        self.add_button = QPushButton(self.tr("Add account…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.refresh_button = QPushButton(self.tr("Refresh now"))
        self.ack_button = QPushButton(self.tr("Confirm new owner"))
        self.ack_button.setVisible(False)
        self.add_button.clicked.connect(self.add_requested.emit)
        self.edit_button.clicked.connect(lambda: self._emit_selected(self.edit_requested.emit))
        self.remove_button.clicked.connect(lambda: self._emit_selected(self.remove_requested.emit))
        self.refresh_button.clicked.connect(self.refresh_requested.emit)
        self.ack_button.clicked.connect(lambda: self._emit_selected(self.acknowledge_identity.emit))
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(self._ask_export_csv)

        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button, self.ack_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.refresh_button)

        self.panes = QSplitter(Qt.Orientation.Horizontal)
        self.panes.addWidget(self.explanation)
        self.panes.addWidget(self.history)
        self.panes.setSizes([560, 440])
        self.panes.setChildrenCollapsible(False)
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.panes)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(1, 1)
        self.history.collapsed.connect(self._history_collapsed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self._update_buttons()

        for keys, slot in (
            (
                # Ctrl+W everywhere, and the platform's own Close binding (Cmd+W on macOS, Ctrl+F4 on Windows)
                (
                    QKeySequence(Qt.Key.Key_Escape),
                    QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_W),
                    *QKeySequence.keyBindings(QKeySequence.StandardKey.Close),
                ),
                self.hide,
            ),
            (
                (QKeySequence(Qt.Key.Key_F5), QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_R)),
                self.refresh_requested.emit,
            ),
        ):
            for key in dict.fromkeys(keys):  # a platform binding may repeat Ctrl+W: one shortcut per sequence
                QShortcut(key, self).activated.connect(slot)

    # ------------------------------------------------------------ state

    def set_banner(self, text: str | None) -> None:
        self.banner.setText(text or "")
        self.banner.setVisible(bool(text))

    def set_history(self, history: HistoryStore | None) -> None:
        self.history.set_source(history)
        self.export_button.setEnabled(history is not None)

    def export_csv(self, path: str | Path, account_id: str | None = None) -> int:
        """Write the recorded readings of an account (the selected one by default) as CSV; returns how many."""
        return self.history.export_csv(Path(path), account_id or self.selected_account_id())

    def _ask_export_csv(self) -> None:
        account_id = self.selected_account_id()
        if account_id is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export history"), f"{account_id}-history.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_csv(path, account_id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_table()
        self.history.refresh(self._views, self.selected_view())

    def set_views(self, views: list[AccountView]) -> None:
        selected = self.selected_account_id()
        views = by_urgency(views)  # most urgent first, as in the menu and the glance, until a header is clicked
        self._views = list(views)
        now = self._clock()
        lang = i18n.language()
        self.table.setSortingEnabled(False)  # rows are filled in the given order, then sorted as the user chose
        self.table.setRowCount(len(views))
        for row, v in enumerate(views):
            snap = v.snapshot
            cur = snap.currency if snap else None
            split = "—"
            if snap and (snap.remaining_granted is not None or snap.remaining_paid is not None):
                split = f"{_money(snap.remaining_granted, cur)} / {_money(snap.remaining_paid, cur)}"
            remaining = snap.remaining if snap else None
            age = (now - v.checked_at).total_seconds() if v.checked_at else None
            cells: tuple[tuple[str, object], ...] = (
                (v.account.label, v.account.label.casefold()),
                (
                    catalog.info(v.account.provider).display_name
                    if v.account.provider in catalog.CATALOG
                    else v.account.provider,
                    None,
                ),
                (v.remaining_in(lang), _known_first(None if remaining is None else float(remaining))),
                (split, None),
                (
                    "—" if v.days_to_expiry is None else self.tr("in {days} d").format(days=v.days_to_expiry),
                    _known_first(v.days_to_expiry),
                ),
                (status_word(v), -v.level.rank),
                (v.age_in(now, lang), _known_first(age)),
                (_alert_names(v), -sum(2 if a.severity is Severity.CRITICAL else 1 for a in v.alerts)),
            )
            for col, (text, key) in enumerate(cells):
                item = _Cell(text)
                item.setData(Qt.ItemDataRole.UserRole, v.account.id)
                if key is not None:
                    item.setData(SORT_ROLE, key)
                if col == 2:
                    item.setForeground(COLOURS.get(v.level.name, QColor("black")))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if col == 7 and v.alerts:
                    item.setToolTip("\n".join(a.message for a in alerts_in_order(v.alerts)))
                self.table.setItem(row, col, item)
        self.history.add_trend_items(views)
        self.table.setSortingEnabled(True)
        self._fit_table()
        if not (selected and self.select_account(selected)):
            if views and not self.table.selectedItems():
                self.table.selectRow(0)
            self._show_selected()
        if self.isVisible():
            self.history.refresh(views, self.selected_view())

    def select_account(self, account_id: str) -> bool:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == account_id:
                self.table.selectRow(row)
                self._show_selected()
                return True
        return False

    def _fit_table(self) -> None:
        """The table as tall as its rows (no band of white under six rows); the rest goes to the explanation."""
        table = self.table
        rows = sum(table.rowHeight(r) for r in range(table.rowCount())) or table.verticalHeader().defaultSectionSize()
        scroll = table.horizontalScrollBar().sizeHint().height()
        table.setMaximumHeight(table.horizontalHeader().height() + rows + 2 * table.frameWidth() + scroll)
        table.setMinimumHeight(min(table.maximumHeight(), table.horizontalHeader().height() + 3 * 30))
        total = sum(self.splitter.sizes())
        if total > 0:  # every row shown while it takes at most half the window; the rest to the explanation
            top = min(table.maximumHeight(), max(table.minimumHeight(), total // 2))
            self.splitter.setSizes([top, total - top])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = event.size().width() < NARROW
        self.panes.setOrientation(Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal)

    def _history_collapsed(self, collapsed: bool) -> None:
        """Nothing to draw (or a flat line): the chart gives its width to the explanation."""
        if self.panes.orientation() is Qt.Orientation.Horizontal:
            total = max(self.panes.width(), 2)
            self.panes.setSizes([total - 300, 300] if collapsed else [total * 56 // 100, total * 44 // 100])

    def selected_account_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def selected_view(self) -> AccountView | None:
        account_id = self.selected_account_id()
        return next((v for v in self._views if v.account.id == account_id), None)

    def bring_forward(self, account_id: str | None = None) -> None:
        if account_id:
            self.select_account(account_id)
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    # ------------------------------------------------------------ the explanation pane

    def explanation_html(self) -> str:
        return self.explanation.toHtml()

    def _show_selected(self) -> None:
        view = self.selected_view()
        self._update_buttons()
        self.explanation.setHtml(
            render_explanation(view, self._clock(), self.lang)
            if view
            else self.tr("<p>No accounts yet. Choose <b>Add account…</b> to add one.</p>")
        )
        if self.isVisible():
            self.history.show_account(view)

    def _update_buttons(self) -> None:
        view = self.selected_view()
        has = view is not None
        info = catalog.CATALOG.get(view.account.provider) if view is not None else None
        sample = info is not None and info.sample  # the built-in sample accounts are not the user's to edit
        self.edit_button.setEnabled(has and not sample)
        self.remove_button.setEnabled(has and not sample)
        self.ack_button.setVisible(bool(view and any(a.code == "identity_changed" for a in view.alerts)))

    def _emit_selected(self, emit: Callable[[str], object]) -> None:
        account_id = self.selected_account_id()
        if account_id:
            emit(account_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the window only hides it: the app lives in the tray.
        event.ignore()
        self.hide()


def _known_first(value: float | int | None) -> tuple[int, float]:
    """A sort key putting unknown values after every known one, whichever way the column is sorted first."""
    return (1, 0.0) if value is None else (0, float(value))


def render_explanation(view: AccountView, now: datetime, lang: str = "en") -> str:
    """What happened and what to do first (the read error, then each alert, most serious first, with the
    provider's own advice and links), then the facts."""
    e = html.escape
    ui = i18n.language()  # the labels and the core's facts follow the UI; alert texts and explanations, `lang`
    a = view.account
    snap = view.snapshot
    info = catalog.CATALOG.get(a.provider)
    parts = [f"<h3>{e(a.label)} · {e(view.remaining_in(ui))}</h3>"]
    if view.error is not None:
        title, message = localize(view.error.title, ui), localize(view.error.message, ui)
        parts.append(f"<p style='color:#b3261e'><b>{e(title)}</b>: {e(message)}</p>")
    for alert in alerts_in_order(view.alerts):
        colour = "#b3261e" if alert.severity is Severity.CRITICAL else "#8a5a00"
        severity = (
            QCoreApplication.translate("Explanation", "CRITICAL")
            if alert.severity is Severity.CRITICAL
            else QCoreApplication.translate("Explanation", "WARNING")
        )
        parts.append(f"<h4 style='color:{colour}'>{e(severity)}: {e(alert.message)}</h4>")
        ex = (
            explain(alert.code, lang, own=info.explanations, links=info.help_links)
            if info
            else explain(alert.code, lang)
        )
        if ex is not None:
            parts.append(f"<p><b>{e(ex.title)}.</b> {e(ex.meaning)}</p>")
            parts.append(f"<p><b>{e(translate(TODO_HEADING, lang))}:</b> {e(ex.todo)}</p>")
            if ex.links:
                parts.append("<p>" + " · ".join(f"<a href='{e(url)}'>{e(text)}</a>" for text, url in ex.links) + "</p>")
    if view.alerts or view.error is not None:
        parts.append(f"<h4>{e(QCoreApplication.translate('Explanation', 'Details'))}</h4>")
    facts: list[tuple[str, str]] = [
        (QCoreApplication.translate("Explanation", "Provider"), info.display_name if info else a.provider)
    ]
    facts.append((QCoreApplication.translate("Explanation", "Remaining"), view.remaining_in(ui)))
    if view.unknown_reason:
        facts.append((QCoreApplication.translate("Explanation", "Why unknown"), localize(view.unknown_reason, ui)))
    if snap:
        cur = snap.currency
        if snap.remaining_granted is not None:
            facts.append(
                (
                    QCoreApplication.translate("Explanation", "Of which granted (trial / bonus)"),
                    _money(snap.remaining_granted, cur),
                )
            )
        if snap.remaining_paid is not None:
            facts.append((QCoreApplication.translate("Explanation", "Of which paid"), _money(snap.remaining_paid, cur)))
        if snap.granted_total is not None:
            facts.append(
                (QCoreApplication.translate("Explanation", "Granted in total"), _money(snap.granted_total, cur))
            )
        if snap.used is not None:
            facts.append((QCoreApplication.translate("Explanation", "Used"), _money(snap.used, cur)))
        if snap.expires_at is not None:
            facts.append(
                (
                    QCoreApplication.translate("Explanation", "Expires"),
                    QCoreApplication.translate("Explanation", "{date} ({days} days)").format(
                        date=snap.expires_at.astimezone(UTC).date().isoformat(), days=view.days_to_expiry
                    ),
                )
            )
        if snap.identity is not None:
            ident = snap.identity
            who = ", ".join(x for x in (ident.user_id, ident.email_masked, ident.phone_masked) if x)
            facts.append((QCoreApplication.translate("Explanation", "Key belongs to"), who or "—"))
        for note in snap.notes:
            facts.append((QCoreApplication.translate("Explanation", "Note"), localize(note, ui)))
    facts.append((QCoreApplication.translate("Explanation", "Status"), status_word(view)))
    facts.append((QCoreApplication.translate("Explanation", "Updated"), view.age_in(now, ui)))
    parts.append(
        "<table cellspacing=4>"
        + "".join(f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in facts)
        + "</table>"
    )
    if info and info.billing_url:
        page = QCoreApplication.translate("Explanation", "{provider} billing page").format(provider=info.display_name)
        parts.append(f"<p><a href='{e(info.billing_url)}'>{e(page)}</a></p>")
    return "".join(parts)
