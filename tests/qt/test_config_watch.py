"""The running tray follows config.json as other processes change it: an account added with
`trayapp accounts add` appears in the menu without a restart and is polled, one removed with
`trayapp accounts remove` disappears, a setting changed applies; and a save in the tray afterwards keeps
all of it (the tray used to write its old copy back)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.conftest import CliRunner
from tests.support.keyring_backend import MemoryKeyring
from trayapp.secrets.store import SERVICE, KeyringStore
from trayapp.service import open_service
from trayapp.storage.config import ConfigStore

KEY = "sk-watch-0123456789abcdef"
SOON = 1000  # ms: "within a second" (the reload waits 150 ms for a save's burst of file events to end)


def menu_texts(c) -> list[str]:
    c.tray.rebuild_menu()
    return [a.text() for a in c.tray.menu.actions()]


def shown(c, label: str) -> bool:
    return any(label in text for text in menu_texts(c))


def test_the_tray_follows_accounts_and_settings_changed_by_the_cli(
    qtbot, make_controller, cli: CliRunner, httpserver: HTTPServer
) -> None:
    # DeepSeek's documented answer (the shape tests/qt/test_accounts_flow.py serves).
    httpserver.expect_request("/user/balance", headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(
        {
            "is_available": True,
            "balance_infos": [
                {"currency": "CNY", "total_balance": "42.00", "granted_balance": "2.00", "topped_up_balance": "40.00"}
            ],
        }
    )
    base = httpserver.url_for("").rstrip("/")
    core = open_service(str(cli.config_dir))
    keyring = MemoryKeyring()  # the tray's keyring; the CLI's is the test file keyring
    core.secrets = KeyringStore(backend=keyring, timeout=2)
    c = make_controller(core=core)
    c.start()
    assert shown(c, "No accounts yet")

    res = cli(
        *("accounts", "add", "--provider", "deepseek", "--label", "From CLI", "--base-url", base, "--key-stdin"),
        stdin=KEY + "\n",
    )
    assert res.code == 0, res.err
    added = res.out.strip().splitlines()[-1]
    keyring.items[(SERVICE, f"{added}:api")] = KEY  # one OS keyring for both, in real life
    qtbot.waitUntil(lambda: shown(c, "From CLI"), timeout=SOON)
    qtbot.waitUntil(lambda: "From CLI: 42.00 CNY" in c.tray.tooltip(), timeout=20000)  # and polled

    # A setting changed by another writer applies too.
    until = datetime.now(UTC) + timedelta(hours=2)
    ConfigStore(cli.config_dir / "config.json").update(
        lambda config: setattr(config, "settings", replace(config.settings, snoozed_until=until))
    )
    qtbot.waitUntil(lambda: c.tray.snoozed_until == until, timeout=SOON)
    assert c.service.monitor.settings.snoozed_until == until

    # A save in the tray now keeps the account it did not add.
    c.snooze("resume")
    assert [a["id"] for a in json.loads((cli.config_dir / "config.json").read_text())["accounts"]] == [added]

    assert cli("accounts", "remove", added).code == 0
    qtbot.waitUntil(lambda: not shown(c, "From CLI"), timeout=SOON)
    assert c.service.monitor.account(added) is None
    c.snooze("1h")  # and a save in the tray does not bring it back
    assert json.loads((cli.config_dir / "config.json").read_text())["accounts"] == []


def test_the_tray_sees_a_config_json_written_before_it_watched(qtbot, make_controller, tmp_path: Path) -> None:
    """No config.json at start (a first run): the folder is watched, so the first file made elsewhere is seen."""
    core = open_service(str(tmp_path / "cfg"))
    core.secrets = KeyringStore(backend=MemoryKeyring(), timeout=2)
    c = make_controller(core=core)
    c.watch_config()
    path = tmp_path / "cfg" / "config.json"
    assert not path.exists()
    store = ConfigStore(path)
    store.update(lambda config: setattr(config, "settings", replace(config.settings, poll_interval_minutes=77)))
    qtbot.waitUntil(lambda: c.service.config.settings.poll_interval_minutes == 77, timeout=SOON)


def test_a_tray_save_that_cannot_be_made_is_told_and_changes_nothing(qtbot, make_controller, tmp_path: Path) -> None:
    """config.json written by a newer version: the tray reads it, but Snooze (a save) is refused with a
    message in the details window, not a traceback, and the file stays byte for byte."""
    path = tmp_path / "cfg" / "config.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 2, "settings": {"poll_interval_minutes": 30}, "accounts": []}))
    original = path.read_bytes()
    core = open_service(str(tmp_path / "cfg"))
    core.secrets = KeyringStore(backend=MemoryKeyring(), timeout=2)
    c = make_controller(core=core)
    assert core.config.settings.poll_interval_minutes == 30  # read as far as this version understands it
    c.snooze("1h")
    assert "newer version of Credit Tray" in c.details.banner.text()
    assert c.tray.snoozed_until is None and path.read_bytes() == original
