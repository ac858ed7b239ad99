"""The remaining-credit chart of the details window, and the sparkline of each table row. QPainter only.

Everything is drawn in logical pixels with antialiasing, so it is crisp at any device pixel ratio;
`render_chart` paints the same thing into a QImage (tests, exports).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ..core import rules
from ..core.forecast import Forecast
from ..core.models import Account, Snapshot

SERIES = QColor("#1a73e8")
FORECAST = QColor("#e37400")
EXPIRY = QColor("#d93025")
TOPUP = QColor("#188038")
AXIS = QColor("#80868b")
GRID = QColor(128, 134, 139, 50)

MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64.0, 14.0, 12.0, 26.0
SPARK_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ChartData:
    points: Sequence[tuple[datetime, float]]  # remaining over time, oldest first
    start: datetime  # the x axis
    end: datetime
    now: datetime
    currency: str | None = None
    expires_at: datetime | None = None
    forecast: tuple[tuple[datetime, float], tuple[datetime, float]] | None = None  # a straight line
    topups: Sequence[tuple[datetime, float]] = ()
    grants: Sequence[datetime] = ()  # effective dates of credit the user entered
    message: str = ""  # shown when there is nothing to draw
    y_max: float = field(default=0.0)

    def top(self) -> float:
        values = [v for _, v in self.points]
        if self.forecast is not None:
            values.append(self.forecast[0][1])
        return nice_ceiling(max([*values, self.y_max, 0.0]) * 1.08 or 1.0)


def nice_ceiling(value: float) -> float:
    exponent = math.floor(math.log10(value)) if value > 0 else 0
    base = 10.0**exponent
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * base + 1e-12:
            return step * base
    return 10 * base


def chart_data(
    account: Account,
    snapshot: Snapshot | None,
    forecast: Forecast | None,
    points: Sequence[tuple[datetime, float | None]],
    span: timedelta | None,
    now: datetime,
) -> ChartData:
    """What to draw for one account over the last `span` (None: everything recorded)."""
    good = [(t, v) for t, v in points if v is not None]
    currency = snapshot.currency if snapshot else None
    if not good:
        message = (
            QCoreApplication.translate(
                "Chart", "The remaining credit of this account is not known with the keys given: nothing to draw."
            )
            if snapshot is not None and snapshot.remaining is None
            else QCoreApplication.translate("Chart", "No history yet: readings are drawn here as they are recorded.")
        )
        return ChartData((), now - (span or timedelta(days=7)), now, now, currency, message=message)
    start = now - span if span is not None else min(good[0][0], now - timedelta(days=1))
    width = now - start
    end = now + max(width / 4, timedelta(hours=12))
    expires_at = snapshot.expires_at if snapshot else None
    if expires_at is not None and now < expires_at <= now + width:
        end = max(end, expires_at + width / 20)
    line = None
    if forecast is not None and forecast.burn_per_day is not None and forecast.burn_per_day > 0:
        t0, v0 = good[-1]
        rate = float(forecast.burn_per_day) / 86400
        stop = end
        if forecast.runs_out_at is not None and now < forecast.runs_out_at <= now + width:
            end = max(end, forecast.runs_out_at + width / 20)
            stop = end
        if expires_at is not None and t0 < expires_at < stop:
            stop = expires_at
        t1 = min(stop, t0 + timedelta(seconds=v0 / rate)) if rate > 0 else stop
        line = ((t0, v0), (t1, max(0.0, v0 - rate * (t1 - t0).total_seconds())))
    topups = [(t1, v1) for (_, v0), (t1, v1) in pairwise(good) if v1 - v0 > max(0.01, abs(v0) * 0.01)]
    grants = [
        datetime(g.effective.year, g.effective.month, g.effective.day, tzinfo=UTC)
        for g in account.grants
        if g.effective is not None
    ]
    return ChartData(
        tuple(good),
        start,
        end,
        now,
        currency,
        expires_at if expires_at is not None and start <= expires_at <= end else None,
        line,
        tuple(t for t in topups if t[0] >= start),
        tuple(g for g in grants if start <= g <= end),
    )


# ---------------------------------------------------------------- geometry (shared with the tests)


def plot_rect(size: QSize | QRectF) -> QRectF:
    w, h = (size.width(), size.height())
    return QRectF(
        MARGIN_LEFT, MARGIN_TOP, max(1.0, w - MARGIN_LEFT - MARGIN_RIGHT), max(1.0, h - MARGIN_TOP - MARGIN_BOTTOM)
    )


def x_of(data: ChartData, rect: QRectF, t: datetime) -> float:
    span = (data.end - data.start).total_seconds() or 1.0
    return rect.left() + (t - data.start).total_seconds() / span * rect.width()


def y_of(data: ChartData, rect: QRectF, value: float, top: float) -> float:
    return rect.bottom() - value / top * rect.height()


# ---------------------------------------------------------------- painting


def paint_chart(p: QPainter, size: QSize, data: ChartData | None, palette: QPalette) -> None:
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    text = palette.color(QPalette.ColorRole.WindowText)
    font = QFont(p.font())
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
    p.setFont(font)
    rect = plot_rect(size)
    if data is None or not data.points:
        p.setPen(text)
        p.drawText(
            QRectF(0, 0, size.width(), size.height()),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            (data.message if data else "")
            or QCoreApplication.translate("Chart", "Select an account to see its history."),
        )
        return
    top = data.top()
    metrics = p.fontMetrics()

    # Grid and y labels.
    for i in range(5):
        value = top * i / 4
        y = y_of(data, rect, value, top)
        p.setPen(QPen(GRID, 1))
        y = round(y) + 0.5  # hairlines on pixel centres
        p.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        p.setPen(text)
        label = rules.format_money(_dec(value), data.currency)
        p.drawText(
            QRectF(0, y - metrics.height() / 2, MARGIN_LEFT - 6, metrics.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            label,
        )
    # X ticks: days, weeks or months, as many as fit.
    step = _tick_step(data.end - data.start, rect.width(), metrics.horizontalAdvance("00-00") + 16)
    tick = datetime(data.start.year, data.start.month, data.start.day, tzinfo=UTC) + step
    while tick < data.end:
        x = round(x_of(data, rect, tick)) + 0.5
        p.setPen(QPen(GRID, 1))
        p.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        p.setPen(text)
        p.drawText(
            QRectF(x - 40, rect.bottom() + 4, 80, metrics.height()),
            Qt.AlignmentFlag.AlignHCenter,
            tick.strftime("%m-%d"),
        )
        tick += step
    # Axes: 2 logical pixels on whole coordinates, so they are crisp at any device pixel ratio.
    p.setPen(QPen(AXIS, 2))
    p.drawLine(rect.bottomLeft(), rect.bottomRight())
    p.drawLine(rect.bottomLeft(), rect.topLeft())
    # Now.
    x_now = x_of(data, rect, data.now)
    p.setPen(QPen(GRID, 1, Qt.PenStyle.DotLine))
    p.drawLine(QPointF(x_now, rect.top()), QPointF(x_now, rect.bottom()))

    p.save()
    p.setClipRect(rect.adjusted(-4, -4, 4, 4))
    # The series: a step-free polyline with a light fill under it.
    pts = [QPointF(x_of(data, rect, t), y_of(data, rect, v, top)) for t, v in data.points if t >= data.start]
    if pts:
        fill = QPainterPath(QPointF(pts[0].x(), rect.bottom()))
        for pt in pts:
            fill.lineTo(pt)
        fill.lineTo(QPointF(pts[-1].x(), rect.bottom()))
        shade = QColor(SERIES)
        shade.setAlpha(36)
        p.fillPath(fill, shade)
        p.setPen(QPen(SERIES, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        p.drawPolyline(QPolygonF(pts))
        if len(pts) <= 60:
            p.setBrush(SERIES)
            for pt in pts:
                p.drawEllipse(pt, 2.5, 2.5)
        p.setBrush(SERIES)
        p.drawEllipse(pts[-1], 3.5, 3.5)
    # The forecast.
    if data.forecast is not None:
        (t0, v0), (t1, v1) = data.forecast
        p.setPen(QPen(FORECAST, 2, Qt.PenStyle.DashLine))
        p.drawLine(
            QPointF(x_of(data, rect, t0), y_of(data, rect, v0, top)),
            QPointF(x_of(data, rect, t1), y_of(data, rect, v1, top)),
        )
    # Top-ups: an upward triangle under the point.
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(TOPUP)
    for t, v in data.topups:
        x, y = x_of(data, rect, t), y_of(data, rect, v, top)
        p.drawPolygon(QPolygonF([QPointF(x, y + 4), QPointF(x - 5, y + 12), QPointF(x + 5, y + 12)]))
    for t in data.grants:
        x = x_of(data, rect, t)
        p.drawPolygon(
            QPolygonF(
                [
                    QPointF(x, rect.bottom() - 10),
                    QPointF(x + 5, rect.bottom() - 5),
                    QPointF(x, rect.bottom()),
                    QPointF(x - 5, rect.bottom() - 5),
                ]
            )
        )
    p.restore()
    # The expiry: a vertical line with its date.
    if data.expires_at is not None:
        x = x_of(data, rect, data.expires_at)
        p.setPen(QPen(EXPIRY, 2, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        p.setPen(EXPIRY)
        label = QCoreApplication.translate("Chart", "expires {date}").format(
            date=f"{data.expires_at.astimezone(UTC):%m-%d}"
        )
        w = metrics.horizontalAdvance(label) + 6
        left = x - w - 2 if x + w > rect.right() else x + 4
        p.drawText(QRectF(left, rect.top(), w, metrics.height()), Qt.AlignmentFlag.AlignLeft, label)


def _dec(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _tick_step(span: timedelta, width: float, label_width: float) -> timedelta:
    fits = max(1, int(width // label_width))
    for days in (1, 2, 7, 14, 30, 61, 91, 182, 365):
        if span / timedelta(days=days) <= fits:
            return timedelta(days=days)
    return timedelta(days=730)


def render_chart(data: ChartData | None, size: QSize, dpr: float = 1.0, palette: QPalette | None = None) -> QImage:
    """The chart as an image of `size` logical pixels at a device pixel ratio (white background)."""
    image = QImage(round(size.width() * dpr), round(size.height() * dpr), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(dpr)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        paint_chart(painter, size, data, palette or QPalette(QColor("white")))
    finally:
        painter.end()
    return image


class ChartWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: ChartData | None = None
        self.setMinimumSize(280, 160)

    def set_data(self, data: ChartData | None) -> None:
        self.data = data
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 240)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            paint_chart(painter, self.size(), self.data, self.palette())
        finally:
            painter.end()


# ---------------------------------------------------------------- the sparkline of a table row


def paint_sparkline(p: QPainter, rect: QRectF, values: Sequence[float], colour: QColor) -> None:
    if len(values) < 2:
        return
    lo, hi = min(values), max(values)
    spread = (hi - lo) or 1.0
    area = rect.adjusted(4, 5, -4, -5)
    step = area.width() / (len(values) - 1)
    pts = [
        QPointF(area.left() + i * step, area.bottom() - (v - lo) / spread * area.height()) for i, v in enumerate(values)
    ]
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(colour, 1.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.drawPolyline(QPolygonF(pts))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawEllipse(pts[-1], 2.0, 2.0)
    p.restore()


class SparklineDelegate(QStyledItemDelegate):
    """Draws the values stored under SPARK_ROLE (a list of floats) as a small line."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().paint(painter, option, index)
        values = index.data(SPARK_ROLE)
        if values:
            paint_sparkline(painter, QRectF(option.rect), list(values), SERIES)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(96, super().sizeHint(option, index).height())
