"""Adding, removing and polling real accounts through the controller, with keyring states."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from keyring.errors import KeyringLocked
from PySide6.QtWidgets import QDialogButtonBox
from pytest_httpserver import HTTPServer

from tests.support.keyring_backend import MemoryKeyring
from trayapp.core.models import Account
from trayapp.secrets.store import SERVICE, KeyringStore
from trayapp.service import open_service

from .conftest import poll_and_wait

KEY = "sk-deepseek-CANARY-0123456789"


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("locked")


def core_with(tmp_path: Path, backend: MemoryKeyring):
    core = open_service(str(tmp_path / "cfg"))
    core.secrets = KeyringStore(backend=backend, timeout=2)
    return core


def serve_balance(server: HTTPServer) -> None:
    server.expect_request("/user/balance", headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(
        {
            "is_available": True,
            "balance_infos": [
                {"currency": "CNY", "total_balance": "42.00", "granted_balance": "2.00", "topped_up_balance": "40.00"}
            ],
        }
    )


def test_add_account_tests_the_key_then_stores_it_and_shows_the_balance(
    qtbot, make_controller, tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve_balance(httpserver)
    backend = MemoryKeyring()
    c = make_controller(core=core_with(tmp_path, backend))
    dialog = c.add_account()
    dialog.provider.setCurrentIndex(dialog.provider.findData("deepseek"))
    dialog.label.setText("My DeepSeek")
    dialog.base_url.setText(httpserver.url_for("").rstrip("/"))
    dialog.key_fields["api"].setText(KEY)
    with qtbot.waitSignal(dialog.finished, timeout=30000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    [account] = c.service.config.accounts
    assert backend.items == {(SERVICE, f"{account.id}:api"): KEY}
    assert "My DeepSeek: 42.00 CNY" in c.tray.tooltip()
    config_text = (tmp_path / "cfg" / "config.json").read_text()
    assert KEY not in config_text and json.loads(config_text)["accounts"][0]["label"] == "My DeepSeek"
    assert dialog.key_fields["api"].text() == "", "the key does not linger in the widget"


def test_locked_keyring_shows_a_clear_state_in_the_tray_and_recovers(
    qtbot, make_controller, tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve_balance(httpserver)
    backend = LockedKeyring()
    core = core_with(tmp_path, backend)
    core.config.accounts = [
        Account("deepseek-1", "deepseek", "DS", datetime.now(UTC), base_url=httpserver.url_for("").rstrip("/"))
    ]
    core.save_config()
    c = make_controller(core=core)
    poll_and_wait(qtbot, c)
    assert "Keyring locked" in c.tray.tooltip()
    c.tray.rebuild_menu()
    assert c.tray.menu.actions()[0].text().startswith("Keyring locked")
    # The user unlocks the keyring: the next poll reads the key and the state clears by itself.
    unlocked = MemoryKeyring()
    unlocked.items[(SERVICE, "deepseek-1:api")] = KEY
    core.secrets = KeyringStore(backend=unlocked)
    c.poller._store = core.secrets
    poll_and_wait(qtbot, c)
    assert "Keyring locked" not in c.tray.tooltip()
    assert "DS: 42.00 CNY" in c.tray.tooltip()


def test_dialog_save_with_a_locked_keyring_saves_nothing(
    qtbot, make_controller, tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve_balance(httpserver)
    c = make_controller(core=core_with(tmp_path, LockedKeyring()))
    dialog = c.add_account()
    dialog.provider.setCurrentIndex(dialog.provider.findData("deepseek"))
    dialog.base_url.setText(httpserver.url_for("").rstrip("/"))
    dialog.key_fields["api"].setText(KEY)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=30000)
    assert "Keyring locked" in dialog.error.text() and "Nothing was saved" in dialog.error.text()
    assert c.service.config.accounts == []
    assert not (tmp_path / "cfg" / "config.json").exists()
    dialog.reject()


def test_remove_deletes_keys_off_the_ui_thread_then_the_account(qtbot, make_controller, tmp_path: Path) -> None:
    backend = MemoryKeyring()
    core = core_with(tmp_path, backend)
    core.config.accounts = [Account("deepseek-1", "deepseek", "DS", datetime.now(UTC))]
    core.save_config()
    backend.items[(SERVICE, "deepseek-1:api")] = KEY
    c = make_controller(core=core)
    with qtbot.waitSignal(c.account_removed, timeout=10000):
        c.remove_account("deepseek-1", confirm=False)
    assert backend.items == {}
    assert json.loads((tmp_path / "cfg" / "config.json").read_text())["accounts"] == []


def test_resume_from_sleep_polls_at_once(qtbot, make_controller) -> None:
    c = make_controller()
    poll_and_wait(qtbot, c)
    assert c.service.monitor.due(c.clock()) == [], "nothing is due right after a poll"
    with qtbot.waitSignal(c.poller.finished, timeout=20000):
        c.scheduler_resumed(3600.0)
