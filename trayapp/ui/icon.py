"""The tray icon, drawn at run time: the most urgent account's state and what is left of its credit.

Colour says healthy / low / zero / error / second account; a glyph names the kind of problem ("0" no credit,
"!" key rejected, "2" second account, "↓" low, an hourglass for expiry, "?" unknown); a dimmed icon means
the data is stale; a badge means an alert is active. Three drawings: "ring" (a gauge around the glyph: the app
icon, packaging/make_icons.py), and for the tray, as the `icon_style` setting says, "bar" (the glyph above a
thick bar of what is left, legible at 22 px) or "number" (the amount itself). A dark outline with light
insides keeps each readable on light and dark panels, and every size is drawn natively (and at 2x) so it
stays sharp on HiDPI.

This module paints only (what the icon shows is decided in `tray.spec_for`), so start-up can draw the
first icon before the core is imported. For the same reason the `Qt` namespace is reached only in the
branches that need it: PySide6 creates its hundreds of enums on first use (docs/PERFORMANCE.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
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
    "second": QColor("#b83f8f"),  # a second account: not "low" (amber), its own mark
}
# The empty gauge, drawn by packaging/make_icons.py: a first start shows it as a restart shows the icon cache, without
# painting (the process's first QImage costs 30-50 ms, before the icon can show).
FIRST_ICON = Path(__file__).with_name("first-icon.png")
HOURGLASS = "hourglass"  # a glyph drawn as a shape (fonts of minimal systems lack U+231B)
SIZES = (16, 22, 24, 32, 48, 64)


@dataclass(frozen=True)
class IconSpec:
    """Everything the icon shows; equal specs draw equal icons, so the icon is redrawn only on change."""

    level: str  # healthy | low | zero | error | unknown | empty | second (the colour)
    fraction: float | None  # share of the gauge filled; None when the amount cannot be known
    stale: bool = False
    badge: Severity | None = None
    glyph: str | None = None  # the kind of problem; None: the ring's own ("?", "!", "0" by level)
    style: str = "ring"  # ring | bar | number
    amount: str | None = None  # the "number" style's text ("1.8", "82", "15k")


APP_ICON = IconSpec("healthy", 0.75)  # the app's own icon (packaging/make_icons.py, notifications)
EMPTY = IconSpec("empty", None)  # no account has data yet: also the first icon, shown before the state is read


def render_image(spec: IconSpec, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)  # transparent
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if spec.stale:
        p.setOpacity(0.55)
    if spec.style == "bar":
        _draw_bar(p, spec, float(size))
    elif spec.style == "number":
        _draw_number(p, spec, float(size))
    else:
        _draw_ring(p, spec, size)
    if spec.badge is not None:
        _draw_badge(p, spec.badge, float(size), 0.14 if spec.style == "number" else 0.2)
    p.end()
    return image


def _draw_ring(p: QPainter, spec: IconSpec, size: int) -> None:
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
    glyph = spec.glyph or {"error": "!", "unknown": "?", "zero": "0"}.get(spec.level)
    if glyph and size >= 22:
        _draw_glyph(p, inner, glyph, 0.8)


def _outline_pen(s: float) -> QPen:
    return QPen(QColor(20, 20, 20, 200), max(1.0, s / 16))


def _draw_glyph(p: QPainter, box: QRectF, glyph: str, scale: float) -> None:
    """A white glyph centred in `box`, drawn as strokes, not with a font: the same on every system (minimal
    ones lack some characters), crisp at 16 px, and painting the icon loads no font (fontconfig and a font
    file cost the tray ~3.5 MiB). A glyph with no drawing (none today) falls back to the font."""
    if glyph == HOURGLASS:
        w, h = box.width() * 0.5, box.height() * 0.62
        x0, y0 = box.center().x() - w / 2, box.center().y() - h / 2
        path = QPainterPath()
        path.moveTo(x0, y0)
        path.lineTo(x0 + w, y0)
        path.lineTo(x0, y0 + h)
        path.lineTo(x0 + w, y0 + h)
        path.closeSubpath()
        p.fillPath(path, QBrush(QColor("white")))
        return
    strokes = _GLYPH_STROKES.get(glyph)
    if strokes is None:
        font = p.font()
        font.setBold(True)
        font.setPixelSize(max(7, int(box.height() * scale)))
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, glyph)
        return
    side = min(box.width(), box.height()) * scale
    path, dots = strokes(QRectF(box.center().x() - side / 2, box.center().y() - side / 2, side, side))
    pen = QPen(QColor("white"), max(1.2, side * 0.15))
    pen.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(QtCore.Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(QColor("white"))
    for centre in dots:
        p.drawEllipse(centre, pen.widthF() * 0.62, pen.widthF() * 0.62)


def _at(u: QRectF, x: float, y: float) -> QPointF:
    """A point of the glyph's unit square (0..1 both ways, y down)."""
    return QPointF(u.x() + x * u.width(), u.y() + y * u.height())


def _box(u: QRectF, cx: float, cy: float, r: float) -> QRectF:
    return QRectF(u.x() + (cx - r) * u.width(), u.y() + (cy - r) * u.height(), 2 * r * u.width(), 2 * r * u.height())


def _exclamation(u: QRectF) -> tuple[QPainterPath, list[QPointF]]:
    path = QPainterPath(_at(u, 0.5, 0.14))
    path.lineTo(_at(u, 0.5, 0.58))
    return path, [_at(u, 0.5, 0.84)]


def _question(u: QRectF) -> tuple[QPainterPath, list[QPointF]]:
    hook = _box(u, 0.5, 0.33, 0.2)
    path = QPainterPath()
    path.arcMoveTo(hook, 160)
    path.arcTo(hook, 160, -250)  # over the top and round to below the centre
    path.lineTo(_at(u, 0.5, 0.62))
    return path, [_at(u, 0.5, 0.86)]


def _zero(u: QRectF) -> tuple[QPainterPath, list[QPointF]]:
    path = QPainterPath()
    path.addEllipse(QRectF(_at(u, 0.27, 0.12), _at(u, 0.73, 0.88)))
    return path, []


def _two(u: QRectF) -> tuple[QPainterPath, list[QPointF]]:
    top = _box(u, 0.5, 0.34, 0.22)
    path = QPainterPath()
    path.arcMoveTo(top, 165)
    path.arcTo(top, 165, -200)
    path.lineTo(_at(u, 0.26, 0.86))
    path.lineTo(_at(u, 0.76, 0.86))
    return path, []


def _down(u: QRectF) -> tuple[QPainterPath, list[QPointF]]:
    path = QPainterPath(_at(u, 0.5, 0.12))
    path.lineTo(_at(u, 0.5, 0.86))
    path.moveTo(_at(u, 0.22, 0.58))
    path.lineTo(_at(u, 0.5, 0.86))
    path.lineTo(_at(u, 0.78, 0.58))
    return path, []


_GLYPH_STROKES = {"!": _exclamation, "?": _question, "0": _zero, "2": _two, "↓": _down}


def _draw_bar(p: QPainter, spec: IconSpec, s: float) -> None:
    """The kind of problem on a disc, and below it a bar of what is left (none when that is unknown)."""
    colour = COLOURS.get(spec.level, COLOURS["empty"])
    line = max(1.0, s / 16)
    if spec.fraction is None:
        r = s * 0.44
        centre = QPointF(s / 2, s / 2)
    else:
        r = s * 0.35
        centre = QPointF(s / 2, s * 0.37)
    p.setPen(_outline_pen(s))
    p.setBrush(colour)
    p.drawEllipse(centre, r, r)
    if spec.glyph and s >= 16:
        _draw_glyph(p, QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r), spec.glyph, 0.85)
    if spec.fraction is None:
        return
    bar = QRectF(s * 0.05 + line / 2, s * 0.76, s * 0.9 - line, s * 0.21)
    p.setPen(_outline_pen(s))
    p.setBrush(QColor(235, 235, 235))
    p.drawRect(bar)
    if spec.fraction > 0:
        fill = QRectF(bar.x(), bar.y(), bar.width() * min(1.0, spec.fraction), bar.height())
        p.fillRect(fill, colour)


def _draw_number(p: QPainter, spec: IconSpec, s: float) -> None:
    """The amount itself on a tile of the state's colour (the glyph where the amount is unknown)."""
    colour = COLOURS.get(spec.level, COLOURS["empty"])
    tile = QRectF(s * 0.04, s * 0.12, s * 0.92, s * 0.76)
    p.setPen(_outline_pen(s))
    p.setBrush(colour)
    p.drawRoundedRect(tile, s * 0.16, s * 0.16)
    text = spec.amount or spec.glyph
    if not text:
        return
    if text == HOURGLASS:
        _draw_glyph(p, tile, text, 0.8)
        return
    font = p.font()
    font.setBold(True)
    pixels = int(tile.height() * 0.9)
    font.setPixelSize(pixels)
    from PySide6.QtGui import QFontMetricsF

    while pixels > 6 and QFontMetricsF(font).horizontalAdvance(text) > tile.width() - s * 0.06:
        pixels -= 1
        font.setPixelSize(pixels)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(tile, QtCore.Qt.AlignmentFlag.AlignCenter, text)


def _draw_badge(p: QPainter, badge: Severity, s: float, share: float) -> None:
    p.setOpacity(1.0)
    r = s * share
    centre = QPointF(s - r - 0.5, r + 0.5)
    path = QPainterPath()
    path.addEllipse(centre, r, r)
    p.setPen(QPen(QColor("white"), max(1.0, s / 24)))
    p.setBrush(QColor("#d93025") if badge == "critical" else QColor("#e8a317"))
    p.drawPath(path)


def render_icon(spec: IconSpec) -> QIcon:
    icon = QIcon()
    for size in SIZES:
        for scale in (1, 2):
            image = render_image(spec, size * scale)
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(scale)
            icon.addPixmap(pixmap)
    return icon
