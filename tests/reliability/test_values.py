"""Files whose bytes parse but whose values are wrong: nothing read from disk can end the process.

Every value read from config.json, state.json and history.sqlite3 is checked against its bounds. A bad one is
reported (naming the file and the field) and its default used, the file kept; what cannot be read at all is
set aside. First the cases the attack run found (each crashed the tray or `check` on every start), run
through the real CLI; then hypothesis (derandomized) over the values of each file: one field at a time given
any JSON value (wrong types, NaN, ±Infinity, 10**30, "1e999999", dates out of range, nested lists...), and
the result read by what the app does with it (the views, the text and JSON reports, the history export).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CliRunner
from tests.reliability.counts import record
from trayapp.core import codec
from trayapp.core.history import Reading, readings_csv, readings_json
from trayapp.core.models import (
    Account,
    AccountState,
    CurrencyBalance,
    ErrorKind,
    FetchError,
    Grant,
    Identity,
    Settings,
    Snapshot,
)
from trayapp.core.monitor import report_json
from trayapp.storage.config import Config, ConfigStore, LoadReport
from trayapp.storage.history import HistoryStore
from trayapp.storage.state import AppState, StateStore

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
NOWHERE = "http://127.0.0.1:9/ds"


def strict_json(text: str) -> Any:
    """JSON as other programs read it: NaN and Infinity are not JSON."""

    def refuse(token: str) -> None:
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def add(cli: CliRunner, label: str = "one") -> str:
    res = cli(
        *("accounts", "add", "--provider", "deepseek", "--label", label, "--base-url", NOWHERE, "--key-stdin"),
        stdin=f"sk-values-{label}-0123456789abcdef\n",
    )
    assert res.code == 0, res.err
    return res.out.strip().splitlines()[-1]


def no_crash(*results: Any) -> None:
    for res in results:
        assert "Traceback" not in res.err, res.err


# ---------------------------------------------------------------- the cases found, through the CLI


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("name", "value", "default"),
    [
        ("poll_interval_minutes", 10**20, 15),  # was OverflowError
        ("low_credit_threshold", "1e999999", "5"),  # was InvalidOperation
        ("expiry_warning_days", -(10**30), 7),
        ("low_credit_threshold", float("nan"), "5"),
    ],
)
def test_a_bad_setting_is_told_defaulted_and_the_file_kept(cli: CliRunner, name: str, value: Any, default: Any) -> None:
    ident = add(cli)
    path = cli.config_dir / "config.json"
    data = json.loads(path.read_text())
    data["settings"][name] = value
    path.write_text(json.dumps(data))
    original = path.read_bytes()
    listed, checked = cli("accounts", "list", "--json"), cli("check", "--json")
    no_crash(listed, checked)
    assert [a["id"] for a in strict_json(listed.out)["accounts"]] == [ident]
    assert f"config.json: settings.{name} is not valid" in listed.err and f"{default} is used instead" in listed.err
    assert [a["id"] for a in strict_json(checked.out)["accounts"]] == [ident]
    assert path.read_bytes() == original and not list(cli.config_dir.glob("*.corrupt-*"))
    record("values.corrupt_value_cases")


@pytest.mark.parametrize("which", ["config.json", "state.json"])
def test_deeply_nested_json_is_set_aside_not_a_crash(cli: CliRunner, which: str) -> None:
    ident = add(cli)
    assert cli("check").code == 3  # state.json written (a failed first poll)
    path = cli.config_dir / which
    data = json.loads(path.read_text())
    text = json.dumps(data)[:-1] + ', "deep": ' + nested(100_000) + "}"  # was a RecursionError at every start
    path.write_text(text)
    res = cli("check", "--json")
    no_crash(res)
    assert res.code == 3 and "nested too deeply" in res.err, res.err
    aside = list(cli.config_dir.glob(f"{which}.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == text
    if which == "config.json":  # restored from its backup (made by the add: no account yet then)
        assert strict_json(res.out)["accounts"] == []
    else:
        assert [a["id"] for a in strict_json(res.out)["accounts"]] == [ident]
    record("values.corrupt_value_cases")


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE readings SET remaining = 'abc'",
        "UPDATE readings SET remaining = 'NaN'",
        "UPDATE readings SET remaining = '1e999999'",
        "UPDATE readings SET t = 'yesterday' WHERE remaining = '9'",
        "UPDATE readings SET t = 99999999999999 WHERE remaining = '9'",
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_compacted', 'garbage')",
        "UPDATE schema_version SET version = 'x'",
    ],
)
def test_a_bad_value_in_the_history_is_skipped_not_a_crash(cli: CliRunner, damage: str) -> None:
    ident = add(cli)
    history = cli.config_dir / "history.sqlite3"
    with sqlite3.connect(history) as conn:  # created, with its schema, by the add's service
        key = conn.execute("INSERT INTO accounts (account_id) VALUES (?)", (ident,)).lastrowid
        for i in range(3):
            conn.execute(
                "INSERT INTO readings (acct, t, status, currency, remaining) VALUES (?, ?, 'ok', 'CNY', ?)",
                (key, int((NOW - timedelta(hours=3 - i)).timestamp()), str(10 - i)),
            )
        conn.execute(damage)
    conn.close()
    checked, exported = cli("check", "--json"), cli("history", "--json")
    no_crash(checked, exported)
    assert checked.code == 3, checked.err  # UNKNOWN: its poll failed; not a crash
    assert exported.code == 0 and strict_json(exported.out)["readings"] is not None
    assert not list(cli.config_dir.glob("history.sqlite3.corrupt-*")), "a bad value is not a damaged file"
    record("values.corrupt_value_cases")


def test_a_config_of_a_newer_version_is_read_and_never_written_over(cli: CliRunner) -> None:
    """Decision (docs/RELIABILITY.md): `version` above ours is a file a newer Credit Tray wrote. It is not
    corrupt: what this version understands is used, and it is never written, so nothing the newer version
    stored is lost; a change is refused with a message until the user updates."""
    ident = add(cli)
    path = cli.config_dir / "config.json"
    data = json.loads(path.read_text())
    data["version"] = 2
    data["accounts"][0]["a_field_of_version_2"] = {"kept": True}
    data["settings_of_version_2"] = [1, 2, 3]
    path.write_text(json.dumps(data, indent=2))
    original = path.read_bytes()
    listed = cli("accounts", "list", "--json")
    no_crash(listed)
    assert [a["id"] for a in strict_json(listed.out)["accounts"]] == [ident]
    assert "newer version" in listed.err and "could not be read" not in listed.err
    added = cli(
        *("accounts", "add", "--provider", "deepseek", "--label", "two", "--base-url", NOWHERE, "--key-stdin"),
        stdin="sk-values-two-0123456789abcdef\n",
    )
    granted = cli("accounts", "grant", ident, "--amount", "5", "--expires", "2099-01-01")
    removed = cli("accounts", "remove", ident)
    checked = cli("check")
    no_crash(added, granted, removed, checked)
    for res in (added, granted, removed):
        assert res.code == 1 and "newer version of Credit Tray" in res.err, res.err
    assert checked.code == 3  # polled as usual
    assert path.read_bytes() == original and not list(cli.config_dir.glob("*.corrupt-*"))
    record("values.corrupt_value_cases")


# ---------------------------------------------------------------- amounts (item 11)


@pytest.mark.parametrize("amount", ["1e30", "1e9999999", "Infinity", "NaN", "1000000001", "0.0000001", "-5", "0"])
def test_a_grant_amount_out_of_bounds_is_refused_and_nothing_saved(cli: CliRunner, amount: str) -> None:
    ident = add(cli)
    path = cli.config_dir / "config.json"
    before = path.read_bytes()
    res = cli("accounts", "grant", ident, "--amount", amount, "--expires", "2099-01-01")
    no_crash(res)
    assert res.code == 1 and "Invalid amount" in res.err, res.err
    assert path.read_bytes() == before
    listed = cli("accounts", "list", "--json")
    assert strict_json(listed.out)["accounts"][0]["grants"] == []
    record("values.amounts_refused")


def test_the_largest_grant_is_saved_and_listed_as_json(cli: CliRunner) -> None:
    ident = add(cli)
    res = cli("accounts", "grant", ident, "--amount", "1000000000", "--expires", "2099-01-01")
    assert res.code == 0, res.err
    assert "$1000000000.00" in res.err  # printed, not an InvalidOperation
    [grant] = strict_json(cli("accounts", "list", "--json").out)["accounts"][0]["grants"]
    assert grant["amount"] == 1e9
    checked = cli("check", "--json")
    no_crash(checked)
    strict_json(checked.out)


def test_an_infinite_amount_in_the_file_never_reaches_json_output(cli: CliRunner) -> None:
    """`accounts list --json` used to print Infinity (float() of a huge grant), which is not JSON."""
    ident = add(cli)
    path = cli.config_dir / "config.json"
    data = json.loads(path.read_text())
    data["accounts"][0]["grants"] = [
        {"amount": "1e400", "currency": "USD", "expires": "2099-01-01"},
        {"amount": "12.5", "currency": "USD", "expires": "2099-01-01"},
    ]
    path.write_text(json.dumps(data))
    listed, checked = cli("accounts", "list", "--json"), cli("check", "--json")
    no_crash(listed, checked)
    [account] = strict_json(listed.out)["accounts"]
    assert account["id"] == ident and [g["amount"] for g in account["grants"]] == [12.5]
    assert f"accounts[{ident}].grants[0] is not valid" in listed.err
    strict_json(checked.out)
    record("values.corrupt_value_cases")


# ---------------------------------------------------------------- hypothesis over the values

SPECIAL_TEXT = [
    "1e999999",
    "-1e999999",
    "1e30",
    "NaN",
    "Infinity",
    "-5",
    "0",
    "15",
    " 5 ",
    "1_000",
    "５",
    "",
    "2026-01-01",
    "2026-13-45",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00",
    "yesterday",
    "api",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(SPECIAL_TEXT),
)
json_values = st.recursive(
    scalars,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=4), kids, max_size=3),
    max_leaves=6,
)
VALUES = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def sample_config() -> Config:
    expiring = (NOW + timedelta(days=3)).date()
    return Config(
        settings=Settings(low_credit_thresholds={"CNY": Decimal("20")}, snoozed_until=NOW + timedelta(hours=1)),
        accounts=[
            Account(
                "deepseek-aa11",
                "deepseek",
                "DS",
                NOW,
                base_url=NOWHERE,
                grants=(Grant(Decimal("5"), "USD", date(2026, 1, 1), expiring),),
            ),
            Account("openrouter-bb22", "openrouter", "OR", NOW, options={"probe": True}),
        ],
    )


def sample_state(config: Config) -> AppState:
    snapshot = Snapshot(
        "deepseek-aa11",
        NOW - timedelta(minutes=5),
        currency="CNY",
        remaining=Decimal("42.5"),
        remaining_granted=Decimal("2.5"),
        remaining_paid=Decimal("40"),
        granted_total=Decimal("10"),
        used=Decimal("1.25"),
        expires_at=NOW + timedelta(days=30),
        identity=Identity(user_id="u-1", org_ids=("org-1",), email_hash="h" * 16),
        balances=(CurrencyBalance("USD", Decimal("1.5")),),
        flags=frozenset({"unlimited"}),
        notes=("a note",),
    )
    error = FetchError(ErrorKind.RATE_LIMITED, "Slow down", "Try later", "deepseek", retry_after=30.0)
    return AppState(
        accounts={
            "deepseek-aa11": AccountState(
                last_good=snapshot, last_error=error, last_attempt_at=NOW, failures=2, next_due_at=NOW
            ),
            "openrouter-bb22": AccountState(last_error=error, failures=1),
        },
        notified={"deepseek-aa11/credit_low"},
    )


def what_the_app_does_with(config_dir: Path) -> None:
    """Open the service on these files and do what the tray and `check` do with them: the views (alerts
    evaluated), the text and JSON reports, a failed poll applied (backoff), the history read and exported."""
    from trayapp.core.models import FetchResult
    from trayapp.monitoring import nagios
    from trayapp.service import open_service
    from trayapp.storage.atomic import dumps

    service = open_service(str(config_dir))
    try:
        for lang in ("en", "ja"):
            views = service.views(NOW)
            nagios.plugin_output(
                views,
                NOW,
                lang,
                service.config.settings,
                nagios.parse_thresholds((), ()),
                nagios.long_text(views, NOW, lang),
            )
            dumps(report_json(views, NOW))
        error = FetchError(ErrorKind.NETWORK, "No connection", "refused", "deepseek")
        service.apply([FetchResult(a.id, error=error) for a in service.config.accounts], NOW)
        service.next_wakeup(NOW)
        service.accounts_due(NOW + timedelta(days=1))
        if service.history is not None:
            service.refresh_forecasts(NOW)
            readings = service.history.readings()
            dumps(readings_json(readings))
            readings_csv(readings)
            for a in service.config.accounts:
                service.history.points(a.id, None)
            service.history.compaction_due(NOW)
            service.history.compact(NOW)
        dumps(report_json(service.views(NOW), NOW))
    finally:
        if service.history is not None:
            service.history.close()


def replace_at(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def paths_of(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document where a value can be put."""
    found = []
    if isinstance(data, dict):
        for k, v in data.items():
            found.append((*prefix, k))
            found.extend(paths_of(v, (*prefix, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found.append((*prefix, i))
            found.extend(paths_of(v, (*prefix, i)))
    return found


def write_files(config_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    config_dir.mkdir(parents=True, exist_ok=True)
    config = sample_config()
    ConfigStore(config_dir / "config.json").save(config)
    StateStore(config_dir / "state.json").save(sample_state(config))
    return (json.loads((config_dir / "config.json").read_text()), json.loads((config_dir / "state.json").read_text()))


def damaged(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, name: str
) -> tuple[Path, tuple[Any, ...], Any]:
    """Good files, then any JSON value put at one place of `name`: (config dir, the place, the value)."""
    config_dir = tmp_path_factory.mktemp("values") / "cfg"
    config, state = write_files(config_dir)
    document = config if name == "config.json" else state
    place = data.draw(st.sampled_from(paths_of(document)), label="place")
    value = data.draw(json_values, label="value")
    replace_at(document, place, value)
    (config_dir / name).write_text(json.dumps(document))
    return config_dir, place, value


@VALUES
@given(data=st.data())
def test_any_value_anywhere_in_config_json(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    config_dir, place, value = damaged(tmp_path_factory, data, "config.json")
    path = config_dir / "config.json"
    original = path.read_bytes()
    report = LoadReport()
    loaded = ConfigStore(path).load(report)  # never raises
    aside = list(config_dir.glob("config.json.corrupt-*"))
    if aside:  # unreadable as a whole: kept byte for byte, and told
        assert aside[0].read_bytes() == original and report.problems
    else:
        assert path.read_bytes() == original  # a bad value is told, not written over
        if place[0] == "settings" and len(place) == 2:
            check_setting(place[1], value, loaded.settings, report)
    what_the_app_does_with(config_dir)
    record("values.config_cases")


def check_setting(name: str, value: Any, loaded: Settings, report: LoadReport) -> None:
    """The value read is the one in the file, or the default and the user told which field was wrong."""
    got, default = getattr(loaded, name), getattr(Settings(), name)
    told = any(f"settings.{name} is not valid" in p for p in report.problems)
    if value is None or told:
        assert got == default
        return
    if isinstance(got, (bool, str)):
        assert got == value
    elif isinstance(got, int):
        assert got == max(1, value) if name == "poll_interval_minutes" else got == value
    elif isinstance(got, Decimal):
        assert got == Decimal(str(value))


@VALUES
@given(data=st.data())
def test_any_value_anywhere_in_state_json(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    config_dir, place, _ = damaged(tmp_path_factory, data, "state.json")
    problems: list[str] = []
    loaded = StateStore(config_dir / "state.json").load(problems)  # never raises
    if not list(config_dir.glob("state.json.corrupt-*")) and place[0] == "accounts" and len(place) > 2:
        # One account's entry with a bad value is left out and told, or read; the other one is kept.
        other = "openrouter-bb22" if place[1] == "deepseek-aa11" else "deepseek-aa11"
        assert other in loaded.accounts
    what_the_app_does_with(config_dir)
    record("values.state_cases")


COLUMNS = ["t", "status", "currency", "remaining", "remaining_granted", "remaining_paid", "granted_total", "used"]
COLUMNS += ["expires_at", "error_kind", "alerts"]
sql_values = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),  # SQLite stores NaN as NULL
    st.text(max_size=12),
    st.sampled_from(SPECIAL_TEXT),
    st.binary(max_size=8),
)


@VALUES
@given(data=st.data())
def test_any_value_in_any_column_of_the_history(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    config_dir = tmp_path_factory.mktemp("values") / "cfg"
    write_files(config_dir)
    path = config_dir / "history.sqlite3"
    store = HistoryStore(path)
    store.record(
        Reading("deepseek-aa11", NOW - timedelta(hours=h), "ok", "CNY", remaining=Decimal(40 + h)) for h in range(4)
    )
    store.close()
    damage = data.draw(
        st.lists(st.tuples(st.sampled_from([*COLUMNS, "last_compacted", "schema"]), sql_values), min_size=1, max_size=3)
    )
    with sqlite3.connect(path) as conn:
        for column, value in damage:
            if value is None and column in ("t", "last_compacted", "schema"):
                continue  # NOT NULL: SQLite itself refuses it
            if column == "last_compacted":
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_compacted', ?)", (value,))
            elif column == "schema":
                conn.execute("UPDATE schema_version SET version = ?", (value,))
            else:
                row = data.draw(st.integers(0, 3))
                t = int((NOW - timedelta(hours=row)).timestamp())
                conn.execute(f"UPDATE OR IGNORE readings SET {column} = ? WHERE t = ?", (value, t))
    conn.close()
    what_the_app_does_with(config_dir)
    assert not list(config_dir.glob("history.sqlite3.corrupt-*")), "a bad value is not a damaged file"
    record("values.history_cases")


def test_every_setting_has_a_bound_or_a_type_check() -> None:
    """A new setting gets its check too: each field of Settings, given a value of the wrong type, is told."""
    wrong = {"language": 5, "low_credit_thresholds": [1], "disabled_alerts": "x", "snoozed_until": 5}
    told: list[str] = []
    for f in fields(Settings):
        told.clear()
        codec.settings_in({f.name: wrong.get(f.name, "not this")}, lambda field, *_: told.append(field))
        assert told == [f"settings.{f.name}"], f.name
