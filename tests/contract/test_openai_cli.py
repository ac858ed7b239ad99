"""End to end: `trayapp check --json` in a subprocess against the fake OpenAI on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import CliResult, CliRunner
from tests.contract.openai_server import (
    EMAIL,
    MISSING_MODEL_READ,
    PHONE,
    REGION_NOT_SERVED,
    SESSION_KEY_ONLY,
    SUBSCRIPTION,
    Answer,
    FakeOpenAI,
    costs_page,
    credit_summary,
    grant,
    me,
    models,
    serve,
    spend_limit,
)

API = "sk-proj-CANARYcli0123456789abcdef"
SESSION = "sess-CANARYclisession0123456789"
ADMIN = "sk-admin-CANARYcliadmin0123456789"


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    yield from serve()


def ts(day: date) -> int:
    return int(datetime.combine(day, datetime.min.time(), UTC).timestamp())


def add(cli: CliRunner, server: FakeOpenAI, key: str, *extra: str, env: dict[str, str] | None = None) -> str:
    result = cli(
        "accounts",
        "add",
        "--provider",
        "openai",
        "--label",
        "OpenAI test",
        "--base-url",
        server.base_url,
        "--key-stdin",
        *extra,
        stdin=key + "\n",
        env=env,
    )
    assert result.code == 0, result.err
    return result.out.strip().splitlines()[-1]


def check(cli: CliRunner) -> tuple[CliResult, dict[str, Any]]:
    result = cli("check", "--json")
    assert result.out, result.err
    return result, json.loads(result.out)["accounts"][0]


def assert_no_secrets(cli: CliRunner, *results: CliResult) -> None:
    for result in results:
        for secret in (API, SESSION, ADMIN, EMAIL, PHONE):
            assert secret not in result.out + result.err
    files = [f for f in cli.config_dir.rglob("*") if f.is_file()]
    assert files
    for f in files:
        text = f.read_text(errors="replace")
        for secret in (API, SESSION, ADMIN, EMAIL, PHONE):
            assert secret not in text, f


def test_normal_key_reports_identity_and_unknown_remaining(cli: CliRunner, server: FakeOpenAI) -> None:
    server.route("GET", "/v1/me", Answer(200, me()))
    server.route("GET", "/v1/models", models())
    server.route("GET", "/v1/dashboard/billing/credit_grants", SESSION_KEY_ONLY)
    add(cli, server, API)
    result, account = check(cli)
    assert account["status"] == "unknown", account
    assert account["remaining"] is None
    assert account["unknown_reason"].startswith("balance not readable with this key")
    assert account["identity"]["user_id"] == "user-ohfap0ky8lkatw97iskuhghv"
    assert account["identity"]["email_masked"] == "p***@gmail.com"
    assert account["identity"]["phone_masked"] == "***00"
    assert account["error"] is None
    # Second poll: the legacy answer is remembered (state file), so credit_grants is not asked again.
    again, _ = check(cli)
    assert server.count("/v1/dashboard/billing/credit_grants") == 1
    assert_no_secrets(cli, result, again)


def test_session_key_reports_grants_and_expiry(cli: CliRunner, server: FakeOpenAI) -> None:
    today = datetime.now(UTC).date()
    soon = today + timedelta(days=20)
    later = today + timedelta(days=200)
    server.route("GET", "/v1/me", Answer(200, me()))
    server.route(
        "GET",
        "/v1/dashboard/billing/credit_grants",
        Answer(
            200,
            credit_summary(
                grant(18.0, 18.0, ts(today - timedelta(days=60)), ts(today + timedelta(days=5))),  # used up
                grant(5.0, 1.5, ts(today - timedelta(days=30)), ts(soon)),
                grant(10.0, 0.0, ts(today - timedelta(days=2)), ts(later)),
                grant(7.0, 0.0, ts(today - timedelta(days=200)), ts(today - timedelta(days=3))),  # expired
            ),
        ),
    )
    server.route("GET", "/v1/dashboard/billing/subscription", Answer(200, SUBSCRIPTION))
    add(cli, server, SESSION)
    result, account = check(cli)
    assert account["status"] == "ok", account
    assert account["remaining"] == pytest.approx(13.5)
    assert account["granted_total"] == pytest.approx(33.0)
    assert account["used"] == pytest.approx(19.5)
    assert account["expires_at"].startswith(soon.isoformat())
    assert account["days_to_expiry"] in (19, 20)
    assert_no_secrets(cli, result)


def test_admin_key_with_user_grant_subtracts_costs_since_it(cli: CliRunner, server: FakeOpenAI) -> None:
    today = datetime.now(UTC).date()
    effective = today - timedelta(days=10)
    expires = today + timedelta(days=80)
    server.route("GET", "/v1/me", Answer(200, me()))
    server.route("GET", "/v1/models", models())
    server.route("GET", "/v1/dashboard/billing/credit_grants", SESSION_KEY_ONLY)
    server.route("GET", "/v1/organization/spend_limit", Answer(200, spend_limit()))
    server.route(
        "GET",
        "/v1/organization/costs",
        lambda seen: Answer(
            200,
            costs_page([(ts(effective - timedelta(days=3)), 50.0)])  # before the grant: not counted
            if int(seen.query["start_time"][0]) < ts(effective)
            else costs_page([(ts(effective + timedelta(days=1)), 1.25), (ts(today - timedelta(days=1)), 0.5)]),
        ),
    )
    account_id = add(cli, server, API, "--admin-key-env", "ADMIN_KEY", env={"ADMIN_KEY": ADMIN})
    granted = cli(
        "accounts",
        "grant",
        account_id,
        "--amount",
        "10",
        "--effective",
        effective.isoformat(),
        "--expires",
        expires.isoformat(),
        "--kind",
        "paid",
    )
    assert granted.code == 0, granted.err
    result, account = check(cli)
    assert account["status"] == "ok", account
    assert account["remaining"] == pytest.approx(8.25)
    assert account["remaining_paid"] == pytest.approx(8.25)
    assert account["granted_total"] == pytest.approx(10.0)
    assert account["used"] == pytest.approx(1.75)
    assert account["expires_at"].startswith(expires.isoformat())
    assert account["days_to_expiry"] in (79, 80)
    starts = {s.query["start_time"][0] for s in server.seen if s.path == "/v1/organization/costs"}
    assert starts == {str(ts(effective))}
    for s in server.seen:
        assert (s.authorization == f"Bearer {ADMIN}") == s.path.startswith("/v1/organization/"), s.path
    assert_no_secrets(cli, result, granted)


def test_a_region_not_served_is_an_error_check_shows(cli: CliRunner, server: FakeOpenAI) -> None:
    for path in ("/v1/me", "/v1/models", "/v1/dashboard/billing/credit_grants"):
        server.route("GET", path, REGION_NOT_SERVED)
    add(cli, server, API)
    result, account = check(cli)
    assert account["status"] == "error", account
    assert account["error"]["title"] == "Access denied"
    assert account["error"]["message"].startswith("Access denied: the country or region is not served.")
    assert result.code != 0
    assert_no_secrets(cli, result)


def test_a_restricted_key_is_never_key_invalid(cli: CliRunner, server: FakeOpenAI) -> None:
    server.route("GET", "/v1/me", Answer(200, me()))
    server.route("GET", "/v1/models", MISSING_MODEL_READ)
    server.route("GET", "/v1/dashboard/billing/credit_grants", SESSION_KEY_ONLY)
    add(cli, server, API)
    check(cli)
    result, account = check(cli)  # the second poll reads /v1/models: the scope it lacks
    assert server.count("/v1/models") >= 1
    assert account["status"] == "unknown" and account["error"] is None, account
    assert "key_invalid" not in {a["code"] for a in account["alerts"]}
    assert any("api.model.read" in n for n in account["notes"])
    assert_no_secrets(cli, result)
