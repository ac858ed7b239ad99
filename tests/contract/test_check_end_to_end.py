"""`trayapp accounts add` one account per provider, then `trayapp check --json`, on one loopback server."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pytest_httpserver import HTTPServer

from tests.conftest import CliRunner

from .conftest import base

KEYS = {
    "deepseek": "sk-ds-CANARY-e2e-0123456789",
    "moonshot": "sk-ms-CANARY-e2e-0123456789",
    "siliconflow": "sk-sf-CANARY-e2e-0123456789",
    "openrouter": "sk-or-v1-CANARY-e2e-0123456789",
    "openai-compatible": "sk-relay-CANARY-e2e-0123456789",
}
MGMT = "sk-or-v1-MGMT-CANARY-e2e-987654321"
PREFIX = {
    "deepseek": "/ds",
    "moonshot": "/ms/v1",
    "siliconflow": "/sf/v1",
    "openrouter": "/or/api/v1",
    "openai-compatible": "/relay/v1",
}


def expect(server: HTTPServer, provider: str, path: str, body: object, key: str | None = None) -> None:
    server.expect_request(
        PREFIX[provider] + path, headers={"Authorization": f"Bearer {key or KEYS[provider]}"}
    ).respond_with_json(body)


def add_all(cli: CliRunner, server: HTTPServer, *, openrouter_management: bool) -> dict[str, str]:
    ids: dict[str, str] = {}
    for provider, key in KEYS.items():
        args = ["accounts", "add", "--provider", provider, "--label", f"My {provider}"]
        args += ["--base-url", base(server, PREFIX[provider]), "--key-stdin"]
        if provider in ("moonshot", "siliconflow"):
            args += ["--currency", "CNY"]
        env = None
        if provider == "openrouter" and openrouter_management:
            args += ["--management-key-env", "OR_MGMT"]
            env = {"OR_MGMT": MGMT}
        result = cli(*args, stdin=key + "\n", env=env)
        assert result.code == 0, result.err
        ids[provider] = result.out.strip().splitlines()[-1]
    return ids


def check(cli: CliRunner, ids: dict[str, str]) -> tuple[int, dict[str, dict[str, Any]], str]:
    result = cli("check", "--json")
    report = json.loads(result.out)
    by_provider = {a["provider"]: a for a in report["accounts"]}
    assert {by_provider[p]["id"] for p in ids} == set(ids.values())
    return result.code, by_provider, result.out + result.err


def assert_no_key_leaked(cli: CliRunner, output: str) -> None:
    for key in [*KEYS.values(), MGMT]:
        assert key not in output
        for f in cli.config_dir.rglob("*"):
            if f.is_file():
                assert key not in f.read_text(errors="replace"), f


def saved_readings(cli: CliRunner, ids: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The last good reading per provider, as `check` saved it (flags and balances are not in --json)."""
    (state_file,) = list(cli.config_dir.rglob("state.json"))
    accounts = json.loads(state_file.read_text())["accounts"]
    return {p: accounts[i]["last_good"] for p, i in ids.items() if accounts.get(i, {}).get("last_good")}


def alert_codes(account: dict[str, Any]) -> list[str]:
    return [a["code"] for a in account["alerts"]]


def test_check_reads_every_provider(cli: CliRunner, server: HTTPServer) -> None:
    expect(
        server,
        "deepseek",
        "/user/balance",
        {
            "is_available": True,
            "balance_infos": [
                {
                    "currency": "CNY",
                    "total_balance": "110.00",
                    "granted_balance": "10.00",
                    "topped_up_balance": "100.00",
                },
                {
                    "currency": "USD",
                    "total_balance": "0.00",
                    "granted_balance": "0.00",
                    "topped_up_balance": "0.00",
                },
            ],
        },
    )
    expect(
        server,
        "moonshot",
        "/users/me/balance",
        {
            "code": 0,
            "data": {"available_balance": 49.5, "voucher_balance": 46.5, "cash_balance": 3},
            "status": True,
        },
    )
    expect(
        server,
        "siliconflow",
        "/user/info",
        {
            "code": 20000,
            "message": "OK",
            "status": True,
            "data": {
                "id": "u1",
                "email": "a@example.com",
                "balance": "0.88",
                "chargeBalance": "88.00",
                "totalBalance": "88.88",
            },
        },
    )
    expect(
        server,
        "openrouter",
        "/key",
        {"data": {"limit": None, "limit_remaining": None, "usage": 3.25, "is_free_tier": False}},
    )
    expect(server, "openrouter", "/credits", {"data": {"total_credits": 20, "total_usage": 3.25}}, key=MGMT)
    expect(
        server,
        "openai-compatible",
        "/dashboard/billing/subscription",
        {"hard_limit_usd": 30, "access_until": 1798761600},  # an expiry: the key's own figures (relay.py)
    )
    expect(server, "openai-compatible", "/dashboard/billing/usage", {"object": "list", "total_usage": 750})

    ids = add_all(cli, server, openrouter_management=True)
    code, acc, output = check(cli, ids)

    assert code == 0, output
    ds = acc["deepseek"]
    assert (ds["status"], ds["currency"], ds["remaining"]) == ("ok", "CNY", 110.0)
    assert (ds["remaining_granted"], ds["remaining_paid"]) == (10.0, 100.0)
    ms = acc["moonshot"]
    assert (ms["currency"], ms["remaining"], ms["remaining_granted"], ms["remaining_paid"]) == (
        "CNY",
        49.5,
        46.5,
        3.0,
    )
    sf = acc["siliconflow"]
    assert (sf["currency"], sf["remaining"], sf["remaining_granted"], sf["remaining_paid"]) == (
        "CNY",
        88.88,
        0.88,
        88.0,
    )
    orr = acc["openrouter"]
    assert (orr["currency"], orr["remaining"], orr["used"]) == ("USD", 16.75, 3.25)
    assert orr["remaining_granted"] is None and orr["remaining_paid"] is None
    relay = acc["openai-compatible"]
    assert (relay["currency"], relay["remaining"], relay["used"], relay["expires_at"]) == (
        "USD",
        22.5,
        7.5,
        "2027-01-01T00:00:00+00:00",
    )
    for account in acc.values():
        assert account["error"] is None and account["alerts"] == [], account
    saved = saved_readings(cli, ids)
    balances = [(b["currency"], b["remaining"]) for b in saved["deepseek"]["balances"]]
    assert balances == [("CNY", "110.00"), ("USD", "0.00")]
    assert all(r["flags"] == [] for r in saved.values())
    assert_no_key_leaked(cli, output)
    # Each key went only to its own provider's endpoints.
    for request, _ in server.log:
        # a relay's own /api/... routes sit at its root, beside /v1
        provider = next(p for p, prefix in PREFIX.items() if request.path.startswith(prefix.removesuffix("/v1") + "/"))
        sent = request.headers["Authorization"].removeprefix("Bearer ")
        assert sent in (KEYS[provider], MGMT if provider == "openrouter" else None), request.path


def test_check_reports_zero_unknown_and_errors(cli: CliRunner, server: HTTPServer) -> None:
    expect(
        server,
        "deepseek",
        "/user/balance",
        {
            "is_available": False,
            "balance_infos": [
                {
                    "currency": "CNY",
                    "total_balance": "3.00",
                    "granted_balance": "3.00",
                    "topped_up_balance": "0",
                }
            ],
        },
    )
    expect(
        server,
        "moonshot",
        "/users/me/balance",
        {
            "code": 0,
            "data": {"available_balance": 0, "voucher_balance": 0, "cash_balance": -4.2},
            "status": True,
        },
    )
    expect(server, "siliconflow", "/user/info", {"code": 20000, "status": True, "data": {"totalBalance": "lots"}})
    expect(
        server,
        "openrouter",
        "/key",
        {"data": {"limit": None, "limit_remaining": None, "usage": 1, "is_free_tier": True}},
    )
    expect(
        server,
        "openai-compatible",
        "/dashboard/billing/subscription",
        {"hard_limit_usd": 100000000, "access_until": 0},
    )
    expect(server, "openai-compatible", "/dashboard/billing/usage", {"total_usage": 100})

    ids = add_all(cli, server, openrouter_management=False)
    code, acc, output = check(cli, ids)

    assert code == 2, output  # CRITICAL: credit_zero
    ds = acc["deepseek"]
    assert ds["remaining"] == 3.0 and "credit_zero" in alert_codes(ds)  # blocked: calls are refused
    ms = acc["moonshot"]
    assert (ms["remaining"], ms["remaining_granted"], ms["remaining_paid"]) == (0.0, 0.0, 0.0)
    assert "credit_zero" in alert_codes(ms)
    sf = acc["siliconflow"]
    assert sf["status"] == "error" and sf["remaining"] is None
    assert sf["error"]["title"] == "Unexpected answer from SiliconFlow"
    assert "GET /sf/v1/user/info: field 'data.totalBalance'" in sf["error"]["message"]
    orr = acc["openrouter"]
    assert orr["status"] == "unknown" and orr["remaining"] is None
    assert "management key" in orr["unknown_reason"] and alert_codes(orr) == []
    relay = acc["openai-compatible"]
    assert relay["status"] == "unknown" and relay["remaining"] is None and "unlimited" in relay["unknown_reason"]
    saved = saved_readings(cli, ids)
    assert saved["deepseek"]["flags"] == ["blocked"]
    assert saved["openrouter"]["flags"] == ["free_tier"]
    assert saved["openai-compatible"]["flags"] == ["unlimited"]
    assert "siliconflow" not in saved  # an error leaves no reading, let alone a number
    assert_no_key_leaked(cli, output)


def test_check_refusals_are_errors_without_numbers(cli: CliRunner, server: HTTPServer) -> None:
    for provider, path in [
        ("deepseek", "/user/balance"),
        ("moonshot", "/users/me/balance"),
        ("siliconflow", "/user/info"),
        ("openrouter", "/key"),
        ("openai-compatible", "/dashboard/billing/subscription"),
    ]:
        server.expect_request(PREFIX[provider] + path).respond_with_json(
            {"error": {"message": f"Invalid API key {KEYS[provider]}"}}, status=401
        )
    ids = add_all(cli, server, openrouter_management=False)
    code, acc, output = check(cli, ids)
    assert code == 2, output  # key_invalid is critical
    for provider, account in acc.items():
        assert account["status"] == "error" and account["remaining"] is None
        assert account["error"]["title"] == "Key rejected"
        assert "rejected the key (401): Invalid API key ***" in account["error"]["message"], provider
        assert alert_codes(account) == ["key_invalid"]
    assert_no_key_leaked(cli, output)


# ---------------------------------------------------------------- the verdict: exit code and first line agree

ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
DS_KEYS = {name: f"sk-ds-CANARY-{name}-0123456789" for name in ("A", "B", "C")}


def serve(server: HTTPServer, answers: dict[str, tuple[int, object]]) -> None:
    """Each DeepSeek account under its own path, answering (status, body); OpenRouter's key without a limit
    (a normal key: the remaining credit cannot be known, README's status "unknown")."""
    server.clear()
    for name, (status, body) in answers.items():
        server.expect_request(
            f"/ds-{name}/user/balance", headers={"Authorization": f"Bearer {DS_KEYS[name]}"}
        ).respond_with_json(body, status=status)
    expect(server, "openrouter", "/key", {"data": {"limit": None, "usage": 1, "is_free_tier": False}})


def balance(total: str, available: bool = True) -> tuple[int, object]:
    info = {"currency": "CNY", "total_balance": total, "granted_balance": "0", "topped_up_balance": total}
    return 200, {"is_available": available, "balance_infos": [info]}


SERVER_ERROR = (500, {"error": {"message": "Internal error."}})


def run_check(cli: CliRunner, *, as_json: bool) -> tuple[int, Any]:
    """The exit code and the JSON, or the lines of the text with the first line's performance data cut off
    (tests/monitoring/test_nagios_output.py checks those)."""
    result = cli("check", *(["--json"] if as_json else []), env=ENGLISH)
    assert not result.err.strip() or "Traceback" not in result.err, result.err
    if as_json:
        return result.code, json.loads(result.out)
    lines = result.out.splitlines()
    return result.code, [lines[0].split(" | ")[0], *lines[1:]]


def age_reading(cli: CliRunner, account_id: str, by: timedelta) -> str:
    """Make an account's last good reading older in state.json, as if the app had been away."""
    (state_file,) = list(cli.config_dir.rglob("state.json"))
    state = json.loads(state_file.read_text())
    good = state["accounts"][account_id]["last_good"]
    good["checked_at"] = (datetime.fromisoformat(good["checked_at"]) - by).isoformat()
    state_file.write_text(json.dumps(state))
    return str(good["checked_at"])


def test_check_verdict_names_every_account_that_made_it(cli: CliRunner, server: HTTPServer) -> None:
    ids = {}
    for name, key in DS_KEYS.items():
        result = cli(
            "accounts", "add", "--provider", "deepseek", "--label", name,
            "--base-url", base(server, f"/ds-{name}"), "--key-stdin", stdin=key + "\n",
        )  # fmt: skip
        assert result.code == 0, result.err
        ids[name] = result.out.split()[-1]
    added = cli("accounts", "add", "--provider", "openrouter", "--label", "D", "--base-url",
                base(server, PREFIX["openrouter"]), "--key-stdin", stdin=KEYS["openrouter"] + "\n")  # fmt: skip
    assert added.code == 0, added.err

    # All read; D cannot tell its remaining credit: OK, and said.
    serve(server, {"A": balance("50"), "B": balance("60"), "C": balance("70")})
    code, lines = run_check(cli, as_json=False)
    assert (code, lines[0]) == (
        0,
        "CREDIT OK - 4 account(s) read; 1 cannot tell the remaining credit with the keys given (D)",
    ), lines
    first = cli("check", env=ENGLISH).out.splitlines()[0]
    assert first.endswith(" | 'A CNY'=50;@~:5;@~:0;0 'B CNY'=60;@~:5;@~:0;0 'C CNY'=70;@~:5;@~:0;0"), first

    # A fails now after a good reading a moment ago: UNKNOWN, not OK; the JSON says which reading is shown.
    serve(server, {"A": SERVER_ERROR, "B": balance("60"), "C": balance("70")})
    code, report = run_check(cli, as_json=True)
    by_label = {a["label"]: a for a in report["accounts"]}
    a = by_label["A"]
    assert code == 3 and report["verdict"] == "UNKNOWN", report
    assert (a["verdict"], a["status"], a["remaining"]) == ("unknown", "stale", 50.0)
    assert a["data_at"] < a["checked_at"] and by_label["B"]["data_at"] == by_label["B"]["checked_at"]
    assert [by_label[x]["verdict"] for x in "BCD"] == ["ok", "ok", "ok"]

    # Every DeepSeek account in error (their last data was fine): UNKNOWN, each named, not "4 account(s) fine".
    serve(server, {"A": SERVER_ERROR, "B": SERVER_ERROR, "C": (503, "<html><title>Bad gateway</title></html>")})
    code, report = run_check(cli, as_json=True)
    assert (code, report["verdict"]) == (3, "UNKNOWN")
    code, lines = run_check(cli, as_json=False)
    assert (code, lines[0]) == (3, "CREDIT UNKNOWN - 3 unknown (A, B, C): A could not be read: Provider error."), lines

    # Its data three days old (the stale alert is that same fact: still UNKNOWN), B low: WARNING wins.
    age_reading(cli, ids["A"], timedelta(days=3))
    serve(server, {"A": SERVER_ERROR, "B": balance("2"), "C": balance("70")})
    code, lines = run_check(cli, as_json=False)
    assert code == 1, lines
    assert lines[0] == (
        "CREDIT WARNING - 1 warning (B), 1 unknown (A): B: credit is low: 2.00 CNY left (warning at 5.00 CNY)."
    )
    assert lines[1] == "  A: 50.00 CNY · data from 3 days ago · last try failed just now · stale", lines

    # C at zero: CRITICAL, and every account that is not OK is named.
    serve(server, {"A": SERVER_ERROR, "B": balance("2"), "C": balance("0", available=False)})
    code, lines = run_check(cli, as_json=False)
    assert code == 2, lines
    assert lines[0] == ("CREDIT CRITICAL - 1 critical (C), 1 warning (B), 1 unknown (A): C: no credit left (0.00 CNY).")

    # A rejected key is CRITICAL; B cannot be read, but its last reading (kept, shown) is low: WARNING.
    serve(server, {"A": (401, {"error": {"message": "Authentication Fails."}}), "B": SERVER_ERROR, "C": balance("9")})
    code, lines = run_check(cli, as_json=False)
    assert code == 2 and lines[0].startswith("CREDIT CRITICAL - 1 critical (A), 1 warning (B): A: the key"), lines
    assert "Authentication Fails. It may" in lines[0] and ".." not in "\n".join(lines)


def test_check_without_accounts_is_unknown(cli: CliRunner) -> None:
    result = cli("check", env=ENGLISH)
    assert (result.code, result.out.splitlines()[0]) == (3, "CREDIT UNKNOWN - no accounts configured")
    result = cli("check", "--json", env=ENGLISH)
    report = json.loads(result.out)
    assert (result.code, report["verdict"], report["status"], report["exit_code"]) == (3, "UNKNOWN", "UNKNOWN", 3)
    assert report["summary"] == "no accounts configured" and report["accounts"] == []
