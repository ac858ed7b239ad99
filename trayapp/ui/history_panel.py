"""The history side of the details window: the chart of the selected account (7 days / 30 days / all),
a forecast summary, the sparklines of the table, and CSV export.

Only what is shown is queried, downsampled by SQLite: about one point per 3 pixels of the chart, 48 per
sparkline; a sparkline is read again only when its account has a new reading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core import rules
from ..core.forecast import WINDOW
from ..core.history import readings_csv
from ..core.monitor import AccountView
from ..storage.atomic import write_atomic
from ..storage.history import HistoryStore
from .chart import SPARK_ROLE, ChartWidget, SparklineDelegate, chart_data
from .i18n import local

TREND_COLUMN = str(QT_TRANSLATE_NOOP("DetailsWindow", "Trend (30 d)"))
RANGES: tuple[tuple[str, timedelta | None], ...] = (  # labels translated when shown (context HistoryPanel)
    (str(QT_TRANSLATE_NOOP("HistoryPanel", "7 days")), timedelta(days=7)),
    (str(QT_TRANSLATE_NOOP("HistoryPanel", "30 days")), timedelta(days=30)),
    (str(QT_TRANSLATE_NOOP("HistoryPanel", "All")), None),
)
SPARK_SPAN = timedelta(days=30)
SPARK_POINTS = 48
CHART_POINTS = 360


class HistoryPanel(QWidget):
    range_changed = Signal()
    collapsed = Signal(bool)  # True: nothing to draw, or a flat line: the panel needs little room

    def __init__(self, table: QTableWidget, trend_column: int, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self._table = table
        self._column = trend_column
        self._clock = clock
        self._source: HistoryStore | None = None
        self._sparks: dict[str, tuple[datetime | None, list[float]]] = {}
        table.setItemDelegateForColumn(trend_column, SparklineDelegate(table))

        self.range_buttons: dict[str, QToolButton] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        row = QHBoxLayout()
        self.title = QLabel(self.tr("Remaining credit"))
        self.title.setStyleSheet("font-weight:bold")
        row.addWidget(self.title)
        row.addStretch(1)
        for label, _span in RANGES:
            button = QToolButton()
            button.setText(QCoreApplication.translate("HistoryPanel", label))
            button.setCheckable(True)
            button.setAutoRaise(True)
            group.addButton(button)
            row.addWidget(button)
            self.range_buttons[label] = button
        self.range_buttons["30 days"].setChecked(True)
        group.buttonClicked.connect(lambda _b: self.range_changed.emit())

        self.chart = ChartWidget()
        self.nothing = QLabel()  # in place of the chart when there is nothing to draw
        self.nothing.setWordWrap(True)
        self.nothing.setVisible(False)
        self._compact: bool | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.nothing)
        layout.addWidget(self.summary)
        layout.addStretch(0)

    # ------------------------------------------------------------ data

    def set_source(self, source: HistoryStore | None) -> None:
        self._source = source
        self._sparks.clear()

    @property
    def span(self) -> timedelta | None:
        for label, span in RANGES:
            if self.range_buttons[label].isChecked():
                return span
        return SPARK_SPAN

    def set_range(self, label: str) -> None:
        self.range_buttons[label].setChecked(True)
        self.range_changed.emit()

    def add_trend_items(self, views: Sequence[AccountView]) -> None:
        """The trend cell of each row, with the sparkline known so far (refresh() reads new ones)."""
        for row, view in enumerate(views):
            item = QTableWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, view.account.id)
            cached = self._sparks.get(view.account.id)
            item.setData(SPARK_ROLE, cached[1] if cached else None)
            item.setToolTip(self.tr("Remaining credit over the last 30 days"))
            self._table.setItem(row, self._column, item)

    def refresh(self, views: Sequence[AccountView], selected: AccountView | None) -> None:
        """Read the sparklines that changed, then draw the selected account."""
        if self._source is not None:
            stale = [v for v in views if self._sparks.get(v.account.id, (0, None))[0] != _stamp(v)]
            if stale:
                now = self._clock()
                points = self._source.points_many(
                    [v.account.id for v in stale], now - SPARK_SPAN, now + timedelta(seconds=1), SPARK_POINTS
                )
                for v in stale:
                    values = [p.remaining for p in points.get(v.account.id, []) if p.remaining is not None]
                    self._sparks[v.account.id] = (_stamp(v), values)
                for row in range(self._table.rowCount()):  # rows may be sorted: found by their account id
                    item = self._table.item(row, self._column)
                    account_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
                    if item is not None and account_id in self._sparks:
                        item.setData(SPARK_ROLE, self._sparks[account_id][1])
        self.show_account(selected)

    def show_account(self, view: AccountView | None) -> None:
        if view is None:
            self.chart.set_data(None)
            self.title.setText(self.tr("Remaining credit"))
            self.summary.setText("")
            self._set_compact(True, "")
            return
        now = self._clock()
        span = self.span
        points = []
        if self._source is not None:
            since = None if span is None else now - span
            points = [
                (p.at, p.remaining)
                for p in self._source.points(view.account.id, since, now + timedelta(seconds=1), CHART_POINTS)
            ]
        data = chart_data(view.account, view.snapshot, view.forecast, points, span, now)
        self.chart.set_data(data)
        values = {v for _, v in data.points}
        flat = len(values) <= 1 and data.forecast is None and not data.topups
        self._set_compact(flat, data.message if not data.points else "")
        if span is None:
            title = self.tr("Remaining credit — {account} (everything recorded)")
        elif span == timedelta(days=7):
            title = self.tr("Remaining credit — {account} (last 7 days)")
        else:
            title = self.tr("Remaining credit — {account} (last 30 days)")
        self.title.setText(title.format(account=view.account.label))
        self.summary.setText(forecast_text(view))

    def _set_compact(self, compact: bool, nothing: str) -> None:
        """Nothing to draw: a sentence instead of the chart. A flat line: a short chart. Either way the panel
        says so (`collapsed`), so the window gives the width to the explanation."""
        self.nothing.setText(nothing)
        self.nothing.setVisible(bool(nothing))
        self.chart.setVisible(not nothing)
        self.chart.setMaximumHeight(140 if compact else 16777215)
        if compact != self._compact:
            self._compact = compact
            self.collapsed.emit(compact)

    @property
    def is_compact(self) -> bool:
        return bool(self._compact)

    def export_csv(self, path: Path, account_id: str | None) -> int:
        if self._source is None:
            return 0
        readings = self._source.readings(account_id)
        write_atomic(path, readings_csv(readings).encode("utf-8"))
        return len(readings)


def _stamp(view: AccountView) -> datetime | None:
    return view.checked_at or (view.snapshot.checked_at if view.snapshot else None)


def forecast_text(view: AccountView) -> str:
    """One or two sentences under the chart: the rate, when it runs out, what expires unused."""
    fc = view.forecast
    snap = view.snapshot
    if fc is None or snap is None:
        return QCoreApplication.translate("HistoryPanel", "No forecast yet: it needs a few readings.")
    cur = snap.currency
    if fc.burn_per_day is None:
        return QCoreApplication.translate("HistoryPanel", "No forecast: {reason}.").format(reason=local(fc.reason))
    days = round(fc.basis / timedelta(days=1)) if fc.basis >= timedelta(days=2) else None
    rate = rules.format_money(fc.burn_per_day, cur)
    parts = [
        QCoreApplication.translate(
            "HistoryPanel", "Spending about {rate} a day (over the last {days} days, top-ups left out)."
        ).format(rate=rate, days=days)
        if days
        else QCoreApplication.translate(
            "HistoryPanel", "Spending about {rate} a day (over {hours} h, top-ups left out)."
        ).format(rate=rate, hours=int(fc.basis / timedelta(hours=1)))
    ]
    expires_first = fc.expires_at is not None and fc.runs_out_at is not None and fc.expires_at <= fc.runs_out_at
    if fc.runs_out_at is not None and not expires_first:
        parts.append(
            QCoreApplication.translate("HistoryPanel", "At that rate the credit runs out around {date}.").format(
                date=f"{fc.runs_out_at.astimezone(UTC):%Y-%m-%d}"
            )
        )
    elif fc.reason:
        reason = local(fc.reason)
        # The reason is a phrase ("no credit left"): made a sentence, with the language's full stop.
        parts.append(
            QCoreApplication.translate("HistoryPanel", "{reason}.").format(reason=reason[:1].upper() + reason[1:])
        )
    if fc.expires_unused is not None and fc.expires_unused > 0 and fc.expires_at is not None:
        parts.append(
            QCoreApplication.translate("HistoryPanel", "{amount} will be left when it expires on {date}.").format(
                amount=rules.format_money(fc.expires_unused, cur), date=f"{fc.expires_at.astimezone(UTC):%Y-%m-%d}"
            )
        )
    if days is None and fc.basis < WINDOW:
        parts.append(QCoreApplication.translate("HistoryPanel", "The forecast firms up as more readings come in."))
    return " ".join(parts)
