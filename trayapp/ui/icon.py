"""The tray icon, drawn at run time: a gauge of the most urgent account's remaining credit.

Colour says healthy / low / zero / error; a dimmed icon means the data is stale; a badge means an alert
is active. A dark outline with a light inner ring keeps it readable on light and dark panels, and every
size is drawn natively (and at 2x) so it stays sharp on HiDPI.

This module paints only (what the icon shows is decided in `tray.spec_for`), so start-up can draw the
first icon before the core is imported. For the same reason the `Qt` namespace is reached only in the
branches that need it: PySide6 creates its hundreds of enums on first use (docs/PERFORMANCE.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPainter, QPainterPath, QPen, QPixmap

if TYPE_CHECKING:
    from ..core.models import Severity

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


EMPTY = IconSpec("empty", None)  # no account has data yet: also the first icon, shown before the state is read


def render_image(spec: IconSpec, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)  # transparent
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
        pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
        p.setPen(pen)
        p.drawArc(rect, 90 * 16, -int(360 * 16 * spec.fraction))

    # Centre: filled with the state colour; "?" when the amount is unknown, "!" for an error.
    inner = rect.adjusted(ring * 0.9, ring * 0.9, -ring * 0.9, -ring * 0.9)
    centre_disc = QPainterPath()
    centre_disc.addEllipse(inner)
    p.fillPath(centre_disc, QBrush(colour))
    glyph = {"error": "!", "unknown": "?", "zero": "0"}.get(spec.level)
    if glyph and size >= 22:
        font = p.font()
        font.setBold(True)
        font.setPixelSize(max(8, int(inner.height() * 0.8)))
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(inner, QtCore.Qt.AlignmentFlag.AlignCenter, glyph)

    if spec.badge is not None:
        p.setOpacity(1.0)
        r = s * 0.2
        centre = QPointF(s - r - 0.5, r + 0.5)
        badge = QPainterPath()
        badge.addEllipse(centre, r, r)
        p.setPen(QPen(QColor("white"), max(1.0, s / 24)))
        p.setBrush(QColor("#d93025") if spec.badge == "critical" else QColor("#e8a317"))
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
