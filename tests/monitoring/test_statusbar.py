"""`trayapp status` for Waybar, i3blocks and plain bars: one line from the last state on disk (written here by
`trayapp check`, as the tray and `trayapp serve` write it), no request to any provider, no Qt or provider code
loaded; `--poll` reads now. It always exits 0 (Waybar hides a custom module whose command fails).

Waybar's custom module reads `{"text", "tooltip", "class", "percentage", "alt"}` (return-type json:
https://github.com/Alexays/Waybar/wiki/Module:-Custom); i3blocks reads full_text, short_text and color
on the first three lines (https://vivien.github.io/i3blocks/#_format).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from pytest_httpserver import HTTPServer

from tests.conftest import CliRunner

from .conftest import ENGLISH, add_accounts, answer


def status(cli: CliRunner, *args: str) -> str:
    result = cli("status", *args, env=ENGLISH)
    assert result.code == 0 and "Traceback" not in result.err, result.err
    return result.out


def age_readings(cli: CliRunner, by: timedelta) -> None:
    """Every last reading older in state.json, as if the tray had been closed since."""
    state_file = cli.config_dir / "state.json"
    state = json.loads(state_file.read_text())
    for account in state["accounts"].values():
        for key in ("last_good", "last_attempt_at"):
            good = account.get(key)
            if isinstance(good, dict):
                good["checked_at"] = (datetime.fromisoformat(good["checked_at"]) - by).isoformat()
            elif isinstance(good, str):
                account[key] = (datetime.fromisoformat(good) - by).isoformat()
    state_file.write_text(json.dumps(state))


def read_at(cli: CliRunner) -> dict[str, str]:
    """{label: the local clock time of its last reading, HH:MM} from config.json and state.json."""
    labels = {a["id"]: a["label"] for a in json.loads((cli.config_dir / "config.json").read_text())["accounts"]}
    accounts = json.loads((cli.config_dir / "state.json").read_text())["accounts"]
    return {
        labels[k]: f"{datetime.fromisoformat(v['last_good']['checked_at']).astimezone():%H:%M}"
        for k, v in accounts.items()
    }


def two_accounts_read(cli: CliRunner, server: HTTPServer) -> dict[str, str]:
    """Accounts A and B read once by `trayapp check` (B low, with credit that expires in 60 days); their ids."""
    ids = add_accounts(cli, server, ["A", "B"])
    expires = (datetime.now(UTC) + timedelta(days=60)).date().isoformat()
    granted = cli("accounts", "grant", ids["B"], "--amount", "10", "--currency", "CNY", "--expires", expires)
    assert granted.code == 0, granted.err
    answer(server, {"A": "110.00", "B": "2.50"})
    assert cli("check", env=ENGLISH).code == 1
    return ids


def test_status_line_from_the_last_state_without_network(cli: CliRunner, server: HTTPServer) -> None:
    two_accounts_read(cli, server)
    requests = len(server.log)

    waybar = json.loads(status(cli, "--format", "waybar"))
    read = read_at(cli)  # a clock time in the tooltip, not an age (docs/status-bars.md)
    assert waybar == {
        "text": "B 2.50 CNY +1",
        "tooltip": "\n".join(
            [
                "1 warning (B): B: credit is low: 2.50 CNY left (warning at 5.00 CNY).",
                f"A: 110.00 CNY · updated {read['A']}",
                f"B: 2.50 CNY · expires in 60 d · updated {read['B']}",
                "B: credit is low: 2.50 CNY left (warning at 5.00 CNY).",
            ]
        ),
        "class": "warning",
        "alt": "low",
        "percentage": 25,  # 2.50 of the 10.00 granted
    }
    assert status(cli, "--format", "i3blocks").splitlines() == ["B 2.50 CNY +1", "B 2.50 CNY", "#E5C07B"]
    assert status(cli).splitlines() == ["B 2.50 CNY +1"]
    assert len(server.log) == requests  # read from state.json: no request made

    # B topped up: the last state still says low until something reads again; --poll reads now.
    answer(server, {"A": "110.00", "B": "80.00"})
    assert json.loads(status(cli, "--format", "waybar"))["class"] == "warning"
    polled = json.loads(status(cli, "--format", "waybar", "--poll"))
    # Shown first: the account whose credit expires first. Its share left is not known any more (more than
    # the 10.00 granted: credit bought since): no number rather than a made-up one.
    assert (polled["class"], polled["text"]) == ("ok", "B 80.00 CNY +1")
    assert "percentage" not in polled
    assert json.loads(status(cli, "--format=waybar"))["class"] == "ok"  # the poll's state was saved

    # Nothing has read the accounts for a day (the tray is not running): stale, whatever the old numbers say.
    age_readings(cli, timedelta(days=1))
    stale = json.loads(status(cli, "--format", "waybar"))
    assert stale["class"] == "stale" and stale["tooltip"].startswith("2 unknown (A, B)"), stale


def test_status_always_exits_0_and_says_what_is_wrong(cli: CliRunner, server: HTTPServer) -> None:
    assert status(cli) == "no accounts\n"
    assert json.loads(status(cli, "--format", "waybar"))["class"] == "stale"
    assert status(cli, "--format", "tiles") == "trayapp status: --format tiles: one of waybar, i3blocks, text\n"
    assert status(cli, "--bogus") == "trayapp status: unrecognized argument: --bogus\n"
    add_accounts(cli, server, ["A"])
    answer(server, {"A": "50"})
    assert cli("check", env=ENGLISH).code == 0
    state_file = cli.config_dir / "state.json"
    state_file.write_text("{ half a file")
    broken = json.loads(status(cli, "--format", "waybar"))
    assert (broken["text"], broken["class"], broken["alt"]) == ("credit: error", "stale", "error")
    assert "JSONDecodeError" in broken["tooltip"]
    assert state_file.read_text() == "{ half a file"  # read only: left for the tray to deal with


def test_status_loads_no_qt_no_provider_and_no_cli(cli: CliRunner, server: HTTPServer) -> None:
    add_accounts(cli, server, ["A"])
    answer(server, {"A": "50"})
    assert cli("check", env=ENGLISH).code == 0
    code = (
        "import sys; from trayapp.entry import main; main(['--config-dir', sys.argv[1], 'status']);"
        "print(sorted(m for m in sys.modules if m.startswith(('trayapp', 'PySide6', 'openai', 'httpx'))))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(cli.config_dir)], capture_output=True, text=True, env=cli.env, timeout=60
    )
    line, loaded = proc.stdout.splitlines()
    assert line == "A 50.00 CNY"
    modules = set(eval(loaded))  # a printed list of str
    assert not {m for m in modules if m.startswith(("PySide6", "openai", "httpx"))}
    assert not {m for m in modules if m.startswith(("trayapp.providers", "trayapp.fetch", "trayapp.ui"))}
    assert {"trayapp.cli", "trayapp.service", "trayapp.storage.history"}.isdisjoint(modules)
