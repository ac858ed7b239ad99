from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from trayapp.core.models import Account, AccountState, Grant, Settings, Snapshot
from trayapp.storage.config import Config, ConfigStore, LoadReport
from trayapp.storage.state import AppState, StateStore

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def sample_config() -> Config:
    return Config(
        settings=Settings(poll_interval_minutes=30, low_credit_threshold=Decimal("2.5"), expiry_warning_days=10),
        accounts=[
            Account(
                "deepseek-1",
                "deepseek",
                "Mine",
                NOW,
                base_url="https://api.deepseek.com",
                grants=(Grant(Decimal("5"), "USD", date(2026, 1, 1), date(2027, 1, 1)),),
            )
        ],
    )


def test_config_round_trip_is_human_readable(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path / "config.json")
    store.save(sample_config())
    text = (tmp_path / "config.json").read_text()
    assert '"poll_interval_minutes": 30' in text and "\n  " in text
    loaded = store.load()
    assert loaded.settings == sample_config().settings
    assert loaded.accounts == sample_config().accounts


def test_corrupt_config_is_set_aside_and_previous_copy_restored(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path / "config.json")
    store.save(sample_config())
    store.save(sample_config())  # the second save keeps the first as config.json.bak
    (tmp_path / "config.json").write_text('{"version": 1, "accounts": [{"id": ')  # half-written
    report = LoadReport()
    loaded = store.load(report)
    assert [a.id for a in loaded.accounts] == ["deepseek-1"]
    assert report.problems and "previous good copy was restored" in report.problems[0]
    aside = list(tmp_path.glob("config.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text().startswith('{"version": 1')


def test_corrupt_config_without_backup_keeps_the_file_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("not json")
    report = LoadReport()
    assert ConfigStore(tmp_path / "config.json").load(report).accounts == []
    assert "Starting with no accounts" in report.problems[0]
    assert next(iter(tmp_path.glob("config.json.corrupt-*"))).read_text() == "not json"


def test_wrong_types_in_config_are_detected_not_coerced(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"version": 1, "settings": {"poll_interval_minutes": "often"}, "accounts": []}))
    report = LoadReport()
    ConfigStore(path).load(report)
    assert "poll_interval_minutes" in report.problems[0]


def test_poll_interval_has_a_minimum(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"version": 1, "settings": {"poll_interval_minutes": 0}, "accounts": []}))
    assert ConfigStore(path).load().settings.poll_interval_minutes == 1


def test_state_round_trip_and_corruption(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.json")
    state = AppState(
        accounts={
            "a": AccountState(
                last_good=Snapshot("a", NOW, currency="USD", remaining=Decimal("1.25")),
                failures=2,
                cache={"identity": {"user": "u"}},
            )
        },
        notified={"a/credit_low"},
    )
    store.save(state)
    loaded = store.load()
    assert loaded.accounts == state.accounts and loaded.notified == state.notified
    assert loaded.identity_salt == state.identity_salt
    (tmp_path / "state.json").write_text("{")
    problems: list[str] = []
    assert store.load(problems).accounts == {}
    assert "accounts and settings are not affected" in problems[0]


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    store = ConfigStore(tmp_path / "config.json")
    for _ in range(5):
        store.save(sample_config())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json", "config.json.bak"]
    assert oct((tmp_path / "config.json").stat().st_mode & 0o777) == "0o600"


def test_background_state_writes_never_go_back_in_time(tmp_path: Path) -> None:
    import threading

    from trayapp.service import open_service

    core = open_service(str(tmp_path / "cfg"), with_history=False)
    core.state.notified = {"a/credit_low"}
    core.save_state(background=True)
    core.state.notified = {"a/credit_low", "b/credit_zero"}
    core.save_state()  # the latest, written now
    old = core.state_store.encode(AppState(notified={"stale"}, identity_salt=core.state.identity_salt))
    core._write_state(1, old)  # an older write arriving late is dropped
    for t in threading.enumerate():
        if t.name == "state-write":
            t.join(5)
    assert core.state_store.load().notified == {"a/credit_low", "b/credit_zero"}


def test_what_a_save_cut_short_left_is_removed_at_start_but_not_a_save_in_progress(tmp_path: Path) -> None:
    import os
    import time

    from trayapp.service import open_service

    ConfigStore(tmp_path / "config.json").save(sample_config())
    left = tmp_path / ".state.json.k3j2h1.tmp"  # what a kill between mkstemp and the rename leaves
    left.write_text("{")
    an_hour_ago = time.time() - 3600
    os.utime(left, (an_hour_ago, an_hour_ago))
    running = tmp_path / ".config.json.a8f7e6.tmp"  # another process saving right now
    running.write_text("{")
    core = open_service(str(tmp_path), with_history=False)
    assert not left.exists() and running.exists()
    assert [a.id for a in core.config.accounts] == ["deepseek-1"]  # and nothing else was touched
