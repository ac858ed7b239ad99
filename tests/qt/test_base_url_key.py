"""The Edit dialog binds a key to its host (issue 16 item 4): a new base URL on another host with the key
field left empty is refused with a message naming the new host, and the stored key is neither tested nor saved
there; with the key typed again, only the new key goes to the new host. Real loopback servers, offscreen Qt."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox

from tests.reliability.counts import record
from tests.reliability.server import LoopServer
from tests.reliability.test_keys_round2 import NEW_KEY, OLD_KEY, two_hosts
from tests.support.keyring_backend import MemoryKeyring
from trayapp.core.models import Account
from trayapp.secrets.secret import Secret
from trayapp.secrets.store import SERVICE, KeyringStore
from trayapp.service import Service, open_service
from trayapp.ui.dialogs import AccountDialog

__all__ = ["two_hosts"]  # the fixture, shared with the service's test


def editing(
    make_controller: Any, tmp_path: Path, base_url: str, backend: MemoryKeyring
) -> tuple[Service, AccountDialog]:
    """A DeepSeek account at `base_url` with OLD_KEY stored, and its Edit dialog open."""
    core = open_service(str(tmp_path / "cfg"))
    core.secrets = KeyringStore(backend=backend, timeout=2)
    account = Account("deepseek-1", "deepseek", "DS", datetime.now(UTC), base_url=base_url)
    core.store_keys(account.id, {"api": Secret(OLD_KEY)})
    core.put_account(account)
    dialog = make_controller(core=core).edit_account(account.id)
    assert dialog is not None
    return core, dialog


def test_edit_to_another_host_needs_the_key_again(
    qtbot: Any, make_controller: Any, tmp_path: Path, two_hosts: tuple[LoopServer, LoopServer]
) -> None:
    a, b = two_hosts
    backend = MemoryKeyring()
    core, dialog = editing(make_controller, tmp_path, a.url("/ds"), backend)
    dialog.base_url.setText(b.url("/ds"))
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    save.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10000)
    assert f"enter the key again for 127.0.0.1:{b.port}" in dialog.error.text(), dialog.error.text()
    assert dialog.isVisible() and save.isEnabled(), "the dialog stays open for the key"
    assert b.seen == [] and a.seen == [], "nothing was tested, on either host"
    assert core.config.accounts[0].base_url == a.url("/ds"), "nothing was saved"
    record("round2.host_changes_refused")

    dialog.key_fields["api"].setText(NEW_KEY)
    with qtbot.waitSignal(dialog.finished, timeout=30000):
        save.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert b.authorizations() == [f"Bearer {NEW_KEY}"]
    assert a.seen == []
    assert core.config.accounts[0].base_url == b.url("/ds")
    assert backend.items == {(SERVICE, "deepseek-1:api"): NEW_KEY}


def test_another_path_on_the_same_host_keeps_the_stored_key(
    qtbot: Any, make_controller: Any, tmp_path: Path, two_hosts: tuple[LoopServer, LoopServer]
) -> None:
    a, _ = two_hosts
    _, dialog = editing(make_controller, tmp_path, a.url("/old"), MemoryKeyring())
    dialog.base_url.setText(a.url("/ds"))
    with qtbot.waitSignal(dialog.finished, timeout=30000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert a.authorizations() == [f"Bearer {OLD_KEY}"]


def test_a_key_with_an_invisible_character_is_refused_in_the_dialog(qtbot: Any, make_controller: Any) -> None:
    """The same rule as `accounts add` (issue 16 item 13): where the character is, never the key."""
    dialog = make_controller().add_account()
    dialog.provider.setCurrentIndex(dialog.provider.findData("deepseek"))
    dialog.key_fields["api"].setText(NEW_KEY[:9] + "\u200b" + NEW_KEY[9:])
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.error.isVisible()
    shown = dialog.error.text()
    assert "position 10" in shown and "ZERO WIDTH SPACE" in shown, shown
    assert NEW_KEY[:9] not in shown and NEW_KEY[9:] not in shown
    assert not dialog.busy.isVisible(), "nothing was tested"
