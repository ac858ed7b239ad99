"""Keys through the real Secret Service (gnome-keyring), as the app stores and reads them.

`trayapp accounts add --key-stdin` puts the key in the keyring (service "credit-tray", one item per
account and key kind); `check` and the tray read it back to poll a loopback server. A locked collection or
no Secret Service at all must give the app's clear states quickly, never a hang on a prompt.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from . import app_runner
from .app_runner import KEYRING_SERVICE, TrayApp, app_env, deepseek_balance, keyring_items, trayapp_cli
from .conftest import run

launch = app_runner.launch  # fixtures
add_account = app_runner.add_account

KEY = "sk-desktop-keyring-0123456789abcdef"
NEW_KEY = "sk-desktop-keyring-new-9876543210fedcba"
FAST = 5.0  # seconds: a locked or missing keyring answers in well under 0.1 s here
# The call the app's Edit dialog makes when the user enters a new key for an account.
SET_KEY = (
    "import sys\n"
    "from trayapp.secrets.secret import Secret\n"
    "from trayapp.secrets.store import KeyringStore\n"
    "KeyringStore().set(sys.argv[1], 'api', Secret(sys.stdin.readline().strip()))\n"
)


@pytest.fixture
def deepseek() -> HTTPServer:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


def serve_balance(server: HTTPServer, key: str, total: str = "12.50") -> None:
    server.expect_request("/ds/user/balance", headers={"Authorization": f"Bearer {key}"}).respond_with_json(
        deepseek_balance(total)
    )


def timed_cli(config: Path, *args: str, stdin: str | None = None) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    result = trayapp_cli(config, *args, stdin=stdin, timeout=30)
    return result, time.monotonic() - start


def check_json(config: Path) -> tuple[int, dict, float]:
    result, elapsed = timed_cli(config, "check", "--json")
    return result.returncode, json.loads(result.stdout)["accounts"][0], elapsed


def test_key_goes_to_the_secret_service_and_check_reads_it(add_account, deepseek, tmp_path):
    config = tmp_path / "config"
    account_id = add_account(config, deepseek.url_for("/ds"), KEY)

    # The item is in the keyring, under the app's service, with the key; and in no file of the app.
    assert [secret for _path, secret in keyring_items(account_id)] == [KEY.encode()]
    lookup = run(["secret-tool", "lookup", "service", KEYRING_SERVICE, "username", f"{account_id}:api"])
    assert lookup.strip() == KEY
    for path in config.rglob("*"):
        assert not path.is_file() or KEY not in path.read_text(errors="replace"), path

    serve_balance(deepseek, KEY)
    code, account, _ = check_json(config)
    assert code == 0
    assert (account["id"], account["status"], account["remaining"], account["currency"]) == (
        account_id,
        "ok",
        12.5,
        "CNY",
    )
    deepseek.check_assertions()  # the server saw the key from the keyring


def test_a_new_key_replaces_the_item_in_place(add_account, deepseek, tmp_path):
    config = tmp_path / "config"
    account_id = add_account(config, deepseek.url_for("/ds"), KEY)
    ((path_before, _),) = keyring_items(account_id)

    subprocess.run(
        [sys.executable, "-c", SET_KEY, account_id],
        input=NEW_KEY + "\n",
        text=True,
        check=True,
        timeout=30,
        env=app_env(home=tmp_path),
    )
    assert keyring_items(account_id) == [(path_before, NEW_KEY.encode())]  # same object, new secret

    serve_balance(deepseek, NEW_KEY, total="30.00")
    code, account, _ = check_json(config)
    assert (code, account["remaining"]) == (0, 30.0)
    deepseek.check_assertions()


@pytest.mark.parametrize(
    ("state", "title"),
    [("locked", "Keyring locked"), ("none", "No secret store")],
)
def test_locked_or_missing_keyring_gives_clear_cli_states_fast(
    state, title, secret_service, add_account, deepseek, tmp_path
):
    config = tmp_path / "config"
    account_id = add_account(config, deepseek.url_for("/ds"), KEY)
    secret_service.lock() if state == "locked" else secret_service.stop()

    code, account, elapsed = check_json(config)
    assert code == 3  # UNKNOWN: the key could not be read
    assert account["id"] == account_id and account["error"]["title"] == title
    assert account["remaining"] is None  # never a made-up number
    assert elapsed < FAST

    text, elapsed = timed_cli(config, "check")
    assert text.returncode == 3 and f"error: {title}: " in text.stdout
    assert elapsed < FAST

    added, elapsed = timed_cli(
        config, "accounts", "add", "--provider", "deepseek", "--label", "Second", "--key-stdin", stdin=KEY + "\n"
    )
    assert added.returncode == 1
    assert added.stderr.startswith(f"trayapp: {title}: ")
    assert "plain file" in added.stderr or "Unlock" in added.stderr  # says what to do
    assert elapsed < FAST
    listed = trayapp_cli(config, "accounts", "list", "--json")
    assert [a["id"] for a in json.loads(listed.stdout)["accounts"]] == [account_id]  # nothing half-added
    assert deepseek.log == []  # no key, no request


def test_tray_shows_keyring_locked_then_recovers_on_refresh(
    sni_items, secret_service, add_account, launch, deepseek, tmp_path, wait_until
):
    config = tmp_path / "config"
    add_account(config, deepseek.url_for("/ds"), KEY, label="My DeepSeek")
    serve_balance(deepseek, KEY)
    secret_service.lock()

    app: TrayApp = launch(config_dir=config)
    tooltip = wait_until(
        lambda: (t := app.tooltip().splitlines()) and t[1].startswith("Keyring locked: ") and t,
        timeout=FAST,
        what="the tooltip's status line",
    )
    assert tooltip[1].startswith("Keyring locked: The OS keyring is locked. Unlock it"), tooltip
    assert tooltip[2].startswith("My DeepSeek: "), tooltip
    first = wait_until(lambda: (e := app.menu_entries()[0])["label"] == "Keyring locked" and e, what="the menu")
    assert first["enabled"] is False  # a short line; what to do is in the tooltip
    assert deepseek.log == []

    secret_service.unlock()  # what the status line asks: unlock, then choose Refresh now
    app.click_menu("Refresh now")
    wait_until(
        lambda: app.tooltip().splitlines()[1:] == ["My DeepSeek: 12.50 CNY", "Updated just now"],
        what="the account's balance in the tooltip, and no status line",
    )
    assert not app.menu_entries()[0]["label"].startswith("Keyring locked")


def test_tray_uses_a_secret_service_that_starts_after_it(
    sni_items, secret_service, add_account, launch, deepseek, tmp_path, wait_until
):
    config = tmp_path / "config"
    add_account(config, deepseek.url_for("/ds"), KEY, label="My DeepSeek")
    serve_balance(deepseek, KEY)
    secret_service.stop()

    app: TrayApp = launch(config_dir=config)
    wait_until(lambda: "\nNo secret store: " in app.tooltip(), timeout=FAST, what="the 'No secret store' status")
    assert deepseek.log == []

    secret_service.unlock()  # gnome-keyring starts (with the items stored before)
    app.click_menu("Refresh now")
    wait_until(
        lambda: app.tooltip().splitlines()[1:] == ["My DeepSeek: 12.50 CNY", "Updated just now"],
        timeout=FAST,
        what="the account's balance in the tooltip, and no status line",
    )
