"""The tray icon, drawn at run time from state: a gauge of the most urgent account's remaining credit.

Colour says healthy / low / zero / error; a dimmed icon means the data is stale; a badge means an alert
is active. A dark outline with a light inner ring keeps it readable on light and dark panels, and every
size is drawn natively (and at 2x) so it stays sharp on HiDPI.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPainter, QPainterPath, QPen, QPixmap

from ..core.models import Severity, Status
from ..core.monitor import AccountView, most_urgent, worst_severity

COLOURS = {
    "healthy": QColor("#2e9d4f"),
    "low": QColor("#e8a317"),
    "zero": QColor("#d93025"),
    "error": QColor("#8e5bd0"),
    "unknown": QColor("#5f8fd8"),
    "empty": QColor("#9aa0a6"),
}
SIZES = (16, 22, 24, 32, 48, 64)


@dataclass(frozen=True)
class IconSpec:
    """Everything the icon shows; equal specs draw equal icons, so the icon is redrawn only on change."""

    level: str  # healthy | low | zero | error | unknown | empty
    fraction: float | None  # share of the gauge filled; None when the amount cannot be known
    stale: bool = False
    badge: Severity | None = None


def spec_for(views: list[AccountView], thresholds: dict[str | None, Decimal] | None = None) -> IconSpec:
    urgent = most_urgent(views)
    if urgent is None:
        return IconSpec("empty", None)
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


def render_image(spec: IconSpec, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if spec.stale:
        p.setOpacity(0.55)
    s = float(size)
    colour = COLOURS.get(spec.level, COLOURS["empty"])
    ring = max(2.0, s * 0.16)
    rect = QRectF(ring / 2 + s * 0.04, ring / 2 + s * 0.04, s - ring - s * 0.08, s - ring - s * 0.08)

    # Track: a dark outline around a light ring is visible on both light and dark panels.
    p.setPen(QPen(QColor(20, 20, 20, 200), ring + max(1.0, s / 16)))
    p.drawEllipse(rect)
    p.setPen(QPen(QColor(235, 235, 235), ring))
    p.drawEllipse(rect)

    if spec.fraction is not None and spec.fraction > 0:
        pen = QPen(colour, ring)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        p.setPen(pen)
        p.drawArc(rect, 90 * 16, -int(360 * 16 * spec.fraction))

    # Centre: filled with the state colour; "?" when the amount is unknown, "!" for an error.
    inner = rect.adjusted(ring * 0.9, ring * 0.9, -ring * 0.9, -ring * 0.9)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(colour))
    p.drawEllipse(inner)
    glyph = {"error": "!", "unknown": "?", "zero": "0"}.get(spec.level)
    if glyph and size >= 22:
        font = p.font()
        font.setBold(True)
        font.setPixelSize(max(8, int(inner.height() * 0.8)))
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(inner, Qt.AlignmentFlag.AlignCenter, glyph)

    if spec.badge is not None:
        p.setOpacity(1.0)
        r = s * 0.2
        centre = QPointF(s - r - 0.5, r + 0.5)
        badge = QPainterPath()
        badge.addEllipse(centre, r, r)
        p.setPen(QPen(QColor("white"), max(1.0, s / 24)))
        p.setBrush(QColor("#d93025") if spec.badge is Severity.CRITICAL else QColor("#e8a317"))
        p.drawPath(badge)
    p.end()
    return image


def render_icon(spec: IconSpec) -> QIcon:
    icon = QIcon()
    for size in SIZES:
        for scale in (1, 2):
            image = render_image(spec, size * scale)
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(scale)
            icon.addPixmap(pixmap)
    return icon
