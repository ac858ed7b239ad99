"""The static icons: up to date with the drawing code, the sizes desktops look for, and each OS's rules."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter

from .conftest import APP_RDNN, ICONS, PACKAGING, load_script

HICOLOR = ICONS / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


@pytest.fixture(scope="module")
def make_icons(qapp):
    return load_script(PACKAGING / "make_icons.py", "make_icons")


# Rasterisers round differently on other CPUs (SIMD paths): a few pixels one or two levels apart. A changed
# drawing moves whole edges or colours, tens to hundreds of levels (see the test after the next one).
PIXEL_TOLERANCE = 8  # of 255, per channel
DIFFERING_SHARE = 0.02  # of the pixels, allowed to differ at all


def _png_images(name: str, data: bytes) -> list[tuple[bytes, QImage]]:
    """The PNG images in an output file: the file itself, or the entries of an ICO/ICNS container."""
    if name.endswith(".png"):
        chunks = [(b"png", data)]
    elif name.endswith(".ico"):
        count = struct.unpack_from("<H", data, 4)[0]
        chunks = []
        for i in range(count):
            dim, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
            chunks.append((bytes([dim]), data[offset : offset + length]))
    elif name.endswith(".icns"):
        chunks, offset = [], 8
        while offset < len(data):
            ostype, length = data[offset : offset + 4], struct.unpack_from(">I", data, offset + 4)[0]
            chunks.append((ostype, data[offset + 8 : offset + length]))
            offset += length
    else:
        raise ValueError(name)
    return [(tag, QImage.fromData(QByteArray(payload), "PNG")) for tag, payload in chunks]


def _drawing_differs(a: QImage, b: QImage) -> str | None:
    """Why two renderings are not the same drawing, or None when they differ by rounding only."""
    if a.isNull() or b.isNull():
        return "not a PNG"
    if a.size() != b.size():
        return f"size {a.width()}x{a.height()} vs {b.width()}x{b.height()}"
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    differing, worst = 0, 0
    for y in range(a.height()):
        row_a, row_b = a.constScanLine(y), b.constScanLine(y)
        if row_a == row_b:
            continue
        pa, pb = bytes(row_a)[: a.width() * 4], bytes(row_b)[: b.width() * 4]
        for x in range(0, len(pa), 4):
            delta = max(abs(pa[x + i] - pb[x + i]) for i in range(4))
            if delta:
                differing += 1
                worst = max(worst, delta)
    if worst > PIXEL_TOLERANCE or differing > DIFFERING_SHARE * a.width() * a.height():
        return f"{differing} pixels differ, by up to {worst} levels"
    return None


def _stale_outputs(outputs: dict[str, bytes], committed: Path) -> list[str]:
    stale = []
    for name, data in outputs.items():
        path = committed / name
        if not path.exists():
            stale.append(f"{name}: missing")
        elif name.endswith(".svg"):
            if path.read_bytes() != data:  # text, written the same on every machine
                stale.append(name)
        else:
            ours, theirs = _png_images(name, data), _png_images(name, path.read_bytes())
            if [t for t, _ in ours] != [t for t, _ in theirs]:
                stale.append(f"{name}: entries differ")
                continue
            for (tag, a), (_, b) in zip(ours, theirs, strict=True):
                if (why := _drawing_differs(a, b)) is not None:
                    stale.append(f"{name} {tag!r}: {why}")
    return stale


def test_committed_icons_are_what_make_icons_generates(make_icons) -> None:
    stale = _stale_outputs(make_icons.outputs(), ICONS)
    assert not stale, f"run `make icons` and commit: {stale}"


def test_a_changed_drawing_is_caught_and_rounding_is_not(make_icons, tmp_path: Path, monkeypatch) -> None:
    outputs = make_icons.outputs()
    # Rounding: a few pixels one level apart (what another CPU's rasteriser gives) pass.
    name = "hicolor/64x64/apps/" + APP_RDNN + ".png"
    image = QImage.fromData(QByteArray(outputs[name]), "PNG").convertToFormat(QImage.Format.Format_ARGB32)
    for x, y in ((10, 20), (30, 31), (40, 12), (50, 50)):
        c = image.pixelColor(x, y)
        image.setPixelColor(x, y, QColor(min(c.red() + 1, 255), c.green(), c.blue(), c.alpha()))
    rounded = dict(outputs)
    rounded[name] = make_icons.png_bytes(image)
    assert rounded[name] != outputs[name]
    target = tmp_path / "icons"
    for file, data in rounded.items():
        (target / file).parent.mkdir(parents=True, exist_ok=True)
        (target / file).write_bytes(data)
    assert _stale_outputs(outputs, target) == []
    # A changed drawing: the gauge at two thirds instead of three quarters, in every PNG, ICO and ICNS entry.
    monkeypatch.setattr(make_icons, "APP_SPEC", make_icons.IconSpec("healthy", 0.66))
    changed = _stale_outputs(make_icons.outputs(), target)
    assert any(n.startswith("hicolor/64x64/") for n in changed), changed
    assert any(n.startswith("credit-tray.ico ") for n in changed), changed
    assert any(n.startswith("credit-tray.icns ") for n in changed), changed
    # A changed colour is caught too.
    monkeypatch.setattr(make_icons, "APP_SPEC", make_icons.IconSpec("low", 0.75))
    assert any(n.startswith("hicolor/16x16/") for n in _stale_outputs(make_icons.outputs(), target))


@pytest.mark.parametrize("size", SIZES)
def test_hicolor_png_sizes(size: int) -> None:
    image = QImage(str(HICOLOR / f"{size}x{size}" / "apps" / f"{APP_RDNN}.png"))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def _rasterise_svg(path: Path, size: int) -> QImage:
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(path))
    assert renderer.isValid(), path
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    p = QPainter(image)
    renderer.render(p, QRectF(0, 0, size, size))
    p.end()
    return image


def _mean_difference(a: QImage, b: QImage) -> float:
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    total = 0
    for y in range(a.height()):
        for x in range(a.width()):
            ca, cb = a.pixelColor(x, y), b.pixelColor(x, y)
            total += sum(abs(u - v) for u, v in zip(ca.getRgb(), cb.getRgb(), strict=True))
    return total / (a.width() * a.height() * 4)


def test_scalable_svg_is_the_same_drawing_as_the_pngs(qapp) -> None:
    svg = _rasterise_svg(HICOLOR / "scalable" / "apps" / f"{APP_RDNN}.svg", 128)
    png = QImage(str(HICOLOR / "128x128" / "apps" / f"{APP_RDNN}.png"))
    assert _mean_difference(svg, png) < 3.0  # of 255: anti-aliasing only
    blank = QImage(128, 128, QImage.Format.Format_ARGB32)
    blank.fill(0)
    assert _mean_difference(blank, png) > 50  # the comparison does see a different picture


def test_symbolic_icon_uses_one_colour(qapp) -> None:
    path = HICOLOR / "symbolic" / "apps" / f"{APP_RDNN}-symbolic.svg"
    colours = {
        value
        for el in ET.parse(path).getroot().iter()
        for attr in ("fill", "stroke")
        if (value := el.get(attr)) not in (None, "none")
    }
    assert colours == {"#2e3436"}
    assert _rasterise_svg(path, 16).pixelColor(8, 8).alpha() == 255  # it draws something


def test_macos_template_is_black_and_alpha_only(qapp) -> None:
    for name, size in (("trayTemplate.png", 22), ("trayTemplate@2x.png", 44)):
        assert name.removesuffix(".png").removesuffix("@2x").endswith("Template")  # AppKit's naming rule
        image = QImage(str(ICONS / name)).convertToFormat(QImage.Format.Format_ARGB32)
        assert image.width() == size
        alphas = []
        for y in range(size):
            for x in range(size):
                c = image.pixelColor(x, y)
                alphas.append(c.alpha())
                assert c.alpha() == 0 or (c.red(), c.green(), c.blue()) == (0, 0, 0), (name, x, y)
        assert max(alphas) == 255 and sum(a > 0 for a in alphas) > size * size // 5


def _luminance(c: QColor) -> float:
    def lin(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.red()) + 0.7152 * lin(c.green()) + 0.0722 * lin(c.blue())


def _contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_windows_ico_has_the_sizes_and_reads_on_light_and_dark_taskbars(qapp) -> None:
    data = (ICONS / "credit-tray.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = {(struct.unpack_from("<B", data, 6 + 16 * i)[0] or 256) for i in range(count)}
    assert {16, 24, 32, 48, 256} <= sizes
    reader = QImageReader()
    from PySide6.QtCore import QBuffer

    buf = QBuffer()
    buf.setData(QByteArray(data))
    reader.setDevice(buf)
    reader.setFormat(b"ico")
    assert reader.imageCount() == count
    image = reader.read()
    assert not image.isNull()
    # Windows 11's light and dark taskbars: a good share of the 32 px icon must stand out from both.
    icon = QImage(str(HICOLOR / "32x32" / "apps" / f"{APP_RDNN}.png"))
    for background in (QColor("#f3f3f3"), QColor("#202020")):
        canvas = QImage(32, 32, QImage.Format.Format_ARGB32)
        canvas.fill(background)
        p = QPainter(canvas)
        p.drawImage(0, 0, icon)
        p.end()
        visible = sum(_contrast(canvas.pixelColor(x, y), background) >= 3 for y in range(32) for x in range(32))
        assert visible > 32 * 32 * 0.15, (background.name(), visible)


def test_macos_icns_has_retina_entries() -> None:
    data = (ICONS / "credit-tray.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    types, offset = set(), 8
    while offset < len(data):
        ostype, length = data[offset : offset + 4], struct.unpack_from(">I", data, offset + 4)[0]
        assert data[offset + 8 : offset + 16] == b"\x89PNG\r\n\x1a\n"
        types.add(ostype)
        offset += length
    assert offset == len(data)
    assert {b"ic07", b"ic08", b"ic09", b"ic10", b"ic13", b"ic14"} <= types


def test_the_packaged_first_icon_is_the_empty_gauge_the_app_draws(qapp) -> None:
    """A first start shows trayapp/ui/first-icon.png instead of painting (its first QImage costs 30-50 ms before
    the icon can show): it must be what the app would draw, the empty gauge at the icon cache's 64 px."""
    from trayapp.ui.icon import EMPTY, FIRST_ICON, IconSpec, render_image

    packaged = QImage(str(FIRST_ICON)).convertToFormat(QImage.Format.Format_ARGB32)
    drawn = render_image(EMPTY, 64).convertToFormat(QImage.Format.Format_ARGB32)
    assert packaged.size() == drawn.size()
    assert _drawing_differs(packaged, drawn) is None, "run `make icons` and commit trayapp/ui/first-icon.png"
    other = render_image(IconSpec("healthy", 0.5), 64).convertToFormat(QImage.Format.Format_ARGB32)
    assert _drawing_differs(packaged, other) is not None  # the comparison sees a different drawing
