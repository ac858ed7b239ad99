"""The details window as a user reads it (advice first, a table that fits and sorts, keys that work) and the
account dialog: a provider chosen by the user, what it can show said up front, and credit grants in the GUI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox

from tests.contract.openai_server import Answer, FakeOpenAI, me, models, serve
from tests.support.keyring_backend import MemoryKeyring
from trayapp.core.models import Account, Grant
from trayapp.secrets.store import SERVICE, KeyringStore
from trayapp.service import Service, open_service
from trayapp.ui.details import DetailsWindow
from trayapp.ui.dialogs import AccountDialog, confirm_remove

from .conftest import poll_and_wait

OPENAI_KEY = "sk-proj-CANARYgrants0123456789abcdef"


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAI]:
    yield from serve()


def rows_of(window: DetailsWindow) -> list[str]:
    return [window.table.item(r, 0).text() for r in range(window.table.rowCount())]


# ---------------------------------------------------------------- details


def test_the_explanation_comes_first_and_the_cause_before_its_effect(qtbot, make_controller) -> None:
    """The alias account is at zero *because* it is a second account: that advice leads, then the generic
    "no credit left", then the warning; the facts table comes last."""
    c = make_controller()
    poll_and_wait(qtbot, c)
    c.open_details("demo-alias")
    text = c.details.explanation.toPlainText()
    second = text.index("CRITICAL: ")
    zero = text.index("CRITICAL: ", second + 1)
    warning = text.index("WARNING: ")
    facts = text.index("Provider")
    assert "second account" in text[second:zero].lower()
    assert "no credit" in text[zero:warning].lower() or "zero" in text[zero:warning].lower()
    assert second < zero < warning < facts
    assert "What to do" in text[second:facts]


def test_the_table_sorts_numbers_as_numbers_and_keeps_the_selection(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    c.open_details("demo-healthy")
    window = c.details
    by_label = {v.account.label: v for v in window._views}
    window.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # what a click on "Remaining" does

    def remaining_in_rows() -> list[Decimal | None]:
        return [(s.remaining if (s := by_label[label].snapshot) else None) for label in rows_of(window)]

    values = remaining_in_rows()
    known = [v for v in values if v is not None]
    # By value, not by text ("82.40 CNY" and "$1.85" as strings sort the other way), unknown amounts last.
    assert known == sorted(known, reverse=True) and len(known) >= 3
    assert values[: len(known)] == known and all(v is None for v in values[len(known) :])
    assert window.selected_account_id() == "demo-healthy", "the selected account stays selected"
    # A new poll keeps the user's order and the selection.
    poll_and_wait(qtbot, c)
    assert remaining_in_rows() == values
    assert window.selected_account_id() == "demo-healthy"
    assert window.select_account("demo-zero") and window.selected_view().account.id == "demo-zero"


def test_tab_leaves_the_table_and_the_keys_close_and_refresh(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    c.open_details()
    window = c.details
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not window.table
    with qtbot.waitSignal(window.refresh_requested, timeout=2000):
        QTest.keyClick(window, Qt.Key.Key_F5)
    with qtbot.waitSignal(window.refresh_requested, timeout=2000):
        QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    c.open_details()
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_the_table_is_as_tall_as_its_rows_and_narrow_windows_stack(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    c.open_details("demo-zero")
    window = c.details
    qtbot.waitExposed(window)
    table = window.table
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    blank = table.viewport().height() - rows
    assert blank < 40, f"{blank} px of white under {table.rowCount()} rows"
    window.resize(640, 420)
    qtbot.waitUntil(lambda: window.panes.orientation() is Qt.Orientation.Vertical)
    assert window.explanation.width() >= 260, "the explanation never breaks letter by letter"
    window.resize(1040, 640)
    qtbot.waitUntil(lambda: window.panes.orientation() is Qt.Orientation.Horizontal)


def test_the_chart_gives_way_when_there_is_nothing_to_draw(qtbot, tmp_path: Path) -> None:
    """A fresh account has no history: a sentence instead of a chart, and the explanation gets the width."""
    core = open_service(str(tmp_path / "cfg"))
    window = DetailsWindow()
    qtbot.addWidget(window)
    window.set_history(core.history)
    core.put_account(Account("deepseek-1", "deepseek", "DS", datetime.now(UTC)))
    window.set_views(core.views(datetime.now(UTC)))
    window.show()
    qtbot.waitExposed(window)
    window.history.show_account(window.selected_view())
    assert window.history.nothing.isVisible() and not window.history.chart.isVisible()
    assert "No history yet" in window.history.nothing.text()
    sizes = window.panes.sizes()
    assert sizes[0] > sizes[1], sizes


def test_remove_asks_remove_or_cancel_with_cancel_the_default(qtbot) -> None:
    answers: list[str] = []

    def press(key: Qt.Key) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        answers.append(" / ".join(sorted(b.text().replace("&", "") for b in box.buttons())))
        QTest.keyClick(box, key)

    QTimer.singleShot(200, lambda: press(Qt.Key.Key_Return))  # Enter takes the default: Cancel
    assert confirm_remove(None, "My DeepSeek") is False
    assert answers == ["Cancel / Remove"]

    def click_remove() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        next(b for b in box.buttons() if b.text().replace("&", "") == "Remove").click()

    QTimer.singleShot(200, click_remove)
    assert confirm_remove(None, "My DeepSeek") is True


# ---------------------------------------------------------------- the account dialog


def test_the_add_dialog_chooses_no_provider_and_says_what_each_can_show_before_a_key(qtbot) -> None:
    dialog = AccountDialog()
    qtbot.addWidget(dialog)
    assert dialog.provider_name() is None and dialog.provider.currentText() == "Choose a provider…"
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert all(edit.isHidden() for edit in dialog.key_fields.values())
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai"))
    # Said before any key is typed, next to the provider, and as the item's tooltip in the list.
    assert "remaining credit with a normal key" in dialog.capability.text()
    index = dialog.provider.findData("openai")
    assert "Cannot be known" in dialog.provider.itemData(index, Qt.ItemDataRole.ToolTipRole)
    dialog.provider.setCurrentIndex(dialog.provider.findData("deepseek"))
    assert "Reads:" in dialog.capability.text()
    # Grants the user enters count for every provider (core.rules.apply_user_grants); OpenAI says where to look.
    assert not dialog.grants.isHidden() and "expiry counts down" in dialog.grants.help.text()
    dialog.provider.setCurrentIndex(0)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "Provider needed" in dialog.error.text()


def core_with_openai(tmp_path: Path, base_url: str, grants: tuple[Grant, ...] = ()) -> Service:
    core = open_service(str(tmp_path / "cfg"))
    backend = MemoryKeyring()
    backend.items[(SERVICE, "openai-1:api")] = OPENAI_KEY
    core.secrets = KeyringStore(backend=backend, timeout=2)
    core.config.accounts = [
        Account("openai-1", "openai", "OpenAI main", datetime.now(UTC), base_url=base_url, grants=grants)
    ]
    core.save_config()
    return core


def set_row(dialog: AccountDialog, row: int, amount: str, expires: date, effective: date | None = None) -> None:
    table = dialog.grants.table
    edit = table.cellWidget(row, 0)
    assert isinstance(edit, QLineEdit)
    edit.setText(amount)
    table.cellWidget(row, 4).setDate(QDate(expires.year, expires.month, expires.day))  # type: ignore[union-attr]
    if effective is not None:
        table.cellWidget(row, 3).setDate(QDate(effective.year, effective.month, effective.day))  # type: ignore[union-attr]


def test_grants_are_added_edited_and_removed_in_the_edit_dialog_and_saved(
    qtbot, make_controller, tmp_path: Path, openai_server: FakeOpenAI
) -> None:
    """What `trayapp accounts grant` does, from the GUI: the grant reaches config.json and its expiry counts down
    in the table; the dialog says where OpenAI lists the grants."""
    openai_server.route("GET", "/v1/me", Answer(200, me()))
    openai_server.route("GET", "/v1/models", models())
    old = Grant(Decimal("5"), "USD", date(2026, 1, 1), date(2027, 1, 1), kind="paid")
    core = core_with_openai(tmp_path, openai_server.base_url, (old,))
    c = make_controller(core=core)
    dialog = c.edit_account("openai-1")
    assert dialog is not None and not dialog.grants.isHidden()
    assert "Credit grants page" in dialog.grants.help.text()
    assert "billing/credit-grants" in dialog.grants.help.text()
    assert dialog.grants.table.rowCount() == 1
    # Edit the stored one, add a trial grant, then a broken row is refused naming its row.
    set_row(dialog, 0, "7.50", date(2027, 2, 1))
    dialog.grants.add_button.click()
    set_row(dialog, 1, "18", date(2026, 12, 31), effective=date(2026, 11, 1))
    dialog.grants.add_button.click()
    set_row(dialog, 2, "abc", date(2027, 1, 1))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "Grant 3" in dialog.error.text() and "not a number" in dialog.error.text()
    dialog.grants.table.selectRow(2)
    dialog.grants.remove_selected()
    with qtbot.waitSignal(dialog.finished, timeout=30000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.error.text()
    saved = json.loads((tmp_path / "cfg" / "config.json").read_text())["accounts"][0]["grants"]
    assert [(g["amount"], g["expires"], g.get("kind")) for g in saved] == [
        ("7.50", "2027-02-01", "paid"),
        ("18", "2026-12-31", "granted"),
    ]
    assert OPENAI_KEY not in (tmp_path / "cfg" / "config.json").read_text()
    [account] = c.service.config.accounts
    assert account.grants[1].effective == date(2026, 11, 1)
    # Removing every grant saves an empty list: the user's word, not "keep the old ones".
    dialog = c.edit_account("openai-1")
    assert dialog is not None and dialog.grants.table.rowCount() == 2
    dialog.grants.table.selectRow(0)
    dialog.grants.remove_selected()
    dialog.grants.table.selectRow(0)
    dialog.grants.remove_selected()
    assert dialog.grants.empty.isVisible() or dialog.grants.table.rowCount() == 0
    with qtbot.waitSignal(dialog.finished, timeout=30000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert c.service.config.accounts[0].grants == ()


# ---------------------------------------------------------------- settings


def test_each_currency_of_the_accounts_gets_its_own_low_credit_threshold(qtbot, make_controller, tmp_path) -> None:
    """5 USD and 5 CNY are not the same warning: the dialog lists the currencies the accounts use, and a CNY
    threshold of 100 flags the DeepSeek demo account (82.40 CNY) without touching the USD accounts."""
    from trayapp.ui.dialogs import SettingsDialog

    c = make_controller()
    poll_and_wait(qtbot, c)
    c.open_settings()
    dialog = next(d for d in c._dialogs if isinstance(d, SettingsDialog))
    assert {"CNY", "USD"} <= set(dialog.thresholds)
    assert dialog.thresholds["CNY"].value() == 5.0

    def low(views) -> set[str]:
        return {v.account.id for v in views if any(a.code == "credit_low" for a in v.alerts)}

    def in_currency(views, code: str) -> set[str]:
        return {v.account.id for v in views if v.snapshot and v.snapshot.currency == code}

    before = c.service.views(datetime.now(UTC))
    dialog.thresholds["CNY"].setValue(100)
    dialog.accept()
    # Only the currency that differs from the default is kept (the demo keeps its settings in memory).
    assert dict(c.service.config.settings.low_credit_thresholds) == {"CNY": Decimal("100")}
    after = c.service.views(datetime.now(UTC))
    deepseek = next(v for v in after if v.account.provider == "deepseek" or "DeepSeek" in v.account.label)
    assert deepseek.account.id in low(after) - low(before)
    assert low(after) & in_currency(after, "USD") == low(before) & in_currency(before, "USD")
