from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.support.keyring_backend import MemoryKeyring
from trayapp.secrets.store import KeyringStore
from trayapp.service import open_service
from trayapp.ui.details import COLUMNS
from trayapp.ui.dialogs import AccountDialog, SettingsDialog
from trayapp.ui.single_instance import SingleInstance

from .conftest import poll_and_wait


def test_details_table_lists_accounts_with_every_column(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    c.open_details()
    table = c.details.table
    assert [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())] == list(COLUMNS)
    rows = {
        table.item(r, 0).text(): [table.item(r, col).text() for col in range(len(COLUMNS))]
        for r in range(table.rowCount())
    }
    assert rows["DeepSeek (demo)"][2:4] == ["82.40 CNY", "10.00 CNY / 72.40 CNY"]
    # The expiry reads as a countdown, alerts by name (most serious first), the status in words that agree with
    # the alerts: never "ok" beside $0.00.
    assert rows["OpenAI trial (demo)"][4] == "in 5 d"
    assert rows["OpenAI alias (demo)"][7] == "Second account detected, No credit left, No trial credit"
    assert rows["OpenAI alias (demo)"][5] == "Critical"
    assert rows["Moonshot (demo)"][2] == "0.00 CNY" and rows["Moonshot (demo)"][5] == "Critical"
    assert rows["DeepSeek (demo)"][5] == "OK"
    # Demo accounts are built in: they cannot be edited or removed.
    c.details.select_account("demo-healthy")
    assert not c.details.edit_button.isEnabled() and not c.details.remove_button.isEnabled()


def test_details_explains_zero_credit_with_sources(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    c.open_details("demo-zero")
    html = c.details.explanation_html()
    assert "insufficient_quota" in html and "Nothing is charged automatically" in html
    assert "trial credit is spent before paid credit" in html


def test_closing_details_hides_it_but_the_app_stays(qtbot, make_controller) -> None:
    c = make_controller()
    c.open_details()
    c.details.close()
    assert not c.details.isVisible()


def real_core(tmp_path: Path):
    core = open_service(str(tmp_path / "cfg"))
    backend = MemoryKeyring()
    core.secrets = KeyringStore(backend=backend)
    return core, backend


def test_add_account_dialog_masks_the_key_and_reports_a_failed_test_poll(
    qtbot, make_controller, tmp_path: Path
) -> None:
    core, backend = real_core(tmp_path)
    c = make_controller(core=core)
    dialog = c.add_account()
    assert dialog.key_fields["api"].echoMode() == dialog.key_fields["api"].EchoMode.Password
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai-compatible"))
    dialog.label.setText("Local relay")
    dialog.base_url.setText("http://127.0.0.1:9/v1")  # nothing listens on the discard port
    dialog.key_fields["api"].setText("sk-relay-CANARY-123456")
    with qtbot.waitSignal(c.poller.tested, timeout=30000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible(), "the dialog stays open on a failed test poll"
    assert dialog.error.isVisible() and dialog.error.text()
    assert backend.items == {}, "nothing reaches the keyring before the key works"
    assert core.config.accounts == []
    dialog.reject()


def test_add_account_dialog_refuses_plain_http_to_another_host(qtbot, make_controller, tmp_path: Path) -> None:
    core, _ = real_core(tmp_path)
    c = make_controller(core=core)
    dialog = c.add_account()
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai-compatible"))
    dialog.base_url.setText("http://relay.example.com/v1")
    dialog.key_fields["api"].setText("sk-abc")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "plain http" in dialog.error.text()
    assert not dialog.busy.isVisible()
    dialog.reject()


def test_add_account_dialog_requires_a_key_and_a_relay_address(qtbot) -> None:
    dialog = AccountDialog()
    qtbot.addWidget(dialog)
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai-compatible"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "Base URL needed" in dialog.error.text()
    dialog.provider.setCurrentIndex(dialog.provider.findData("deepseek"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "Enter the api key" in dialog.error.text()
    # OpenAI asks for the optional admin key too; DeepSeek does not.
    assert dialog.key_fields["admin"].isHidden()
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai"))
    assert not dialog.key_fields["admin"].isHidden()


def test_a_key_with_a_declared_caution_shows_it_in_the_dialog(qtbot) -> None:
    """OpenAI declares a caution for session keys (sess-…); an ordinary key shows none, and no provider's name is
    needed in the dialog for it."""
    dialog = AccountDialog()
    qtbot.addWidget(dialog)
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai"))
    dialog.key_fields["api"].setText("sk-proj-" + "x" * 30)
    dialog.draft()
    assert "as powerful as your login" not in dialog.hint.text()
    dialog.key_fields["api"].setText("sess-" + "x" * 30)
    dialog.draft()
    assert "as powerful as your login" in dialog.hint.text()


def test_the_account_dialog_builds_its_key_fields_from_the_declared_kinds(qtbot, monkeypatch) -> None:
    """A provider declaring a new kind of key gets its field with no change to the dialog; a sample provider
    is never offered; the probe box follows the provider's options."""
    from dataclasses import replace

    from trayapp.core.i18n import tr_noop
    from trayapp.providers import catalog
    from trayapp.providers.base import SecretSpec

    extra = replace(
        catalog.info("deepseek"),
        name="example",
        display_name="Example",
        secrets=(SecretSpec("api", tr_noop("API key")), SecretSpec("billing", "Billing key", required=False)),
    )
    monkeypatch.setitem(catalog.CATALOG.declared, "example", extra)
    dialog = AccountDialog()
    qtbot.addWidget(dialog)
    offered = {dialog.provider.itemData(i) for i in range(1, dialog.provider.count())}
    assert "example" in offered and not any(catalog.info(name).sample for name in offered)
    assert "demo" not in offered
    dialog.provider.setCurrentIndex(dialog.provider.findData("example"))
    assert not dialog.key_fields["billing"].isHidden() and dialog.key_labels["billing"].text() == "Billing key"
    assert dialog.key_fields["admin"].isHidden() and dialog.probe.isHidden()
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai"))
    assert dialog.key_fields["billing"].isHidden() and not dialog.probe.isHidden()
    # A kind with a declared prefix is checked as it is entered, before any request.
    dialog.key_fields["api"].setText("sk-proj-abcdef")
    dialog.key_fields["admin"].setText("sk-proj-not-an-admin-key")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "must start with sk-admin-" in dialog.error.text()


def test_settings_are_saved_apart_from_state_without_secrets(qtbot, make_controller, tmp_path: Path) -> None:
    core, _ = real_core(tmp_path)
    c = make_controller(core=core)
    c.open_settings()
    dialog = next(d for d in c._dialogs if isinstance(d, SettingsDialog))
    assert dialog.interval.value() == 15 and dialog.interval.minimum() == 1
    dialog.interval.setValue(5)
    dialog.threshold.setValue(2.5)
    dialog.expiry_days.setValue(14)
    dialog.notifications.setChecked(False)
    dialog.icon_style.setCurrentIndex(dialog.icon_style.findData("number"))
    dialog.accept()
    saved = json.loads((tmp_path / "cfg" / "config.json").read_text())["settings"]
    assert saved["icon_style"] == "number" and c.tray.icon_spec is not None
    assert saved["poll_interval_minutes"] == 5 and saved["low_credit_threshold"] == "2.5"
    assert saved["expiry_warning_days"] == 14 and saved["notifications"] is False
    assert c.service.monitor.settings.poll_interval_minutes == 5


def test_second_instance_brings_the_first_forward(qtbot, tmp_path: Path) -> None:
    name = f"credit-tray-test-{tmp_path.name}"
    first = SingleInstance(name)
    assert first.listen()
    second = SingleInstance(name)
    with qtbot.waitSignal(first.activated, timeout=5000) as got:
        assert second.ask_running("details")
    assert got.args == ["details"]
    assert not SingleInstance(name + "-other").ask_running()
    first.close()


def test_icon_pixels_follow_state(qapp) -> None:
    from trayapp.core.models import Severity
    from trayapp.ui.icon import COLOURS, IconSpec, render_image

    def centre(spec: IconSpec):
        return render_image(spec, 64).pixelColor(32, 32)

    assert centre(IconSpec("healthy", 1.0)).name() == COLOURS["healthy"].name()
    assert centre(IconSpec("zero", 0.0)).red() > 150
    stale = render_image(IconSpec("healthy", 1.0, stale=True), 64).pixelColor(32, 32)
    assert stale.alpha() < 200, "stale data is drawn dimmed"
    badge = render_image(IconSpec("healthy", 1.0, badge=Severity.CRITICAL), 64).pixelColor(64 - 13, 13)
    assert badge.red() > 180 and badge.green() < 100
    plain = render_image(IconSpec("healthy", 1.0), 64).pixelColor(64 - 13, 13)
    assert plain != badge
    # HiDPI: the 2x rendering is drawn natively, not scaled up.
    assert render_image(IconSpec("low", 0.5), 128).size().width() == 128
    full = render_image(IconSpec("healthy", 1.0), 64)
    half = render_image(IconSpec("healthy", 0.5), 64)
    # The gauge: the left side of the ring is filled only when more than half remains.
    assert full.pixelColor(5, 32) != half.pixelColor(5, 32)
    assert Qt.GlobalColor.transparent is not None


def test_snooze_silences_notifications_until_resumed(qtbot, make_controller) -> None:
    from datetime import UTC, datetime, timedelta

    c = make_controller()
    c.tray.rebuild_menu()
    snooze = next(a for a in c.tray.menu.actions() if a.text() == "Snooze notifications")
    hour = next(a for a in snooze.menu().actions() if a.text() == "For 1 hour")
    hour.trigger()
    until = c.service.config.settings.snoozed_until
    assert until is not None and abs(until - (datetime.now(UTC) + timedelta(hours=1))) < timedelta(minutes=1)
    poll_and_wait(qtbot, c)
    assert c.delivered == [], "snoozed: nothing pops up"
    assert c.tray.icon_spec is not None and c.tray.icon_spec.badge is not None, "the badge still shows it"
    # In words with the one thing to do (the day is named too when the pause ends after midnight).
    [resume] = [a for a in c.tray.menu.actions() if a.text().startswith("Notifications paused until ")]
    assert resume.text().endswith(f"{until.astimezone().strftime('%H:%M')} · Resume")
    resume.trigger()
    assert c.service.config.settings.snoozed_until is None
    assert len(c.delivered) == 1, "what was held back is delivered once the snooze ends"


def test_settings_choose_language_and_alert_kinds(qtbot, make_controller, tmp_path: Path) -> None:
    core, _ = real_core(tmp_path)
    c = make_controller(core=core)
    c.open_settings()
    dialog = next(d for d in c._dialogs if isinstance(d, SettingsDialog))
    dialog.language.setCurrentIndex(dialog.language.findData("ja"))
    dialog.alert_kinds["credit_low"].setChecked(False)
    dialog.accept()
    saved = json.loads((tmp_path / "cfg" / "config.json").read_text())["settings"]
    assert saved["language"] == "ja" and saved["disabled_alerts"] == ["credit_low"]
    assert c.service.monitor.lang == "ja"


def test_probe_option_is_offered_for_openai_only_and_saved_in_the_draft(qtbot) -> None:
    dialog = AccountDialog()
    qtbot.addWidget(dialog)
    dialog.provider.setCurrentIndex(dialog.provider.findData("deepseek"))
    assert dialog.probe.isHidden()
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai"))
    assert not dialog.probe.isHidden() and not dialog.probe.isChecked()
    dialog.probe.setChecked(True)
    dialog.key_fields["api"].setText("sk-proj-abcdef")
    assert dialog.draft().options == {"probe": True}


def test_details_show_the_age_of_the_data_and_the_failed_last_try(qtbot) -> None:
    from datetime import UTC, datetime

    from trayapp.ui.details import DetailsWindow

    from .test_tray import _aged_views

    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    window = DetailsWindow(clock=lambda: now)
    qtbot.addWidget(window)
    window.set_views(_aged_views(now))
    updated = COLUMNS.index("Updated")
    shown = {  # rows most urgent first: found by their account
        window.table.item(r, 0).data(Qt.ItemDataRole.UserRole): window.table.item(r, updated).text()
        for r in range(window.table.rowCount())
    }
    ids = [v.account.id for v in _aged_views(now)]
    assert shown[ids[0]] == "data from 3 days ago · last try failed 1 min ago"
    assert shown[ids[1]] == "never read · last try failed 1 min ago"
    window.select_account("old")
    assert "data from 3 days ago · last try failed 1 min ago" in window.explanation_html()


def test_the_instance_socket_is_the_users_alone_and_a_stale_one_is_taken_over(qtbot, tmp_path: Path) -> None:
    """A crashed tray leaves its socket file: the next start finds nobody answering, takes the name over and
    is found by the start after it. The socket is 0600, and closing removes only its own file."""
    import socket as stdlib_socket
    import stat

    name = f"credit-tray-test-stale-{tmp_path.name}"
    crashed = stdlib_socket.socket(stdlib_socket.AF_UNIX, stdlib_socket.SOCK_STREAM)
    first = SingleInstance(name)
    crashed.bind(str(first.path))
    crashed.close()  # the file stays, nobody listens: as after a crash
    assert first.path.exists() and not first.ask_running()
    assert first.listen()
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    with qtbot.waitSignal(first.activated, timeout=5000) as got:
        assert SingleInstance(name).ask_running("details")
    assert got.args == ["details"]
    first.close()
    assert not first.path.exists() and not SingleInstance(name).ask_running()
