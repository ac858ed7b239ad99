"""The tray icon: a glyph per kind of problem, the second account in its own colour, what is left legible at
22 px (a bar or the number, the `icon_style` setting), drawn from the demo accounts' real views."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtGui import QColor, QImage

from trayapp.core.codec import settings_in, settings_out
from trayapp.core.models import Settings, Severity
from trayapp.ui.icon import COLOURS, HOURGLASS, IconSpec, render_image
from trayapp.ui.tray import compact_amount, spec_for

from .conftest import poll_and_wait


def demo_views(qtbot, make_controller):
    c = make_controller()
    poll_and_wait(qtbot, c)
    return {v.account.id: v for v in c.tray.views}


def test_each_kind_of_problem_has_its_glyph_and_a_second_account_its_own_colour(qtbot, make_controller) -> None:
    views = demo_views(qtbot, make_controller)
    marks = {key: spec_for([views[key]]) for key in views}
    assert (marks["demo-zero"].glyph, marks["demo-zero"].level) == ("0", "zero")
    assert (marks["demo-low"].glyph, marks["demo-low"].level) == ("↓", "low")
    assert (marks["demo-expiring"].glyph, marks["demo-expiring"].level) == ("↓", "low")  # low credit outranks
    assert marks["demo-healthy"].glyph is None and marks["demo-healthy"].level == "healthy"
    # The alias has no credit *because* it is a second account; its own mark when the credit is not the issue:
    alias = views["demo-alias"]
    second_only = replace(
        alias, alerts=tuple(a for a in alias.alerts if a.code != "credit_zero"), level=views["demo-low"].level
    )
    spec = spec_for([second_only])
    assert (spec.glyph, spec.level) == ("2", "second") and spec.level != "low"
    assert COLOURS["second"] != COLOURS["low"]
    # The icon shows the most urgent account (the core ordering), badged by the worst alert of all.
    everything = spec_for(list(views.values()))
    assert (everything.level, everything.glyph, everything.badge) == ("zero", "0", Severity.CRITICAL)


def test_the_bar_is_drawn_only_against_a_known_total(qtbot, make_controller) -> None:
    views = demo_views(qtbot, make_controller)
    assert spec_for([views["demo-low"]]).fraction == 0.185  # $1.85 of its $10.00 limit
    assert spec_for([views["demo-healthy"]]).fraction is None  # DeepSeek: a balance, no total


def _share(image: QImage, colour: QColor, box: tuple[int, int, int, int]) -> float:
    x0, y0, w, h = box
    hits = 0
    for x in range(x0, x0 + w):
        for y in range(y0, y0 + h):
            c = image.pixelColor(x, y)
            hits += (
                abs(c.red() - colour.red()) < 40
                and abs(c.green() - colour.green()) < 40
                and abs(c.blue() - colour.blue()) < 40
            )
    return hits / (w * h)


def test_at_22_px_the_bar_shows_what_is_left(qtbot) -> None:
    amber = COLOURS["low"]
    half = render_image(IconSpec("low", 0.5, False, None, "↓", "bar"), 22)
    # The bar's row: its left half filled with the state's colour, the right half the light track.
    left, right = _share(half, amber, (2, 18, 8, 3)), _share(half, amber, (12, 18, 8, 3))
    assert left > 0.8 and right < 0.2, (left, right)
    unknown = render_image(IconSpec("healthy", None, False, None, None, "bar"), 22)
    assert _share(unknown, QColor(235, 235, 235), (2, 18, 18, 3)) < 0.1, "no track drawn for an unknown total"


def test_the_number_style_draws_the_amount(qtbot) -> None:
    assert [compact_amount(Decimal(v)) for v in ("0", "1.85", "3.20", "82.40", "950", "1234", "15000")] == [
        "0",
        "1.8",
        "3.2",
        "82",
        "950",
        "1.2k",
        "15k",
    ]
    tile = render_image(IconSpec("low", 0.185, False, None, "↓", "number", "1.8"), 22)
    other = render_image(IconSpec("low", 0.185, False, None, "↓", "number", "82"), 22)
    white = QColor("white")
    assert _share(tile, white, (2, 4, 18, 14)) > 0.1, "the amount is drawn in white on the tile"
    assert tile != other, "another amount draws another icon"
    assert render_image(IconSpec("low", 0.5, False, None, HOURGLASS, "number"), 22) != render_image(
        IconSpec("low", 0.5, False, None, None, "number"), 22
    )


def test_icon_style_is_a_setting_kept_in_config(qtbot) -> None:
    assert Settings().icon_style == "bar"
    assert settings_in(settings_out(replace(Settings(), icon_style="number"))).icon_style == "number"
    told: list[str] = []
    read = settings_in({"icon_style": "sparkles"}, lambda field, problem, instead: told.append(field))
    assert read.icon_style == "bar", "a style this version lacks: the default"
    assert told == ["settings.icon_style"], "and the user is told, as for every bad value (the file is kept)"


def test_the_controller_draws_the_style_the_settings_name(qtbot, make_controller) -> None:
    c = make_controller()
    c.service.config.settings = replace(c.service.config.settings, icon_style="number")
    with qtbot.waitSignal(c.settled, timeout=20000):
        c.start()
    spec = c.tray.icon_spec
    assert spec is not None and spec.style == "number" and spec.amount == "0"


def test_the_tooltip_lists_the_most_urgent_accounts_and_counts_the_rest(qtbot, make_controller) -> None:
    """A panel shows a tooltip in one look: with many accounts it lists the most urgent twenty (as the menu
    orders them) and says how many more there are, rather than hundreds of lines."""
    from trayapp.ui.tray import TOOLTIP_ACCOUNTS, account_line

    views = list(demo_views(qtbot, make_controller).values())
    c = make_controller()
    many = [
        replace(v, account=replace(v.account, id=f"{v.account.id}-{i}", label=f"{v.account.label} {i}"))
        for i in range(4)
        for v in views
    ]  # 32 accounts
    c.tray.set_views(many)
    lines = c.tray.tooltip().splitlines()
    shown = c.tray.views[:TOOLTIP_ACCOUNTS]
    assert lines[1 : 1 + TOOLTIP_ACCOUNTS] == [account_line(v, c.clock()) for v in shown]
    assert lines[1 + TOOLTIP_ACCOUNTS] == f"…and {len(many) - TOOLTIP_ACCOUNTS} more"
    # The menu too: the twenty most urgent, then one entry for the rest, which opens the details.
    from trayapp.ui.tray import MENU_ACCOUNTS

    entries = [a.text() for a in c.tray.menu.actions()]
    assert [t for t in entries if any(t == account_line(v, c.clock()) for v in many)] == [
        account_line(v, c.clock()) for v in c.tray.views[:MENU_ACCOUNTS]
    ]
    more = c.tray.action(f"…and {len(many) - MENU_ACCOUNTS} more accounts: Details…")
    assert more is not None and more.isEnabled()
    with qtbot.waitSignal(c.tray.details_requested) as asked:
        more.trigger()
    assert asked.args == [""]
    c.tray.set_views(views)
    assert "more" not in c.tray.tooltip() and len(c.tray.tooltip().splitlines()) == len(views) + 2
    assert not any("more accounts" in a.text() for a in c.tray.menu.actions())
