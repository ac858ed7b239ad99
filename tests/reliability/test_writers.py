"""Many writers, one config.json; and writes that fail.

- Concurrent `trayapp accounts add/remove` processes and a running tray (its Service) each change only what
  they change, on the file as it is on disk, under its lock: no account is lost, none comes back.
- A key left in the keyring by an account that is gone is deleted; a key of an account on disk never is.
- A full disk is not corruption: on a real full file system (a small tmpfs in a user namespace), and with
  the real write errors RLIMIT_FSIZE and SQLite's max_page_count give, `check`, `accounts add` and
  `accounts grant` print a message (no traceback) and leave every file as it was; the history is kept and
  records again once there is room.
"""

from __future__ import annotations

import hashlib
import json
import math
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import CliRunner
from tests.reliability.counts import record
from trayapp.core.history import Reading
from trayapp.secrets.store import MemorySecretStore
from trayapp.service import Service, open_service
from trayapp.storage.history import HistoryStore

NOWHERE = "http://127.0.0.1:9/ds"  # nothing listens there: a poll fails at once
WRITERS = 8
ADD = ("--provider", "deepseek", "--base-url", NOWHERE, "--key-env", "DS_KEY", "--label")
ROUNDS = 3


def keyring_of(cli: CliRunner, name: str) -> Path:
    """Each concurrent writer its own test keyring file: the test backend (one JSON file, rewritten whole) is
    not made for concurrent writers, and the keyring is not what these tests are about."""
    return cli.config_dir.parent / f"keyring-{name}.json"


def start_add(cli: CliRunner, name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), "accounts", "add", *ADD, name],
        env={**cli.env, "TRAYAPP_TEST_KEYRING_FILE": str(keyring_of(cli, name)), "DS_KEY": f"sk-{name}-0123456789"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_remove(cli: CliRunner, name: str, account_id: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), "accounts", "remove", account_id],
        env={**cli.env, "TRAYAPP_TEST_KEYRING_FILE": str(keyring_of(cli, name))},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    return out


def on_disk(cli: CliRunner) -> dict[str, str]:
    """{account id: label} in config.json."""
    data = json.loads((cli.config_dir / "config.json").read_text())
    return {a["id"]: a["label"] for a in data["accounts"]}


def test_concurrent_adds_and_removes_lose_nothing(cli: CliRunner) -> None:
    """The issue's run: eight `accounts add` started at once used to leave one account in config.json."""
    expected: dict[str, str] = {}
    for round_ in range(ROUNDS):
        names = [f"r{round_}w{i}" for i in range(WRITERS)]
        adds = {name: start_add(cli, name) for name in names}
        # From the second round on, removes of earlier accounts run among the adds.
        doomed = list(expected.items())[: WRITERS // 2] if round_ else []
        removes = [start_remove(cli, label, account_id) for account_id, label in doomed]
        for name, proc in adds.items():
            expected[finish(proc).strip().splitlines()[-1]] = name
        for proc in removes:
            finish(proc)
        for account_id, _ in doomed:
            del expected[account_id]
        assert on_disk(cli) == expected  # every add there, every remove gone, nothing twice
        for account_id, name in expected.items():
            keys = json.loads(keyring_of(cli, name).read_text())
            assert keys == {f"credit-tray\t{account_id}:api": f"sk-{name}-0123456789"}
        for _, label in doomed:
            assert json.loads(keyring_of(cli, label).read_text()) == {}
        record("writers.concurrent_runs")
        record("writers.concurrent_writes", len(adds) + len(removes))
    listed = cli("accounts", "list", "--json")
    assert sorted(a["id"] for a in json.loads(listed.out)["accounts"]) == sorted(expected)


# ---------------------------------------------------------------- the running tray and the CLI


def tray_of(cli: CliRunner) -> Service:
    """A tray's service on the CLI's config dir (its keys in memory: the CLI's are in the test keyring)."""
    service = open_service(str(cli.config_dir), with_history=False)
    service.secrets = MemorySecretStore()
    return service


def cli_add(cli: CliRunner, label: str) -> str:
    res = cli(
        *("accounts", "add", "--provider", "deepseek", "--label", label, "--base-url", NOWHERE, "--key-stdin"),
        stdin=f"sk-{label}-0123456789abcdef\n",
    )
    assert res.code == 0, res.err
    return res.out.strip().splitlines()[-1]


def tray_saves(tray: Service, how: str) -> None:
    """Each way the tray writes config.json: Snooze, Settings › Save, an account saved in its dialog."""
    if how == "snooze":
        tray.snooze("1h", datetime.now(UTC))
    elif how == "settings":
        tray.set_settings(replace(tray.config.settings, poll_interval_minutes=42))
    else:
        draft = tray.draft_account("deepseek", "from the tray", base_url=NOWHERE, currency=None, secret_kinds=("api",))
        tray.put_account(draft)


TRAY_SAVES = ["snooze", "settings", "account"]


@pytest.mark.parametrize("how", TRAY_SAVES)
@pytest.mark.parametrize("order", ["cli-then-tray", "tray-then-cli"])
def test_a_tray_save_keeps_what_the_cli_added(cli: CliRunner, how: str, order: str) -> None:
    tray = tray_of(cli)  # running since before the CLI's change: its config in memory is older
    if order == "cli-then-tray":
        added = cli_add(cli, "cli")
        tray_saves(tray, how)
    else:
        tray_saves(tray, how)
        added = cli_add(cli, "cli")
        tray.snooze("resume", datetime.now(UTC))  # and a second tray save after it
    accounts = on_disk(cli)
    assert accounts.get(added) == "cli", accounts
    assert ("from the tray" in accounts.values()) == (how == "account")
    if how == "settings":
        assert json.loads((cli.config_dir / "config.json").read_text())["settings"]["poll_interval_minutes"] == 42
    assert added in {a.id for a in tray.config.accounts}  # the tray now knows it too
    record("writers.interleavings")


@pytest.mark.parametrize("how", TRAY_SAVES)
@pytest.mark.parametrize("order", ["cli-then-tray", "tray-then-cli"])
def test_a_tray_save_does_not_bring_back_what_the_cli_removed(cli: CliRunner, how: str, order: str) -> None:
    gone, kept = cli_add(cli, "gone"), cli_add(cli, "kept")
    tray = tray_of(cli)  # knows both
    if order == "cli-then-tray":
        assert cli("accounts", "remove", gone).code == 0
        tray_saves(tray, how)
    else:
        tray_saves(tray, how)
        assert cli("accounts", "remove", gone).code == 0
        tray.snooze("resume", datetime.now(UTC))
    accounts = on_disk(cli)
    assert gone not in accounts and accounts[kept] == "kept", accounts
    assert gone not in {a.id for a in tray.monitor.accounts}
    record("writers.interleavings")


def test_two_services_interleaving_every_verb_lose_nothing(cli: CliRunner) -> None:
    """Two writers in turn (a tray and a second tray, or the CLI's service), each from its stale view."""
    a, b = tray_of(cli), tray_of(cli)
    now = datetime.now(UTC)
    first = a.draft_account("deepseek", "a1", base_url=NOWHERE, currency=None, secret_kinds=("api",))
    a.put_account(first)
    second = b.draft_account("deepseek", "b1", base_url=NOWHERE, currency=None, secret_kinds=("api",))
    b.put_account(second)
    a.set_settings(replace(a.config.settings, low_credit_threshold=Decimal("3")))
    b.snooze("4h", now)
    from trayapp.core.models import Grant

    b.add_grant(first.id, Grant(Decimal("10"), "USD", None, (now + timedelta(days=30)).date()))
    a.put_account(replace(a.config.account(first.id), label="a1 renamed"))  # a's view now has b's grant
    b.remove_account(second.id)
    data = json.loads((cli.config_dir / "config.json").read_text())
    assert [(x["id"], x["label"], len(x["grants"])) for x in data["accounts"]] == [(first.id, "a1 renamed", 1)]
    assert data["settings"]["low_credit_threshold"] == "3"
    assert data["settings"]["snoozed_until"] == (now + timedelta(hours=4)).isoformat()
    record("writers.interleavings")


# ---------------------------------------------------------------- orphaned keys


def test_keys_left_by_a_vanished_account_are_deleted_never_those_on_disk(cli: CliRunner, tmp_path: Path) -> None:
    """What the tray's old whole-file save did: an account added from the CLI (and polled, so the state knows
    it) vanished from config.json, its key left in the keyring."""
    kept = cli_add(cli, "kept")
    vanished = cli_add(cli, "vanished")
    cli("check")  # both in state.json now
    config = cli.config_dir / "config.json"
    data = json.loads(config.read_text())
    data["accounts"] = [a for a in data["accounts"] if a["id"] != vanished]
    config.write_text(json.dumps(data))
    keyring = tmp_path / "test-keyring.json"
    assert f"credit-tray\t{vanished}:api" in json.loads(keyring.read_text())
    third = cli_add(cli, "third")
    keys = json.loads(keyring.read_text())
    assert sorted(keys) == sorted(f"credit-tray\t{i}:api" for i in (kept, third)), keys
    assert sorted(on_disk(cli)) == sorted([kept, third])
    record("writers.orphaned_keys_deleted")


# ---------------------------------------------------------------- a full disk

SETUP_AND_FILL = r"""
import hashlib, json, math, os, subprocess, sys, time
from pathlib import Path

mnt, cfg, keyring = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], check=True)
env = dict(os.environ, TRAYAPP_TEST_KEYRING_FILE=str(keyring), PYTHONDONTWRITEBYTECODE="1")

def run(*args, stdin=None):
    p = subprocess.run([sys.executable, "-m", "trayapp", "--config-dir", str(cfg), *args], input=stdin,
                       capture_output=True, text=True, env=env, timeout=120)
    return {"args": list(args), "code": p.returncode, "out": p.stdout, "err": p.stderr}

def files():
    found = {str(p.relative_to(cfg)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in cfg.rglob("*") if p.is_file() and p.parent.name != "logs"
             and not p.name.endswith(("-wal", "-shm"))}
    found["keyring"] = hashlib.sha256(keyring.read_bytes()).hexdigest()
    return found

add = ("accounts", "add", "--provider", "deepseek", "--label", "{}", "--base-url", "http://127.0.0.1:9/ds",
       "--key-stdin")
first = run(*[a.format("first") for a in add], stdin="sk-first-0123456789abcdef\n")
ident = first["out"].strip().splitlines()[-1]
setup = [first, run("check"), run("accounts", "grant", ident, "--amount", "5", "--expires", "2099-01-01")]
first_read = time.time()
for side in cfg.glob("history.sqlite3-*"):
    side.unlink()  # closed cleanly: the next open has to create them, on the full disk
before = files()
filler = mnt / "filler"
fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
try:
    while True:
        os.write(fd, b"\0" * 4096)
except OSError:  # ENOSPC: the file system is full
    pass
os.close(fd)
runs = [run("check"), run("check", "--json"), run(*[a.format("second") for a in add], stdin="sk-second-0123456789\n"),
        run("accounts", "grant", ident, "--amount", "7", "--expires", "2099-01-01")]
after = files()
filler.unlink()
time.sleep(max(0.0, math.floor(first_read) + 1 - time.time()))  # one reading per second: not the first one's
recovered = [run("check"), run("history", "--json")]
print(json.dumps({"ident": ident, "setup": setup, "before": before, "after": after, "runs": runs,
                  "recovered": recovered, "files_after": sorted(p.name for p in cfg.iterdir())}))
"""


def can_mount_tmpfs() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


def test_a_full_disk_is_told_and_changes_nothing(cli: CliRunner, tmp_path: Path) -> None:
    """A real full file system: a 1 MiB tmpfs mounted in a user namespace (no root needed), filled up."""
    if not can_mount_tmpfs():
        pytest.skip("no user namespaces to mount a small tmpfs in (the RLIMIT_FSIZE test below still runs)")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    cfg, keyring = mnt / "cfg", tmp_path / "full-keyring.json"
    proc = subprocess.run(
        ["unshare", "-rm", sys.executable, "-c", SETUP_AND_FILL, str(mnt), str(cfg), str(keyring)],
        capture_output=True,
        text=True,
        env=cli.env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert all(r["code"] == 0 for r in result["setup"][::2]), result["setup"]
    for run in result["runs"]:
        assert "Traceback" not in run["err"], run
        assert run["code"] != 0, run  # not done, and said so
        # `check` is a Monitoring Plugin: its message is its UNKNOWN line on stdout; the others' is on stderr.
        assert "the disk is full" in run["out"] + run["err"], run
    assert result["after"] == result["before"]  # config, backup, state, history, the keyring: as they were
    assert not [n for n in result["files_after"] if ".corrupt-" in n], result["files_after"]  # nothing set aside
    check, history = result["recovered"]
    assert "could not be read" not in check["err"] and "Traceback" not in check["err"], check
    readings = json.loads(history["out"])["readings"]
    assert len([r for r in readings if r["account_id"] == result["ident"]]) == 2, "the old reading and a new one"
    record("faults.full_disk_runs", len(result["runs"]))


def rlimit_fsize(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_writes_past_the_file_size_limit_are_told_and_change_nothing(cli: CliRunner, tmp_path: Path) -> None:
    """RLIMIT_FSIZE: the kernel refuses every write past the limit (EFBIG), as a full disk does (ENOSPC)."""
    ident = cli_add(cli, "one")
    assert cli("check").code == 3  # a first reading (a failed one: UNKNOWN) in the history
    first_read = time.time()
    for side in cli.config_dir.glob("history.sqlite3-*"):
        side.unlink()

    def files() -> dict[str, str]:
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in [*cli.config_dir.iterdir(), tmp_path / "test-keyring.json"]
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))
        }

    before = files()
    runs = []
    for args in (("check",), ("accounts", "grant", ident, "--amount", "5", "--expires", "2099-01-01")):
        proc = subprocess.run(
            [sys.executable, "-m", "trayapp", "--config-dir", str(cli.config_dir), *args],
            capture_output=True,
            text=True,
            env={**cli.env, "PYTHONDONTWRITEBYTECODE": "1"},
            preexec_fn=lambda: rlimit_fsize(300),  # smaller than config.json and state.json
            timeout=120,
        )
        runs.append(proc)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode != 0 and "could not be written" in proc.stdout + proc.stderr, proc.stderr
    assert files() == before
    assert not list(cli.config_dir.glob("*.corrupt-*")), "a write error is not corruption"
    # The history keeps one reading per account and second: the new one must not share the first one's second.
    time.sleep(max(0.0, math.floor(first_read) + 1 - time.time()))
    assert cli("check").code == 3 and len(json.loads(cli("history", "--json").out)["readings"]) == 2
    record("faults.full_disk_runs", len(runs))


def test_sqlite_full_is_an_error_not_corruption(tmp_path: Path) -> None:
    """SQLITE_FULL from SQLite itself (its max_page_count reached): the readings are not recorded, the file is
    kept, and once there is room they are recorded again."""
    from trayapp.storage.history import is_corrupt

    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)

    def readings(start: int, n: int) -> list[Reading]:
        return [Reading("acct", t0 + timedelta(minutes=start + i), "ok", "USD", remaining=Decimal(i)) for i in range(n)]

    store.record(readings(0, 10))
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError) as raised:
        store.record(readings(10, 5000))
    assert "full" in str(raised.value) and not is_corrupt(raised.value)
    assert len(store.readings()) == 10  # the failed transaction rolled back whole
    store.close()
    again = HistoryStore(path)  # a new connection: no page limit
    assert len(again.readings()) == 10 and not list(tmp_path.glob("*.corrupt-*"))
    again.record(readings(10, 5))
    assert len(again.readings()) == 15
    again.close()
    record("faults.sqlite_full")
