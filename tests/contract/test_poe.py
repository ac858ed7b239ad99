"""Poe GET /usage/current_balance: points, not money, through a real loopback server.

Sources of the shapes:
- creator.poe.com/docs/resources/usage-api and api-reference/getCurrentBalance: Bearer Poe API key,
  `{"current_point_balance": 1500}`, an integer count of points; 402 when a request has too few points.
- steipete/CodexBar `Tests/CodexBarTests/PoeUsageFetcherTests.swift` (PoePluginGoldenTests): `1500` and the
  string `"2500"` both read as points; `{}` has no balance (CodexBar shows nothing; here it is an error, never 0
  points); `Sources/CodexBarCore/Resources/Plugins/poe.js`: 401/403 = invalid or expired key, a non-numeric
  balance refused.
Collected in shared/reference/providers-2026.md, section 9.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.i18n import localize
from trayapp.core.models import AccountState, ErrorKind, Settings
from trayapp.core.rules import credit_alerts, format_money
from trayapp.providers import catalog

from .conftest import KEY, NOW, base, fetch, request_for

PATH = "/usage/current_balance"
D = Decimal


def serve(server: HTTPServer, body: object) -> None:
    server.expect_request(PATH, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body)


def test_documented_balance_is_points_never_dollars(server: HTTPServer) -> None:
    serve(server, {"current_point_balance": 1500})
    snap = fetch("poe", base(server)).snapshot
    assert (snap.currency, snap.remaining) == ("points", D("1500"))
    assert format_money(snap.remaining, snap.currency) == "1500 points"  # what the tray and `check` show
    assert "$" not in format_money(snap.remaining, snap.currency)
    note = next(n for n in snap.notes if "not money" in n)
    assert "ポイント" in localize(note, "ja")


def test_the_balance_as_a_string(server: HTTPServer) -> None:
    serve(server, {"current_point_balance": "2500"})
    assert fetch("poe", base(server)).snapshot.remaining == D("2500")


def test_the_accounts_currency_never_turns_points_into_money(server: HTTPServer) -> None:
    serve(server, {"current_point_balance": 1500})
    assert fetch("poe", base(server), currency="USD").snapshot.currency == "points"


def test_a_large_subscription_balance(server: HTTPServer) -> None:
    serve(server, {"current_point_balance": 1_000_000})
    snap = fetch("poe", base(server)).snapshot
    assert format_money(snap.remaining, snap.currency) == "1000000 points"


def test_zero_points_is_credit_zero_and_low_points_are_counted_in_points(server: HTTPServer) -> None:
    serve(server, {"current_point_balance": 0})
    request = request_for("poe", base(server))
    snap = catalog.load("poe").fetch(request).snapshot
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]
    low = credit_alerts(
        request.account,
        AccountState(last_good=replace(snap, remaining=D(40))),
        Settings(low_credit_thresholds={"points": D(100)}),
        NOW,
    )
    assert [a.code for a in low] == ["credit_low"]
    assert "40 points" in low[0].message and "100 points" in low[0].message and "$" not in low[0].message


def test_empty_answer_is_an_error_not_zero_points(server: HTTPServer) -> None:
    serve(server, {})
    with pytest.raises(BadResponse) as info:
        fetch("poe", base(server))
    assert f"GET {PATH}: field 'current_point_balance' is missing" in info.value.message


@pytest.mark.parametrize(
    ("value", "problem"),
    [("lots", "not a number"), (True, "boolean"), (-5, "negative"), (12.5, "not a whole number of points")],
)
def test_malformed_balances_are_clear_errors(server: HTTPServer, value: object, problem: str) -> None:
    serve(server, {"current_point_balance": value})
    with pytest.raises(BadResponse) as info:
        fetch("poe", base(server))
    assert info.value.title == "Unexpected answer from Poe" and problem in info.value.message


def test_a_refused_key_never_shows_the_key(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json(
        {"error": {"code": 401, "type": "authentication_error", "message": f"Invalid API key: {KEY}"}}, status=401
    )
    with pytest.raises(ProviderError) as info:
        fetch("poe", base(server))
    assert info.value.kind is ErrorKind.AUTH and info.value.title == "Key rejected"
    assert KEY not in info.value.message


def test_402_is_out_of_points(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json(
        {"error": {"type": "insufficient_credits", "message": "Not enough points"}}, status=402
    )
    with pytest.raises(ProviderError) as info:
        fetch("poe", base(server))
    assert info.value.kind is ErrorKind.QUOTA


def test_an_error_envelope_with_status_200_is_not_zero(server: HTTPServer) -> None:
    serve(server, {"error": {"type": "authentication_error", "message": "Invalid API key"}})
    with pytest.raises(ProviderError) as info:
        fetch("poe", base(server))
    assert info.value.title == "Poe reported an error" and "Invalid API key" in info.value.message
