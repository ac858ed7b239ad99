"""The growth plot of docs/PERFORMANCE.md: refresh time and memory at rest against the number of accounts, for
the app, its limit and its target. Plain SVG text, written by hand: no plotting dependency."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from . import report

FILE = "performance-growth.svg"
WIDTH, HEIGHT = 820, 345
PANEL_W, PANEL_H = 320, 220
LEFT, TOP = 70, 62
GAP = 90
APP, LIMIT, TARGET, INK, GRID = "#1f6fb2", "#6b6b6b", "#d9730d", "#222222", "#e3e3e3"

Series = tuple[str, str, str, list[tuple[float, float]]]  # label, colour, dash pattern, points


def growth_svg(out: dict[str, Any]) -> str:
    growth = out["growth"]
    sizes = sorted(int(n) for n in growth)
    walls = [(float(n), float(growth[str(n)]["wall_s_median"])) for n in sizes]
    rss = [(float(n), growth[str(n)]["rss_rest_kib"] / 1024) for n in sizes]
    first_n, first_rss = rss[0]
    per_account_mib = report.GROWTH_KIB_PER_ACCOUNT * 1000 / 1024 / 1024
    refresh_series: list[Series] = [
        ("the app (median)", APP, "", walls),
        (f"limit: one answer ({report.ANSWER_S:g} s)", LIMIT, "6 4", [(n, report.ANSWER_S) for n, _ in walls]),
        ("target", TARGET, "2 3", [(50.0, report.REFRESH_S), (500.0, report.GROWTH_REFRESH_S)]),
    ]
    memory_series: list[Series] = [
        ("the app at rest (RSS)", APP, "", rss),
        (f"limit: nothing per account ({first_n:g} accounts' figure)", LIMIT, "6 4", [(n, first_rss) for n, _ in rss]),
        (
            f"target: +{report.GROWTH_KIB_PER_ACCOUNT:g} KB per account",
            TARGET,
            "2 3",
            [(n, first_rss + per_account_mib * (n - first_n)) for n, _ in rss],
        ),
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="13" fill="{INK}">'
        f"Credit Tray: refresh and memory against the number of accounts ({escape(out['date'])}, "
        f"answers in {report.ANSWER_S * 1000:.0f} ms)</text>",
    ]
    parts += _panel(LEFT, TOP, "refresh in the tray (s)", sizes, refresh_series, "{:.1f}")
    parts += _panel(LEFT + PANEL_W + GAP, TOP, "memory at rest (MiB)", sizes, memory_series, "{:.0f}")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _panel(x0: float, y0: float, title: str, sizes: list[int], series: list[Series], fmt: str) -> list[str]:
    xs = [float(n) for n in sizes]
    ys = [y for _, _, _, points in series for _, y in points]
    x_max = max(xs) * 1.05
    y_low = 0.0 if "s)" in title else min(ys) * 0.9
    y_high = max(ys) * 1.15
    y_low, y_high = _nice(y_low, y_high)

    def px(x: float) -> float:
        return x0 + x / x_max * PANEL_W

    def py(y: float) -> float:
        return y0 + PANEL_H - (y - y_low) / (y_high - y_low) * PANEL_H

    parts = [f'<text x="{x0}" y="{y0 - 10}" fill="{INK}" font-size="12">{escape(title)}</text>']
    for i in range(5):
        y = y_low + (y_high - y_low) * i / 4
        parts.append(f'<line x1="{x0}" y1="{py(y):.1f}" x2="{x0 + PANEL_W}" y2="{py(y):.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{x0 - 6}" y="{py(y) + 4:.1f}" text-anchor="end" fill="{INK}">{fmt.format(y)}</text>')
    for n in sizes:
        parts.append(f'<text x="{px(n):.1f}" y="{y0 + PANEL_H + 16}" text-anchor="middle" fill="{INK}">{n}</text>')
    parts.append(
        f'<text x="{x0 + PANEL_W / 2}" y="{y0 + PANEL_H + 32}" text-anchor="middle" fill="{INK}">accounts</text>'
    )
    parts.append(f'<rect x="{x0}" y="{y0}" width="{PANEL_W}" height="{PANEL_H}" fill="none" stroke="{INK}"/>')
    for index, (label, colour, dash, points) in enumerate(series):
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>')
        for x, y in points:
            parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        ly = y0 + 14 + index * 15
        parts.append(
            f'<line x1="{x0 + 8}" y1="{ly - 4}" x2="{x0 + 28}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2"{dashed}/>'
        )
        parts.append(f'<text x="{x0 + 33}" y="{ly}" fill="{INK}">{escape(label)}</text>')
    return parts


def _nice(low: float, high: float) -> tuple[float, float]:
    """Axis ends on round numbers, so the four grid steps are readable."""
    span = high - low
    step = next(s for s in (0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200) if span / 4 <= s)
    return (low // step) * step, -(-high // step) * step
