"""The chart (rendered to an image, checked structurally), the details window's history, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog

from trayapp.core.forecast import forecast
from trayapp.core.models import Account, Snapshot
from trayapp.ui import chart
from trayapp.ui.chart import ChartData, chart_data, plot_rect, render_chart, x_of, y_of
from trayapp.ui.history_panel import CHART_POINTS

from .conftest import poll_and_wait

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SIZE = QSize(640, 320)


def close(a: QColor, b: QColor, tol: int = 70) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tol


def near(img: QImage, x: float, y: float, colour: QColor, radius: int = 2) -> bool:
    dpr = img.devicePixelRatio()
    cx, cy = round(x * dpr), round(y * dpr)
    r = round(radius * dpr)
    return any(
        close(img.pixelColor(i, j), colour)
        for i in range(cx - r, cx + r + 1)
        for j in range(cy - r, cy + r + 1)
        if 0 <= i < img.width() and 0 <= j < img.height()
    )


def column_share(img: QImage, x: float, top: float, bottom: float, colour: QColor) -> float:
    """Share of the rows between top and bottom with that colour within 2 px of x."""
    dpr = img.devicePixelRatio()
    rows = range(round(top * dpr) + 2, round(bottom * dpr) - 2)
    hits = sum(
        any(close(img.pixelColor(i, j), colour) for i in range(round(x * dpr) - 2, round(x * dpr) + 3)) for j in rows
    )
    return hits / len(rows)


def trial_series() -> tuple[ChartData, list[tuple[datetime, float]]]:
    """20 days of a trial account spending $0.10 a day, topped up by $2 ten days ago, expiring in 6 days."""
    values: list[tuple[datetime, float]] = []
    remaining = 4.0
    for h in range(20 * 24, -1, -6):
        remaining -= 0.025
        if h == 240:
            remaining += 2
        values.append((NOW - timedelta(hours=h), round(remaining, 4)))
    expires = NOW + timedelta(days=6)
    snap = Snapshot(
        "a",
        NOW,
        currency="USD",
        remaining=Decimal(str(values[-1][1])),
        remaining_granted=Decimal(str(values[-1][1])),
        expires_at=expires,
    )
    fc = forecast([(t, Decimal(str(v)), "USD") for t, v in values], snap, NOW)
    account = Account("a", "openai", "Trial", NOW - timedelta(days=60))
    return chart_data(account, snap, fc, values, timedelta(days=30), NOW), values


@pytest.mark.parametrize("dpr", [1.0, 2.0])
def test_chart_draws_axes_points_topup_forecast_and_expiry_at_its_date(qtbot, dpr: float) -> None:
    data, values = trial_series()
    assert data.expires_at == NOW + timedelta(days=6) and data.forecast is not None and len(data.topups) == 1
    img = render_chart(data, SIZE, dpr)
    assert (img.width(), img.height()) == (round(SIZE.width() * dpr), round(SIZE.height() * dpr))
    rect = plot_rect(SIZE)
    # Axes: the left and bottom edges of the plot are drawn along their length.
    assert column_share(img, rect.left(), rect.top(), rect.bottom(), chart.AXIS) > 0.9
    assert all(near(img, rect.left() + f * rect.width(), rect.bottom(), chart.AXIS, 1) for f in (0.1, 0.5, 0.9))
    # Every reading is on the line, where its time and value say.
    top = data.top()
    for t, v in values[::8]:
        assert near(img, x_of(data, rect, t), y_of(data, rect, v, top), chart.SERIES), t
    # The expiry: a vertical line at the x of its date (computed here from the axis, not by the chart).
    span = (data.end - data.start).total_seconds()
    x_exp = rect.left() + (data.expires_at - data.start).total_seconds() / span * rect.width()
    assert column_share(img, x_exp, rect.top(), rect.bottom(), chart.EXPIRY) > 0.3
    assert column_share(img, x_exp - 30, rect.top(), rect.bottom(), chart.EXPIRY) < 0.05
    # The forecast runs from the last reading towards the expiry.
    (t0, v0), (t1, v1) = data.forecast
    assert t0 == values[-1][0] and t1 == data.expires_at and v1 < v0
    mid_t = t0 + (t1 - t0) / 2
    assert near(img, x_of(data, rect, mid_t), y_of(data, rect, (v0 + v1) / 2, top), chart.FORECAST)
    # The top-up is marked under its point.
    tt, tv = data.topups[0]
    assert tv - 2 < max(v for t, v in values if t < tt)
    assert near(img, x_of(data, rect, tt), y_of(data, rect, tv, top) + 8, chart.TOPUP)
    # Nothing of the series is drawn to the right of "now".
    assert not near(img, x_of(data, rect, NOW + timedelta(days=2)), y_of(data, rect, values[-1][1], top), chart.SERIES)


def test_chart_without_history_draws_no_series_and_says_why(qtbot) -> None:
    account = Account("a", "openai", "OpenAI", NOW)
    unknown = chart_data(account, Snapshot("a", NOW, remaining=None), None, [(NOW, None)], timedelta(days=7), NOW)
    assert "not known" in unknown.message and not unknown.points
    empty = chart_data(account, None, None, [], timedelta(days=7), NOW)
    assert "No history yet" in empty.message
    img = render_chart(empty, SIZE)
    assert not any(
        close(img.pixelColor(x, y), chart.SERIES, 40)
        for x in range(0, img.width(), 3)
        for y in range(0, img.height(), 3)
    )


def test_details_window_charts_the_selected_account_with_its_ranges(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    c.open_details("demo-expiring")
    data = c.details.chart.data
    assert data is not None and len(data.points) > 50, "the demo's seeded weeks and the poll are drawn"
    snap = c.service.monitor.states["demo-expiring"].last_good
    assert data.expires_at == snap.expires_at and data.forecast is not None
    assert data.points[-1][1] == pytest.approx(3.20)
    assert "will be left when it expires on" in c.details.history.summary.text()
    now = datetime.now(UTC)
    c.details.history.set_range("7 days")
    seven = c.details.chart.data
    assert abs(seven.start - (now - timedelta(days=7))) < timedelta(minutes=1)
    assert all(t >= seven.start for t, _ in seven.points) and len(seven.points) < len(data.points)
    c.details.history.set_range("All")
    assert c.details.chart.data.start <= data.points[0][0]
    c.details.select_account("demo-healthy")
    healthy = c.details.chart.data
    assert len(healthy.topups) == 1 and healthy.expires_at is None, "the demo's top-up is marked"


def test_every_row_has_a_sparkline_of_its_last_30_days(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    c.open_details()
    table = c.details.table
    col = table.columnCount() - 1
    assert table.horizontalHeaderItem(col).text() == "Trend (30 d)"
    lines = {table.item(r, 0).text(): table.item(r, col).data(chart.SPARK_ROLE) for r in range(table.rowCount())}
    assert all(values and 10 <= len(values) <= 49 for values in lines.values()), lines
    healthy = lines["DeepSeek (demo)"]
    assert max(b - a for a, b in pairwise(healthy)) > 20, "the top-up shows"
    assert lines["OpenAI alias (demo)"][-1] == 0


def test_polls_are_recorded_and_exported_as_csv(qtbot, make_controller, tmp_path: Path, monkeypatch) -> None:
    c = make_controller()
    start = datetime.now(UTC).replace(microsecond=0)
    poll_and_wait(qtbot, c)
    recorded = c.service.history.readings(since=start)
    assert {r.account_id for r in recorded} == {a.id for a in c.service.config.accounts}
    zero = next(r for r in recorded if r.account_id == "demo-zero")
    assert zero.remaining == 0 and "credit_zero" in zero.alerts
    c.open_details("demo-expiring")
    target = tmp_path / "export.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV files (*.csv)"))
    c.details.export_button.click()
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) > 600 and {r["account_id"] for r in rows} == {"demo-expiring"}
    assert rows[-1]["remaining"] == "3.20" and "will_expire_unused" in rows[-1]["alerts"]
    assert c.details.export_csv(tmp_path / "low.csv", "demo-low") > 600


def test_a_year_of_20_accounts_opens_with_only_what_is_shown(qtbot, tmp_path: Path) -> None:
    from bench.year_of_history import open_details, year_of_history

    store, views = year_of_history(tmp_path / "history.sqlite3", accounts=20, now=NOW)
    window = open_details(store, views, NOW)
    qtbot.addWidget(window)
    window.history.set_range("All")
    data = window.chart.data
    assert data is not None and len(data.points) <= CHART_POINTS + 1
    assert data.points[0][0] < NOW - timedelta(days=360), "'All' reaches back a year"
    assert window.table.rowCount() == 20
    store.close()
