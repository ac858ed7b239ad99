"""`trayapp history` after a few `check` runs, and the forecast fields of `check --json`."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from tests.conftest import CliRunner


def test_history_lists_every_check_as_csv_and_json(cli: CliRunner) -> None:
    checked = []
    for _ in range(3):
        result = cli("--demo", "check", "--json", "--account", "demo-low")
        assert result.code in (1, 2), result.err
        checked.append(datetime.fromisoformat(json.loads(result.out)["accounts"][0]["checked_at"]))

    out = cli("--demo", "history", "--csv", "--account", "demo-low")
    assert out.code == 0, out.err
    rows = list(csv.DictReader(io.StringIO(out.out)))
    assert list(rows[0]) == [
        "account_id",
        "time",
        "status",
        "currency",
        "remaining",
        "remaining_granted",
        "remaining_paid",
        "granted_total",
        "used",
        "expires_at",
        "error_kind",
        "alerts",
    ]
    assert {r["account_id"] for r in rows} == {"demo-low"}
    times = [datetime.fromisoformat(r["time"]) for r in rows]
    assert times == sorted(times)
    # Every check is there (to the second), with what it read and the alerts it raised.
    polled = {t.replace(microsecond=0) for t in checked}
    mine = [r for r in rows if datetime.fromisoformat(r["time"]) in polled]
    assert {datetime.fromisoformat(r["time"]) for r in mine} == polled
    assert all(r["remaining"] == "1.85" and r["currency"] == "USD" and "credit_low" in r["alerts"] for r in mine)
    # The demo also seeded a few weeks before them, for the chart.
    assert times[0] < min(checked) - timedelta(days=20)

    # From yesterday: in the first hour of a UTC day, today holds only these checks, not the seeded hours.
    since = (min(checked) - timedelta(days=1)).date().isoformat()
    js = cli("--demo", "history", "--json", "--since", since)
    assert js.code == 0, js.err
    readings = json.loads(js.out)["readings"]
    assert {r["account_id"] for r in readings} >= {"demo-low", "demo-healthy"}
    assert all(datetime.fromisoformat(r["time"]) >= datetime.fromisoformat(since).replace(tzinfo=UTC) for r in readings)
    low = [r for r in readings if r["account_id"] == "demo-low" and r["remaining"] is not None]
    assert low[-1]["remaining"] == 1.85 and "credit_low" in low[-1]["alerts"]

    table = cli("--demo", "history", "--account", "demo-low", "--since", since)
    assert table.code == 0 and "TIME (UTC)" in table.out and "$1.85" in table.out


def test_history_file_holds_no_key_and_no_clear_email(cli: CliRunner) -> None:
    assert cli("--demo", "check").code == 2
    data = b"".join(p.read_bytes() for p in (cli.config_dir / "demo").glob("history.sqlite3*"))
    assert data, "the history file exists"
    for secret in (b"demo-key-", b"pat.example", b"googlemail", b"555 0100", b"user-demo"):
        assert secret not in data


def test_history_rejects_a_bad_date_and_an_unknown_account(cli: CliRunner) -> None:
    bad = cli("--demo", "history", "--since", "last tuesday")
    assert bad.code == 1 and "Invalid date" in bad.err
    unknown = cli("--demo", "history", "--account", "nope")
    assert unknown.code == 1 and "No such account" in unknown.err


def test_check_json_carries_the_forecast(cli: CliRunner) -> None:
    result = cli("--demo", "check", "--json")
    accounts = {a["id"]: a for a in json.loads(result.out)["accounts"]}
    now = datetime.now(UTC)
    low = accounts["demo-low"]
    runs_out = datetime.fromisoformat(low["runs_out_at"])
    assert now < runs_out < now + timedelta(days=7) and low["burn_per_day"] > 0
    assert "runs_out_soon" in [a["code"] for a in low["alerts"]]
    trial = accounts["demo-expiring"]
    assert 2.5 < trial["expires_unused"] <= 3.20
    (unused,) = [a for a in trial["alerts"] if a["code"] == "will_expire_unused"]
    assert unused["severity"] == "warning"
    assert unused["message"].startswith(f"OpenAI trial (demo): ${trial['expires_unused']:.2f} of trial credit will")
    assert trial["expires_at"][:10] in unused["message"]
    zero = accounts["demo-zero"]
    assert zero["runs_out_at"] is None and zero["forecast_reason"] == "no credit left"
    for account in accounts.values():
        assert {"runs_out_at", "expires_unused"} <= set(account)
