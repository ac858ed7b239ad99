"""`trayapp check` as Nagios / Icinga run it: the first line `CREDIT <STATE> - <summary> | <perfdata>` with the
guidelines' performance data (https://www.monitoring-plugins.org/doc/guidelines.html#AEN200: 'label'=value
[UOM];[warn];[crit];[min];[max], C-locale numbers, ranges as in #THRESHOLDFORMAT), the thresholds and the
selection a plugin user expects, and UNKNOWN (3) with a message for everything that keeps it from telling:
Nagios shows "(No output returned from plugin)" for an empty stdout, and reads exit 2 as CRITICAL.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import CliRunner

from .conftest import ENGLISH, add_accounts, answer, assert_no_key_in, key_of


def first_line(cli: CliRunner, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = cli("check", *args, env={**ENGLISH, **(env or {})})
    assert "Traceback" not in result.err, result.err
    lines = result.out.splitlines()
    assert lines, f"no output (Nagios would show '(No output returned from plugin)'); stderr: {result.err}"
    return result.code, lines[0], result.out


def test_status_line_carries_perfdata_with_each_accounts_thresholds(cli: CliRunner, server: HTTPServer) -> None:
    ids = add_accounts(cli, server, ["A", "B"])
    expires = (datetime.now(UTC) + timedelta(days=20)).date().isoformat()
    granted = cli("accounts", "grant", ids["A"], "--amount", "10", "--currency", "CNY", "--expires", expires)
    assert granted.code == 0, granted.err
    answer(server, {"A": "110.00", "B": "2.50"})

    # A German locale must not turn 2.5 into 2,5 (Icinga sets LC_NUMERIC=C; Nagios does not).
    code, line, out = first_line(cli, env={"LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8"})
    assert code == 1, out
    status, perf = line.split(" | ")
    assert status == "CREDIT WARNING - 1 warning (B): B: credit is low: 2.50 CNY left (warning at 5.00 CNY)."
    assert perf == "'A CNY'=110;@~:5;@~:0;0 'A expiry'=20d;@~:7;;0 'B CNY'=2.5;@~:5;@~:0;0"
    # The long text follows: a line per account, each alert under it.
    assert out.splitlines()[1:] == [
        "  A: 110.00 CNY · expires in 20 d · updated just now",
        "  B: 2.50 CNY · updated just now",
        "      warning: B: credit is low: 2.50 CNY left (warning at 5.00 CNY).",
    ]

    # --warning / --critical for this run: an amount, or days before the expiry (Nd).
    code, line, out = first_line(cli, "--warning", "1", "--critical", "3", "-w", "30d")
    assert code == 2, out
    status, perf = line.split(" | ")
    assert status == (
        "CREDIT CRITICAL - 1 critical (B), 1 warning (A): B: credit is low: 2.50 CNY left (critical at 3.00 CNY)."
    )
    assert perf == "'A CNY'=110;@~:1;@~:3;0 'A expiry'=20d;@~:30;;0 'B CNY'=2.5;@~:1;@~:3;0"
    code, line, out = first_line(cli, "--critical", "25d", "--json")
    report = json.loads(out)
    by_label = {a["label"]: a for a in report["accounts"]}
    assert (code, report["verdict"], report["status"], report["exit_code"]) == (2, "CRITICAL", "CRITICAL", 2)
    assert report["summary"].startswith("1 critical (A), 1 warning (B): A: credit expires in 20 days")
    assert [(x["code"], x["severity"]) for x in by_label["A"]["alerts"]] == [("expiring_soon", "critical")]
    assert by_label["A"]["verdict"] == "critical"

    # The overrides were for those runs only: the settings are as they were.
    code, line, _ = first_line(cli)
    assert code == 1 and line.endswith("'A CNY'=110;@~:5;@~:0;0 'A expiry'=20d;@~:7;;0 'B CNY'=2.5;@~:5;@~:0;0")
    assert_no_key_in([cli.config_dir], out)


def test_selection_by_account_and_provider(cli: CliRunner, server: HTTPServer) -> None:
    ids = add_accounts(cli, server, ["A", "B", "C"])
    answer(server, {"A": "50", "B": "0", "C": "70"})
    code, line, _ = first_line(cli, "--account", ids["A"], "--account", ids["C"])
    assert (code, line) == (0, "CREDIT OK - 2 account(s) fine | 'A CNY'=50;@~:5;@~:0;0 'C CNY'=70;@~:5;@~:0;0")
    code, line, _ = first_line(cli, "--provider", "deepseek")
    assert code == 2 and line.startswith("CREDIT CRITICAL - 1 critical (B): B: no credit left (0.00 CNY). | ")
    assert "'B CNY'=0;@~:5;@~:0;0" in line


def test_every_usage_error_and_unknown_name_is_unknown_with_a_message(cli: CliRunner, server: HTTPServer) -> None:
    ids = add_accounts(cli, server, ["A"])
    cases = {
        ("--account", "nope"): f"CREDIT UNKNOWN - no account with the id 'nope' (accounts: {ids['A']})",
        ("--provider", "openai"): (
            "CREDIT UNKNOWN - no account of the provider 'openai' (providers with accounts: deepseek)"
        ),
        ("--warning", "lots"): (
            "CREDIT UNKNOWN - usage: --warning 'lots': give an amount (5, 2.50) or days to expiry (7d)"
        ),
        ("-c", "2", "-c", "3"): "CREDIT UNKNOWN - usage: --critical: the amount threshold is given twice",
        ("--bogus",): "CREDIT UNKNOWN - usage: unrecognized arguments: --bogus (trayapp check --help)",
        ("--timeout", "0"): (
            "CREDIT UNKNOWN - usage: argument -t/--timeout: not a usable timeout: '0' (trayapp check --help)"
        ),
        ("--warning",): ("CREDIT UNKNOWN - usage: argument -w/--warning: expected one argument (trayapp check --help)"),
    }
    for args, expected in cases.items():
        code, _, out = first_line(cli, *args)
        assert (code, out) == (3, expected + "\n"), args
    result = cli("check", "--json", "--bogus", env=ENGLISH)  # even argparse's errors, in JSON for --json
    assert (result.code, json.loads(result.out)["summary"]) == (
        3,
        "usage: unrecognized arguments: --bogus (trayapp check --help)",
    )
    result = cli("check", "--json", "--account", "nope", env=ENGLISH)
    report = json.loads(result.out)
    assert (result.code, report["status"], report["exit_code"], report["accounts"]) == (3, "UNKNOWN", 3, [])
    assert report["summary"] == f"no account with the id 'nope' (accounts: {ids['A']})"
    assert server.log == []  # nothing was polled for a command line that could not be used


def test_timeout_ends_unknown_with_a_message(cli: CliRunner, server: HTTPServer) -> None:
    add_accounts(cli, server, ["A"])

    def slow(request: Request) -> Response:  # a host that accepts the request and never finishes answering
        time.sleep(8)
        return Response("{}", content_type="application/json")

    server.expect_request(
        "/ds-A/user/balance", headers={"Authorization": f"Bearer {key_of('A')}"}
    ).respond_with_handler(slow)
    code, line, out = first_line(cli, "--timeout", "3")
    assert code == 3, out
    # Either the fetch's own deadline (the account named, its reason) or the plugin's watchdog said it.
    assert line in (
        "CREDIT UNKNOWN - 1 unknown (A): A could not be read: No answer in time.",
        "CREDIT UNKNOWN - no answer within 3 s (--timeout)",
    ), out
