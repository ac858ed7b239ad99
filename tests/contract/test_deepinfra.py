"""DeepInfra GET /payment/checklist?compute_owed=true: the shapes real clients read, through a real loopback server.

Sources (collected in shared/reference/providers-2026.md, section 10):
- a public client test quoted there: `{"stripe_balance": -99.75, "recent": 3.94, "limit": 20, "suspended": false,
  "suspend_reason": null}`, spendable `-(stripe_balance + recent)` = $95.81 (steipete/CodexBar
  `Tests/CodexBarTests/DeepInfraUsageFetcherTests.swift`, as the reference cites it);
- a Go monitor (its repository is not named by the search index; index id 63125491637): negative = funds,
  positive = owed, zero = none; `-Stripe - Recent` is the dashboard's "remaining", below zero owed; a suspended
  account cannot spend;
- a Go balance checker (not named; index id 56754801690): `stripe_balance` missing is an error, `recent`
  optional (`-*StripeBalance - Recent`);
- a Go reader (not named; index id 71615315385): `limit` only when positive, `suspended` as "limit reached";
- steipete/CodexBar#2238 (the maintainer verified the contract: Stripe balance, recent unbilled amount, spending
  limit, suspension) and nesszer/Win-CodexBar#219 (its port: negative = prepaid, less `recent`; positive net =
  owed; the limit only when > 0; suspended accounts with their reason);
- the answer carries the billing address and payment method (both Go clients warn): never read or kept.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.i18n import localize
from trayapp.core.models import AccountState, ErrorKind, Settings
from trayapp.core.rules import credit_alerts
from trayapp.providers import catalog

from .conftest import KEY, NOW, base, fetch, request_for

PATH = "/payment/checklist"
QUOTED = {"stripe_balance": -99.75, "recent": 3.94, "limit": 20, "suspended": False, "suspend_reason": None}
D = Decimal


def serve(server: HTTPServer, body: object, status: int = 200) -> None:
    server.expect_request(
        PATH, headers={"Authorization": f"Bearer {KEY}"}, query_string={"compute_owed": "true"}
    ).respond_with_json(body, status=status)


def test_negative_stripe_balance_is_credit_less_usage_not_yet_invoiced(server: HTTPServer) -> None:
    serve(server, QUOTED)
    snap = fetch("deepinfra", base(server)).snapshot
    assert (snap.currency, snap.remaining) == ("USD", D("95.81"))
    assert snap.remaining_granted is None and snap.remaining_paid is None and snap.flags == frozenset()
    taken = next(n for n in snap.notes if "not yet invoiced" in n)
    assert "$3.94" in taken and "$99.75" in taken
    assert "前払い残高 $99.75" in localize(taken, "ja")
    assert "A spending limit of $20.00 is set on this account." in snap.notes


def test_the_private_fields_of_the_answer_are_never_kept(server: HTTPServer) -> None:
    body = {**QUOTED, "address": {"line1": "1 Main St", "city": "Springfield"}, "payment_method": {"last4": "4242"}}
    serve(server, body)
    snap = fetch("deepinfra", base(server)).snapshot
    assert not any("Main St" in n or "4242" in n for n in snap.notes)


def test_positive_stripe_balance_is_owed_and_credit_zero(server: HTTPServer) -> None:
    serve(server, {"stripe_balance": 12.5, "recent": 0, "limit": -1, "suspended": False})
    request = request_for("deepinfra", base(server))
    snap = catalog.load("deepinfra").fetch(request).snapshot
    assert snap.remaining == D("-12.5")
    assert "DeepInfra says $12.50 is owed." in snap.notes
    assert not any("spending limit" in n for n in snap.notes)  # -1: no limit
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_no_prepaid_funds_is_zero(server: HTTPServer) -> None:
    serve(server, {"stripe_balance": 0, "recent": 0, "limit": None, "suspended": False})
    snap = fetch("deepinfra", base(server)).snapshot
    assert snap.remaining == D("0") and snap.notes == ()


def test_usage_not_yet_invoiced_missing_is_said(server: HTTPServer) -> None:
    serve(server, {"stripe_balance": "-20.00"})  # an amount as a string
    snap = fetch("deepinfra", base(server)).snapshot
    assert snap.remaining == D("20.00")
    assert any("did not report usage not yet invoiced" in n for n in snap.notes)


def test_a_suspended_account_is_blocked_with_its_reason_scrubbed(server: HTTPServer) -> None:
    serve(server, {**QUOTED, "suspended": True, "suspend_reason": f"payment failed for key {KEY}"})
    request = request_for("deepinfra", base(server))
    snap = catalog.load("deepinfra").fetch(request).snapshot
    assert snap.flags == frozenset({"blocked"}) and snap.remaining == D("95.81")
    said = next(n for n in snap.notes if "suspended" in n)
    assert "payment failed" in said and KEY not in said
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_suspended_without_a_reason(server: HTTPServer) -> None:
    serve(server, {**QUOTED, "suspended": True})
    snap = fetch("deepinfra", base(server)).snapshot
    assert "DeepInfra has suspended this account (no reason given): it cannot make API calls." in snap.notes


def test_the_openai_base_url_is_read_at_the_root(server: HTTPServer) -> None:
    serve(server, QUOTED)
    for path in ("/v1/openai", "/v1/openai/", "/v1"):
        assert fetch("deepinfra", base(server, path)).snapshot.remaining == D("95.81")


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"recent": 3.94}, "stripe_balance", "is missing"),
        ({"stripe_balance": None}, "stripe_balance", "is null"),
        ({"stripe_balance": "lots"}, "stripe_balance", "not a number"),
        ({"stripe_balance": -1e13}, "stripe_balance", "far larger"),
        ({"stripe_balance": -5, "recent": -1}, "recent", "negative"),
        ({"stripe_balance": -5, "suspended": "no"}, "suspended", "not true or false"),
        ([QUOTED], "(body)", "not an object"),
    ],
)
def test_malformed_answers_are_clear_errors(server: HTTPServer, body: object, field: str, problem: str) -> None:
    serve(server, body)
    with pytest.raises(BadResponse) as info:
        fetch("deepinfra", base(server))
    assert info.value.title == "Unexpected answer from DeepInfra"
    assert f"GET {PATH}: field '{field}'" in info.value.message and problem in info.value.message


@pytest.mark.parametrize(
    "body",
    [
        # xtekky/gpt4free#3446 (DeepInfra's answer to a request without a valid key, 2026-05)
        {"error": {"message": "Not authenticated", "type": "invalid_request_error", "param": None, "code": None}},
        {"error": "Unauthorised"},  # xtekky/gpt4free#1948
        {"detail": f"Invalid token {KEY}"},  # guard: a body echoing the key
    ],
)
def test_a_refused_key_never_shows_the_key(server: HTTPServer, body: object) -> None:
    serve(server, body, status=401)
    with pytest.raises(ProviderError) as info:
        fetch("deepinfra", base(server))
    assert info.value.kind is ErrorKind.AUTH and info.value.title == "Key rejected"
    assert info.value.message.startswith("DeepInfra rejected the key (401)")
    assert KEY not in info.value.message


def test_a_key_that_cannot_read_billing(server: HTTPServer) -> None:
    serve(server, {"detail": "Not allowed"}, status=403)
    with pytest.raises(ProviderError) as info:
        fetch("deepinfra", base(server))
    assert info.value.kind is ErrorKind.PERMISSION
