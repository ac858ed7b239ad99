"""State survives: corrupt or half-written files are set aside and told, never silently dropped; kill -9 in
the middle of a settings save or of a poll, many times over, leaves every file readable, every account
there once, and the alerts already notified still recorded (so none is delivered twice)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CliRunner
from tests.reliability.counts import record
from tests.reliability.server import LoopServer, Reply

BUDGET = 15.0  # seconds per kill loop; the loop stops early rather than run long


def add(cli: CliRunner, label: str, base: str) -> str:
    res = cli(
        *("accounts", "add", "--provider", "deepseek", "--label", label, "--base-url", base, "--key-stdin"),
        stdin=f"sk-state-{label}-0123456789abcdef\n",
    )
    assert res.code == 0, res.err
    return res.out.strip().splitlines()[-1]


def listed(cli: CliRunner) -> tuple[list[str], str]:
    res = cli("accounts", "list", "--json")
    assert res.code == 0, res.err
    return [a["id"] for a in json.loads(res.out)["accounts"]], res.err


CORRUPTIONS = {
    "garbage": lambda text: "\x00\x01not json at all",
    "half-written": lambda text: text[: len(text) // 2],
    "empty": lambda text: "",
    "wrong shape": lambda text: "[1, 2, 3]",
    # Not a version at all. A newer one (a number above ours) is read and kept, not set aside: test_values.py.
    "unknown version": lambda text: text.replace('"version": 1', '"version": "one"'),
    "bad account": lambda text: text.replace('"provider": "deepseek"', '"provider": 5', 1),
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_corrupt_config_is_set_aside_told_and_restored_from_backup(cli: CliRunner, kind: str) -> None:
    first = add(cli, "one", "http://127.0.0.1:9/ds")
    second = add(cli, "two", "http://127.0.0.1:9/ds")  # config.json.bak now holds the one-account version
    config = cli.config_dir / "config.json"
    good = config.read_text()
    config.write_text(CORRUPTIONS[kind](good))
    ids, err = listed(cli)
    assert "could not be read" in err and "restored" in err  # the user is told
    assert ids == [first]  # the previous good copy: the last save is the only one lost
    aside = list(cli.config_dir.glob("config.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == CORRUPTIONS[kind](good)  # kept, byte for byte
    assert second in good  # (what the user can recover from the kept file)
    ids_again, err_again = listed(cli)
    assert ids_again == [first] and err_again == ""  # restored for good, told once
    record("state.corruptions_detected")


def test_corrupt_config_without_backup_is_kept_and_told(cli: CliRunner) -> None:
    add(cli, "one", "http://127.0.0.1:9/ds")
    (cli.config_dir / "config.json.bak").unlink(missing_ok=True)
    config = cli.config_dir / "config.json"
    original = config.read_text()
    config.write_text(original[:-20])
    ids, err = listed(cli)
    assert ids == [] and "Starting with no accounts" in err
    aside = list(cli.config_dir.glob("config.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == original[:-20]
    record("state.corruptions_detected")


@pytest.mark.parametrize("content", ["{", "", '{"version": 1}', '{"version": 1, "identity_salt": 5}', "[]"])
def test_corrupt_state_is_set_aside_and_told_accounts_untouched(cli: CliRunner, content: str) -> None:
    ident = add(cli, "one", "http://127.0.0.1:9/ds")
    config_before = (cli.config_dir / "config.json").read_text()
    (cli.config_dir / "state.json").write_text(content)
    res = cli("check", "--json")
    assert "saved state could not be read" in res.err
    assert [a["id"] for a in json.loads(res.out)["accounts"]] == [ident]
    assert (cli.config_dir / "config.json").read_text() == config_before
    assert len(list(cli.config_dir.glob("state.json.corrupt-*"))) == 1
    json.loads((cli.config_dir / "state.json").read_text())  # a fresh, readable state
    record("state.corruptions_detected")


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_corrupt_history_is_set_aside_and_told_accounts_untouched(cli: CliRunner, damage: str) -> None:
    ident = add(cli, "one", "http://127.0.0.1:9/ds")
    cli("check", "--json")  # creates the history with a first (failed) reading
    db = cli.config_dir / "history.sqlite3"
    assert db.exists()
    if damage == "garbage":
        db.write_bytes(b"this is not a database" * 100)
    else:  # a half-written file: the header survives, the pages do not
        db.write_bytes(db.read_bytes()[:200])
    for suffix in ("-wal", "-shm"):
        (cli.config_dir / f"history.sqlite3{suffix}").unlink(missing_ok=True)
    res = cli("check", "--json")
    assert "history" in res.err.lower(), res.err
    assert [a["id"] for a in json.loads(res.out)["accounts"]] == [ident]
    assert len(list(cli.config_dir.glob("history.sqlite3.corrupt-*"))) == 1
    history = cli("history", "--json")
    assert history.code == 0 and ident in history.out, "a fresh history records again"
    record("state.corruptions_detected")


# ---------------------------------------------------------------- kill -9, many times

SAVER = """
import sys
from datetime import UTC, datetime
from trayapp.core.models import Account
from trayapp.storage.config import Config, ConfigStore
store = ConfigStore(__import__("pathlib").Path(sys.argv[1]))
base = store.load().accounts
print("ready", flush=True)
n = 0
while True:
    n += 1
    extra = [Account(id=f"extra-{i}", provider="deepseek", label="x" * 300, created_at=datetime.now(UTC))
             for i in range(n % 7)]
    store.save(Config(accounts=base + extra))
"""


def test_kill_9_during_settings_saves_loses_nothing(cli: CliRunner) -> None:
    keep = [add(cli, f"k{i}", "http://127.0.0.1:9/ds") for i in range(3)]
    config = cli.config_dir / "config.json"
    rng = random.Random(9)
    kills = 0
    end = time.monotonic() + BUDGET
    while kills < 150 and time.monotonic() < end:
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(config)], env=cli.env, stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 0.03))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        data = json.loads(config.read_text())  # never half a file
        ids = [a["id"] for a in data["accounts"]]
        assert ids[:3] == keep and len(ids) == len(set(ids)), ids  # nothing lost, nothing twice
        assert set(ids[3:]) <= {f"extra-{i}" for i in range(7)}
        assert not list(cli.config_dir.glob("config.json.corrupt-*"))
    assert kills >= 50
    ids, err = listed(cli)
    assert ids[:3] == keep and err == ""
    record("kills.settings_save", kills)


def test_kill_9_during_polls_loses_nothing_and_keeps_notified(cli: CliRunner) -> None:
    rng = random.Random(10)
    server = LoopServer(lambda seen: Reply(401, {"error": {"message": "bad key"}})).start()
    try:
        ident = add(cli, "p", server.url("/ds"))
        assert cli("check").code == 2  # key_invalid: critical
        state_file = cli.config_dir / "state.json"
        state = json.loads(state_file.read_text())
        state["notified"] = [f"{ident}/key_invalid"]  # as the tray records a delivered notification
        state_file.write_text(json.dumps(state))
        config_before = (cli.config_dir / "config.json").read_text()
        delays = [0.0, 0.02, 0.05, 0.2]
        server.handler = lambda seen: Reply(401, {"error": {"message": "bad key"}}, trickle=rng.choice(delays) / 10)
        kills = 0
        end = time.monotonic() + BUDGET
        while kills < 100 and time.monotonic() < end:
            # Three at once (the tray and a `check` may also overlap), each killed at its own moment.
            procs = [
                subprocess.Popen(
                    [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), "check"],
                    env=cli.env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for _ in range(3)
            ]
            started = time.monotonic()
            for proc, at in zip(procs, sorted(rng.uniform(0.3, 1.6) for _ in procs), strict=True):
                time.sleep(max(0.0, started + at - time.monotonic()))  # start-up, poll and save happen here
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                kills += 1
            assert (cli.config_dir / "config.json").read_text() == config_before
            state = json.loads(state_file.read_text())
            assert list(state["accounts"]) == [ident]
            assert state["notified"] == [f"{ident}/key_invalid"]  # so it is not delivered again
            assert not list(cli.config_dir.glob("*.corrupt-*"))
        assert kills >= 30
        res = cli("check")
        assert res.code == 2 and "could not be read" not in res.err
    finally:
        server.stop()
    record("kills.poll", kills)


def test_a_settings_save_never_leaves_a_moment_without_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the kill loop: the backup used to be made by moving config.json away, then moving the new
    file in; a kill between the two left no config.json, and the app started with no accounts."""
    from trayapp.storage import atomic
    from trayapp.storage.config import Config, ConfigStore

    path = tmp_path / "config.json"
    store = ConfigStore(path)
    store.save(Config())
    real_replace = os.replace
    checked = []

    def replace(src: object, dst: object) -> None:
        checked.append(path.exists())
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "replace", replace)
    for _ in range(3):
        store.save(Config())
    assert checked and all(checked)
    assert (tmp_path / "config.json.bak").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json", "config.json.bak"]
    record("state.atomic_saves_checked", len(checked))
