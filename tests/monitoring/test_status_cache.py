"""`trayapp status` keeps the line it made in status-cache.json (next to state.json) and prints it again,
without loading the core, for as long as nothing it was made from has changed and the time has not moved
any of its texts: the files, the language and time zone, the clock (trayapp/monitoring/statuscache.py).

Each run is a real `python -X importtime -m trayapp … status` in a fresh interpreter: what it imported (its
stderr) tells a line printed from the cache (no trayapp.core, .providers or .storage module at all) from one
made from the files (trayapp.core.monitor). A kept line replaced by a marker ("KEPT waybar") shows what would
be printed if a stale cache were used.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import CliRunner

from .conftest import ENGLISH, add_accounts, answer
from .test_statusbar import age_readings, read_at, two_accounts_read

FORMATS = ("waybar", "i3blocks", "text")
JST = timezone(timedelta(hours=9))
CORE = ("trayapp.core", "trayapp.providers", "trayapp.storage")


@dataclass
class Run:
    out: str
    err: str
    modules: set[str]

    @property
    def from_cache(self) -> bool:
        assert "trayapp.monitoring.statuscache" in self.modules, self.err[-2000:]  # it did run
        made = "trayapp.core.monitor" in self.modules
        assert made or not {m for m in self.modules if m.startswith(CORE)}, sorted(self.modules)
        return not made


def status(
    cli: CliRunner,
    *args: str,
    env: dict[str, str] | None = None,
    prefix: tuple[str, ...] = (),
    preexec: Callable[[], None] | None = None,
) -> Run:
    command = [*prefix, sys.executable, "-X", "importtime", "-m", "trayapp", "--config-dir", str(cli.config_dir)]
    proc = subprocess.run(
        [*command, "status", *args],
        capture_output=True,
        text=True,
        env={**cli.env, **ENGLISH, **(env or {})},
        timeout=120,
        preexec_fn=preexec,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    modules = {ln.rsplit("|", 1)[1].strip() for ln in proc.stderr.splitlines() if ln.startswith("import time:")}
    rest = "\n".join(ln for ln in proc.stderr.splitlines() if not ln.startswith("import time:"))
    return Run(proc.stdout, rest, modules)


def cache_file(cli: CliRunner) -> Path:
    return cli.config_dir / "status-cache.json"


def made_now(cli: CliRunner, *args: str, env: dict[str, str] | None = None) -> str:
    """What the slow path prints now: the kept line removed first."""
    cache_file(cli).unlink(missing_ok=True)
    run = status(cli, *args, env=env)
    assert not run.from_cache
    return run.out


def plant(cli: CliRunner, **changes: Any) -> dict[str, Any]:
    """The kept line replaced by "KEPT <format>" (and other fields changed): printed only if the cache is used."""
    data = json.loads(cache_file(cli).read_text())
    data["lines"] = {f: f"KEPT {f}" for f in FORMATS}
    data.update(changes)
    cache_file(cli).write_text(json.dumps(data))
    return data


@pytest.fixture
def two(cli: CliRunner, server: HTTPServer) -> dict[str, str]:
    return two_accounts_read(cli, server)


def test_a_second_run_prints_the_kept_line_byte_for_byte(cli: CliRunner, two: dict[str, str]) -> None:
    first = status(cli, "--format", "waybar")
    assert not first.from_cache and cache_file(cli).is_file()
    assert stat.S_IMODE(cache_file(cli).stat().st_mode) == 0o600  # labels and amounts: the user's alone
    read = read_at(cli)
    assert json.loads(first.out)["tooltip"].splitlines()[1:3] == [
        f"A: 110.00 CNY · updated {read['A']}",
        f"B: 2.50 CNY · expires in 60 d · updated {read['B']}",
    ]
    for fmt in FORMATS:
        kept = status(cli, "--format", fmt)
        assert kept.from_cache, fmt  # every format was kept by the first run
        assert kept.out == made_now(cli, "--format", fmt)  # the slow path's bytes at this moment
    again = status(cli)
    assert again.from_cache and again.out == "B 2.50 CNY +1\n"
    data = json.loads(cache_file(cli).read_text())
    assert data["valid_from"] <= time.time() < data["valid_until"] <= data["valid_from"] + 24 * 3600


def test_changed_inputs_make_the_line_again(cli: CliRunner, server: HTTPServer, two: dict[str, str]) -> None:
    status(cli, "--format", "waybar")
    plant(cli)
    assert status(cli, "--format", "waybar").out == "KEPT waybar\n"  # the control: a planted line is used

    def changed(*args: str, env: dict[str, str] | None = None) -> str:
        run = status(cli, *args, env=env)
        assert not run.from_cache and "KEPT" not in run.out, run.out
        assert json.loads(cache_file(cli).read_text())["lines"][args[-1] if args else "text"] == run.out[:-1]
        assert status(cli, *args, env=env).from_cache  # and kept again
        return run.out

    # config.json: an account added with the real CLI.
    answer(server, {"A": "110.00", "B": "2.50", "C": "7.00"})
    add_accounts(cli, server, ["C"])
    plant(cli)
    assert changed("--format", "text") == "B 2.50 CNY +2\n"

    # config.json rewritten in place, the same size and even the same modification time: ctime tells.
    config = cli.config_dir / "config.json"
    before = config.stat()
    plant(cli)
    config.write_text(config.read_text().replace('"label": "A"', '"label": "Z"'))
    os.utime(config, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert config.stat().st_size == before.st_size and config.stat().st_mtime_ns == before.st_mtime_ns
    assert "Z: 110.00 CNY" in json.loads(changed("--format", "waybar"))["tooltip"]

    # state.json: read again by `trayapp check`, B topped up.
    answer(server, {"A": "110.00", "B": "80.00", "C": "7.00"})
    assert cli("check", env=ENGLISH).code == 0
    plant(cli)
    assert changed("--format", "i3blocks").splitlines()[0] == "B 80.00 CNY +2"

    # The language of the texts, from the locale.
    plant(cli)
    japanese = json.loads(changed("--format", "waybar", env={"LANG": "ja_JP.UTF-8"}))["tooltip"]
    assert f"Z: 110.00 CNY · {read_at(cli)['Z']}に更新" in japanese.splitlines()
    assert json.loads(status(cli, "--format", "waybar").out)["tooltip"] != japanese  # English again: made again

    # The time zone of the clock times: UTC+9 shows the reading 9 hours later (TZ in POSIX form: no tzdata).
    plant(cli)
    tokyo = json.loads(changed("--format", "waybar", env={"TZ": "JST-9"}))["tooltip"]
    state = json.loads((cli.config_dir / "state.json").read_text())
    there = datetime.fromisoformat(state["accounts"][two["A"]]["last_good"]["checked_at"]).astimezone(JST)
    shown = f"{there:%H:%M}" if there.date() == datetime.now(JST).date() else f"{there:%Y-%m-%d %H:%M}"
    assert f"Z: 110.00 CNY · updated {shown}" in tokyo.splitlines()

    # A folder of declared providers appears.
    plant(cli)
    (cli.config_dir / "providers").mkdir()
    changed("--format", "waybar")


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda d, raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda d, raw: "", id="empty"),
        pytest.param(lambda d, raw: b"\xff\xfe" + raw.encode(), id="not UTF-8"),
        pytest.param(lambda d, raw: "[]", id="a list"),
        pytest.param(lambda d, raw: json.dumps({**d, "format": "1"}), id="format a string"),
        pytest.param(lambda d, raw: json.dumps({**d, "format": 2}), id="another format"),
        pytest.param(lambda d, raw: json.dumps({**d, "app": "0.0.1"}), id="another version"),
        pytest.param(
            lambda d, raw: json.dumps({k: v for k, v in d.items() if k != "fingerprint"}), id="no fingerprint"
        ),
        pytest.param(lambda d, raw: json.dumps({**d, "fingerprint": "*"}), id="fingerprint a string"),
        pytest.param(lambda d, raw: json.dumps({**d, "lines": ["KEPT"]}), id="lines a list"),
        pytest.param(lambda d, raw: json.dumps({**d, "lines": {"waybar": 5}}), id="line a number"),
        pytest.param(lambda d, raw: json.dumps({**d, "valid_until": "tomorrow"}), id="until a string"),
        pytest.param(lambda d, raw: json.dumps({**d, "valid_until": True, "valid_from": False}), id="bools"),
        pytest.param(lambda d, raw: raw.replace(f'"valid_until": {d["valid_until"]}', '"valid_until": NaN'), id="NaN"),
        pytest.param(lambda d, raw: json.dumps({**d, "valid_until": time.time() - 1}), id="valid_until passed"),
        pytest.param(
            lambda d, raw: json.dumps({**d, "valid_from": time.time() + 3600, "valid_until": time.time() + 7200}),
            id="clock before valid_from",
        ),
    ],
)
def test_a_kept_line_that_does_not_hold_is_not_used(
    cli: CliRunner, two: dict[str, str], spoil: Callable[[dict[str, Any], str], str | bytes]
) -> None:
    expected = made_now(cli, "--format", "waybar")
    data = plant(cli)
    spoilt = spoil(data, cache_file(cli).read_text())
    cache_file(cli).write_bytes(spoilt if isinstance(spoilt, bytes) else spoilt.encode())
    run = status(cli, "--format", "waybar")
    assert (run.from_cache, run.out) == (False, expected)
    assert status(cli, "--format", "waybar").from_cache  # written anew


def test_poll_and_demo_never_use_nor_keep_the_line(cli: CliRunner, server: HTTPServer, two: dict[str, str]) -> None:
    status(cli)
    plant(cli)
    answer(server, {"A": "110.00", "B": "80.00"})
    polled = status(cli, "--poll", "--format", "text")
    assert (polled.from_cache, polled.out) == (False, "B 80.00 CNY +1\n")
    assert json.loads(cache_file(cli).read_text())["lines"]["text"] == "KEPT text"  # not written by --poll
    assert status(cli).out == "B 80.00 CNY +1\n"  # the state the poll saved: the planted line no longer holds
    plant(cli)
    demo = status(cli, "--demo", "--format", "waybar")
    assert not demo.from_cache and "KEPT" not in demo.out and json.loads(demo.out)["text"]
    assert not (cli.config_dir / "demo" / "status-cache.json").exists()


def test_valid_until_is_the_moment_the_line_changes(cli: CliRunner, server: HTTPServer) -> None:
    """Read 35 minutes ago with a 15-minute poll interval: stale (3 intervals) in 10 minutes."""
    add_accounts(cli, server, ["A"])
    answer(server, {"A": "50.00"})
    assert cli("check", env=ENGLISH).code == 0
    age_readings(cli, timedelta(minutes=35))
    (account,) = json.loads((cli.config_dir / "state.json").read_text())["accounts"].values()
    stale_at = datetime.fromisoformat(account["last_good"]["checked_at"]) + timedelta(minutes=45)
    assert json.loads((cli.config_dir / "config.json").read_text())["settings"]["poll_interval_minutes"] == 15
    made = status(cli, "--format", "waybar")
    assert json.loads(made.out)["class"] == "ok"
    data = json.loads(cache_file(cli).read_text())
    assert stale_at.timestamp() - 60 <= data["valid_until"] <= stale_at.timestamp()

    # Just after it, the same files make another line: the account is stale.
    from trayapp.monitoring.statusbar import _last_state
    from trayapp.monitoring.statusline import render, summarize

    views_at, lang, _, _ = _last_state(str(cli.config_dir), False)
    at = datetime.fromtimestamp

    def line(t: float) -> dict[str, Any]:
        return dict(json.loads(render(summarize(views_at(at(t, UTC)), at(t, UTC), lang), "waybar")))

    assert line(data["valid_until"]) == line(data["valid_from"]) == json.loads(data["lines"]["waybar"])
    after = line(stale_at.timestamp() + 1)
    assert after["class"] == "stale" and after != line(data["valid_from"])


def test_an_unwritable_folder_or_a_full_disk_changes_nothing(cli: CliRunner, two: dict[str, str]) -> None:
    expected = made_now(cli, "--format", "waybar")
    cache_file(cli).unlink()

    def no_cache_left() -> None:
        assert sorted(p.name for p in cli.config_dir.iterdir() if "status-cache" in p.name) == []

    # A full disk: every write to a file fails (EFBIG, as the tray's saves see ENOSPC or EFBIG).
    full = status(cli, "--format", "waybar", preexec=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0)))
    assert (full.out, full.err) == (expected, "")
    no_cache_left()

    # A folder that cannot be written (root too: without its capability to override permissions).
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux) to drop the override of permissions")
        prefix = (setpriv, "--inh-caps=-all", "--bounding-set=-all", "--")
    cli.config_dir.chmod(0o500)
    try:
        locked = status(cli, "--format", "waybar", prefix=prefix)
        assert (locked.from_cache, locked.out, locked.err) == (False, expected, "")
        no_cache_left()
    finally:
        cli.config_dir.chmod(0o700)


def test_no_state_folder_is_made_for_the_cache(cli: CliRunner) -> None:
    run = status(cli)
    assert (run.out, cli.config_dir.exists()) == ("no accounts\n", False)


def test_the_tooltip_says_when_as_clock_times(cli: CliRunner, server: HTTPServer) -> None:
    """A clock time (and the date when not today) for the data shown and for a failed last try; the Nagios
    plugin's long text keeps its ages."""
    add_accounts(cli, server, ["A"])
    answer(server, {"A": "50.00"})
    assert cli("check", env=ENGLISH).code == 0
    age_readings(cli, timedelta(days=2))
    server.clear()  # every request now answers 500: the last try fails, the old reading is kept
    assert cli("check", env=ENGLISH).code == 3
    (account,) = json.loads((cli.config_dir / "state.json").read_text())["accounts"].values()
    data_at = datetime.fromisoformat(account["last_good"]["checked_at"]).astimezone()
    tried_at = datetime.fromisoformat(account["last_attempt_at"]).astimezone()
    assert data_at.date() != tried_at.date() == datetime.now().astimezone().date()
    when = f"data from {data_at:%Y-%m-%d %H:%M} · last try failed at {tried_at:%H:%M}"
    assert f"A: 50.00 CNY · {when} · stale" in json.loads(status(cli, "--format", "waybar").out)["tooltip"]
    japanese = json.loads(status(cli, "--format", "waybar", env={"LANG": "ja_JP.UTF-8"}).out)["tooltip"]
    assert f"A: 50.00 CNY · {data_at:%Y-%m-%d %H:%M}時点のデータ · {tried_at:%H:%M}の取得に失敗 · stale" in japanese
    plugin = cli("check", env=ENGLISH).out
    assert "A: 50.00 CNY · data from 2 days ago · last try failed just now · stale" in plugin


@pytest.mark.parametrize(
    ("variables", "config_dir"),
    [
        ({}, None),  # the user's own folders: ~/.config/credit-tray, ~/.local/share/credit-tray
        ({"XDG_CONFIG_HOME": "{tmp}/conf", "XDG_DATA_HOME": "{tmp}/data"}, None),
        ({"XDG_CONFIG_HOME": " ", "XDG_DATA_HOME": ""}, None),  # blank: the default
        ({"XDG_DATA_HOME": "relative/data"}, None),  # not absolute: ignored by platformdirs (asked then)
        ({"TRAYAPP_CONFIG_DIR": "~/elsewhere"}, None),
        ({"TRAYAPP_CONFIG_DIR": "{tmp}/env"}, "~/given//"),  # --config-dir wins
    ],
)
def test_the_cache_is_looked_for_where_state_json_is(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variables: dict[str, str], config_dir: str | None
) -> None:
    from trayapp.monitoring.statuscache import locate
    from trayapp.storage.paths import resolve_paths

    for name in ("TRAYAPP_CONFIG_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name, value in variables.items():
        monkeypatch.setenv(name, value.format(tmp=tmp_path))
    where, paths = locate(config_dir), resolve_paths(config_dir)
    assert (Path(where.config_dir), Path(where.data_dir)) == (paths.config_dir, paths.data_dir)
    assert Path(where.cache_file).parent == paths.state_file.parent
