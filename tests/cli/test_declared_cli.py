"""End to end in subprocesses: a provider declared in `<config dir>/providers/myrelay.toml` is added with `trayapp
accounts add --provider myrelay` and read by `trayapp check --json`; a broken file is reported on stderr and stops
nothing else; a relay user's balance through the access token (`--key-env access=…`).

The relay answers new-api's `GET /api/user/self` (QuantumNous/new-api controller/user.go GetSelf: quota is what
is left, in units of 1/500000 USD by default) and `GET /api/status` (controller/misc.go GetStatus).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import CliRunner
from tests.contract.test_declared import relay_file

KEY = "sk-declared-CANARY-0123456789abcdef"
TOKEN = "access-CANARY-abcdefghijklmnop0123"


@pytest.fixture
def relay() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


def write_provider(cli: CliRunner, name: str, text: str) -> None:
    folder = cli.config_dir / "providers"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.toml").write_text(text, encoding="utf-8")


def myrelay(server: HTTPServer) -> str:
    return relay_file(server)  # the issue's example, on a loopback relay


def no_key_in_files(cli: CliRunner, *keys: str) -> None:
    for f in cli.config_dir.rglob("*"):
        if f.is_file():
            text = f.read_text(errors="replace")
            assert not any(k in text for k in keys), f


def test_a_declared_provider_is_added_and_checked(cli: CliRunner, relay: HTTPServer) -> None:
    write_provider(cli, "myrelay", myrelay(relay))
    write_provider(cli, "broken", 'url = "https://relay.example.com/api"\nremaining = "/data/quota\n')
    relay.expect_request("/api/user/self", headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(
        {"success": True, "message": "", "data": {"quota": 6250000, "used_quota": 1250000, "email": "u@example.com"}}
    )
    added = cli("accounts", "add", "--provider", "myrelay", "--label", "Relay", "--key-stdin", stdin=KEY + "\n")
    assert added.code == 0, added.err
    account_id = added.out.strip().splitlines()[-1]
    assert "My relay" in added.err

    listed = cli("accounts", "list")
    assert listed.code == 0 and f"{account_id}\tmyrelay\tRelay" in listed.out
    assert "broken.toml, line 2" in listed.err  # the broken file is told, and stops nothing

    result = cli("check", "--json")
    report = json.loads(result.out)
    (account,) = report["accounts"]
    assert result.code == 0, result.out + result.err
    assert (account["provider"], account["currency"], account["remaining"], account["used"]) == (
        "myrelay",
        "USD",
        12.5,
        2.5,
    )
    assert account["error"] is None
    assert "broken.toml" in result.err
    assert KEY not in result.out + result.err + added.err
    no_key_in_files(cli, KEY)


def test_a_business_error_of_a_declared_provider_is_its_error(cli: CliRunner, relay: HTTPServer) -> None:
    write_provider(cli, "myrelay", myrelay(relay))
    relay.expect_request("/api/user/self").respond_with_json({"success": False, "message": "用户已被封禁"})
    added = cli("accounts", "add", "--provider", "myrelay", "--label", "Relay", "--key-stdin", stdin=KEY + "\n")
    assert added.code == 0, added.err
    result = cli("check", "--json")
    (account,) = json.loads(result.out)["accounts"]
    assert result.code == 3 and account["remaining"] is None
    assert "用户已被封禁" in account["error"]["message"]


def test_a_broken_provider_cannot_be_added_and_says_why(cli: CliRunner) -> None:
    write_provider(cli, "myrelay", 'url = "http://relay.example.com/api"\nremaining = "/data/quota"\n')
    result = cli("accounts", "add", "--provider", "myrelay", "--label", "x", "--key-stdin", stdin=KEY + "\n")
    assert result.code == 2
    assert "myrelay.toml, line 1" in result.err and "https" in result.err
    assert json.loads(cli("accounts", "list", "--json").out)["accounts"] == []


def test_an_account_whose_file_broke_later_shows_the_files_problem(cli: CliRunner, relay: HTTPServer) -> None:
    write_provider(cli, "myrelay", myrelay(relay))
    added = cli("accounts", "add", "--provider", "myrelay", "--label", "Relay", "--key-stdin", stdin=KEY + "\n")
    assert added.code == 0, added.err
    write_provider(cli, "myrelay", myrelay(relay).replace('remaining = "/data/quota"\n', ""))
    result = cli("check", "--json")
    (account,) = json.loads(result.out)["accounts"]
    assert result.code == 3
    assert "myrelay.toml" in account["error"]["message"] and "'remaining' is missing" in account["error"]["message"]
    assert relay.log == []


def test_a_relay_users_balance_with_the_access_token(cli: CliRunner, relay: HTTPServer) -> None:
    # AIHubMix-style (steipete/CodexBar docs/aihubmix.md): the Manage Key in Authorization, bare.
    relay.expect_request("/api/user/self", headers={"Authorization": TOKEN, "New-Api-User": "42"}).respond_with_json(
        {"success": True, "message": "", "data": {"quota": 5000000, "used_quota": 500000}}
    )
    relay.expect_request("/api/status").respond_with_json(
        {"success": True, "data": {"quota_per_unit": 500000, "quota_display_type": "USD"}}
    )
    added = cli(
        *("accounts", "add", "--provider", "openai-compatible", "--label", "Hub"),
        *("--base-url", f"http://127.0.0.1:{relay.port}/v1", "--key-stdin"),
        *("--key-env", "access=HUB_TOKEN", "--key-env", "user=HUB_USER"),
        stdin=KEY + "\n",
        env={"HUB_TOKEN": TOKEN, "HUB_USER": "42"},
    )
    assert added.code == 0, added.err
    result = cli("check", "--json")
    (account,) = json.loads(result.out)["accounts"]
    assert (account["remaining"], account["used"], account["currency"]) == (10.0, 1.0, "USD")
    assert TOKEN not in result.out + result.err
    no_key_in_files(cli, KEY, TOKEN)
