"""Venice GET /api/v1/billing/balance: the shapes real clients read, through a real loopback server.

Sources (collected in shared/reference/providers-2026.md, section 11):
- docs.venice.ai/api-reference/endpoint/billing/balance: `{"canConsume": true, "consumptionCurrency": "DIEM",
  "balances": {"diem": 90.5, "usd": 25}, "diemEpochAllocation": 100}`, an ADMIN key (an inference key gets
  401, Venice's own skill docs); docs.venice.ai/overview/vvv-diem (1 DIEM = $1 a day, refreshed at 00:00 UTC);
- steipete/CodexBar `Tests/CodexBarTests/VeniceUsageFetcherTests.swift`: DIEM only (`usd: null`), USD only
  (`diem: null`, `diemEpochAllocation: null`), both as strings (`"90.50"`, `"25.75"`, `"100.0"`), both with
  `consumptionCurrency: "BUNDLED_CREDITS"`, USD shown when `consumptionCurrency` is USD and both exist,
  `canConsume: false` with `usd: 100.0` ("Balance unavailable for API calls"), zero balances and
  null balances ("No Venice API balance available"), DIEM above its allocation (150 of 100), a JSON list
  instead of an object (an error);
- refusals: agent0ai/agent-zero#1027 (`{"error": "Authentication failed"}`; a 402 `{"error": "Insufficient USD
  or Diem balance to complete request"}`), clawnchdev/clawmes#44 (Venice's 402 "Authentication required" for a
  missing or invalid key).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.i18n import localize
from trayapp.core.models import AccountState, ErrorKind, Settings, Status
from trayapp.core.rules import credit_alerts, status_of
from trayapp.providers import catalog

from .conftest import KEY, NOW, base, fetch, request_for

PATH = "/api/v1/billing/balance"
D = Decimal


def answer(
    diem: object = 90.5, usd: object = 25, paying: object = "DIEM", allocation: object = 100, can: object = True
) -> dict[str, object]:
    return {
        "canConsume": can,
        "consumptionCurrency": paying,
        "balances": {"diem": diem, "usd": usd},
        "diemEpochAllocation": allocation,
    }


def serve(server: HTTPServer, body: object, status: int = 200) -> None:
    server.expect_request(PATH, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body, status=status)


def test_the_documented_answer_shows_the_usd_that_lasts_and_todays_diem(server: HTTPServer) -> None:
    serve(server, answer())
    request = request_for("venice", base(server, "/api/v1"))
    snap = catalog.load("venice").fetch(request).snapshot
    assert (snap.currency, snap.remaining, snap.remaining_paid) == ("USD", D("25"), D("25"))
    assert [(b.currency, b.remaining) for b in snap.balances] == [("USD", D("25")), ("DIEM", D("90.5"))]
    diem = next(n for n in snap.notes if n.startswith("DIEM left today"))
    assert "90.50 DIEM of 100.00 DIEM" in diem and "00:00 UTC" in diem
    assert "今日の DIEM 残り" in localize(diem, "ja")
    assert "Venice pays the next requests from DIEM." in snap.notes
    assert credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW) == []


def test_diem_draining_during_the_day_raises_no_alert_while_usd_lasts(server: HTTPServer) -> None:
    serve(server, answer(diem=0.4, usd=25, allocation=10))
    request = request_for("venice", base(server, "/api/v1"))
    snap = catalog.load("venice").fetch(request).snapshot
    assert (snap.currency, snap.remaining) == ("USD", D("25"))
    assert credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW) == []


def test_a_staker_with_no_usd_sees_diem_not_zero(server: HTTPServer) -> None:
    serve(server, answer(diem=90.5, usd=0))
    request = request_for("venice", base(server, "/api/v1"))
    snap = catalog.load("venice").fetch(request).snapshot
    assert (snap.currency, snap.remaining, snap.remaining_paid) == ("DIEM", D("90.5"), None)
    assert credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW) == []


def test_usd_pays_with_both_present(server: HTTPServer) -> None:
    serve(server, answer(diem=50.0, usd=12.34, paying="USD"))
    snap = fetch("venice", base(server, "/api/v1")).snapshot
    assert (snap.currency, snap.remaining, snap.remaining_paid) == ("USD", D("12.34"), D("12.34"))
    assert "Venice pays the next requests from the USD balance." in snap.notes


def test_usd_only_and_diem_only(server: HTTPServer) -> None:
    serve(server, answer(diem=None, usd=25.75, paying="USD", allocation=None))
    snap = fetch("venice", base(server, "/api/v1")).snapshot
    assert (snap.currency, snap.remaining) == ("USD", D("25.75"))
    assert not any("DIEM left" in n for n in snap.notes)

    server.clear()
    serve(server, answer(diem=50.0, usd=None, allocation=None))
    snap = fetch("venice", base(server, "/api/v1")).snapshot
    assert (snap.currency, snap.remaining) == ("DIEM", D("50.0"))
    assert any("50.00 DIEM of an allowance not given" in n for n in snap.notes)


def test_bundled_credits_pay_and_usd_is_shown(server: HTTPServer) -> None:
    serve(server, answer(diem=50.0, usd=10.0, paying="BUNDLED_CREDITS"))
    snap = fetch("venice", base(server, "/api/v1")).snapshot
    assert (snap.currency, snap.remaining) == ("USD", D("10.0"))
    assert "Venice pays the next requests from bundled credits." in snap.notes


def test_string_numbers(server: HTTPServer) -> None:
    serve(server, answer(diem="90.50", usd="25.75", allocation="100.0"))
    snap = fetch("venice", base(server, "/api/v1")).snapshot
    assert snap.remaining == D("25.75")
    assert any("90.50 DIEM of 100.00 DIEM" in n for n in snap.notes)


def test_an_unknown_consumption_currency_is_not_repeated(server: HTTPServer) -> None:
    serve(server, answer(paying="SOMETHING_NEW"))
    snap = fetch("venice", base(server, "/api/v1")).snapshot
    assert not any("pays the next requests" in n for n in snap.notes)


def test_cannot_consume_is_blocked_and_credit_zero(server: HTTPServer) -> None:
    serve(server, answer(diem=None, usd=100.0, paying="USD", allocation=None, can=False))
    request = request_for("venice", base(server, "/api/v1"))
    snap = catalog.load("venice").fetch(request).snapshot
    assert snap.remaining == D("100.0") and snap.flags == frozenset({"blocked"})
    assert any("canConsume: false" in n for n in snap.notes)
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_zero_balances_are_zero(server: HTTPServer) -> None:
    serve(server, answer(diem=0.0, usd=0.0, paying="USD", allocation=None))
    request = request_for("venice", base(server, "/api/v1"))
    snap = catalog.load("venice").fetch(request).snapshot
    assert (snap.currency, snap.remaining) == ("USD", D("0.0"))
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_null_balances_are_unknown_not_zero(server: HTTPServer) -> None:
    serve(server, answer(diem=None, usd=None, paying=None, allocation=None))
    snap = fetch("venice", base(server, "/api/v1")).snapshot
    assert snap.remaining is None and snap.unknown_reason == "Venice reported neither a USD nor a DIEM balance."
    assert snap.balances == ()
    assert status_of(AccountState(last_good=snap), Settings(), NOW) is Status.UNKNOWN


def test_diem_above_its_allocation_is_shown_as_it_is(server: HTTPServer) -> None:
    serve(server, answer(diem=150.0, usd=None))
    snap = fetch("venice", base(server, "/api/v1")).snapshot
    assert snap.remaining == D("150.0")


def test_the_bare_host_gets_api_v1(server: HTTPServer) -> None:
    serve(server, answer())
    assert fetch("venice", base(server)).snapshot.remaining == D("25")
    assert fetch("venice", base(server, "/")).snapshot.remaining == D("25")


def test_an_inference_key_is_refused_and_the_admin_key_is_asked_for(server: HTTPServer) -> None:
    """The 401 body Venice gives a key it does not accept (agent0ai/agent-zero#1027, on chat/completions)."""
    serve(server, {"error": f"Authentication failed {KEY}"}, status=401)
    with pytest.raises(ProviderError) as info:
        fetch("venice", base(server, "/api/v1"))
    assert info.value.kind is ErrorKind.AUTH and info.value.title == "Key rejected"
    assert "only to an admin API key" in info.value.message and KEY not in info.value.message
    assert "管理者APIキー" in localize(info.value.message, "ja")


def test_a_402_authentication_required_is_a_rejected_key_not_out_of_credit(server: HTTPServer) -> None:
    """Venice answers 402 both to a missing or invalid key ("Authentication required") and to an empty account
    ("Insufficient USD or Diem balance…"): clawnchdev/clawmes#44; agent0ai/agent-zero#1027 quotes the second."""
    serve(server, {"error": "Authentication required"}, status=402)
    with pytest.raises(ProviderError) as info:
        fetch("venice", base(server, "/api/v1"))
    assert info.value.kind is ErrorKind.AUTH and "admin API key" in info.value.message
    assert info.value.message.startswith("Venice refused the key (402): Authentication required.")

    server.clear()
    serve(server, {"error": "Insufficient USD or Diem balance to complete request"}, status=402)
    with pytest.raises(ProviderError) as info:
        fetch("venice", base(server, "/api/v1"))
    assert info.value.kind is ErrorKind.QUOTA and info.value.title == "Out of credit"


def test_a_429_is_rate_limited(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_json(
        {"error": "Too many requests"}, status=429, headers={"Retry-After": "30"}
    )
    with pytest.raises(ProviderError) as info:
        fetch("venice", base(server, "/api/v1"))
    assert info.value.kind is ErrorKind.RATE_LIMITED and info.value.retry_after == 30.0


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ([{"canConsume": True}], "(body)", "not an object"),
        ({"canConsume": True}, "balances", "is missing"),
        ({"balances": [1, 2]}, "balances", "not an object"),
        (answer(usd="lots"), "balances.usd", "not a number"),
        (answer(usd=-3), "balances.usd", "negative"),
        (answer(diem=1e14), "balances.diem", "far larger"),
        (answer(can="yes"), "canConsume", "not true or false"),
    ],
)
def test_malformed_answers_are_clear_errors(server: HTTPServer, body: object, field: str, problem: str) -> None:
    serve(server, body)
    with pytest.raises(BadResponse) as info:
        fetch("venice", base(server, "/api/v1"))
    assert info.value.title == "Unexpected answer from Venice"
    assert f"GET {PATH}: field '{field}'" in info.value.message and problem in info.value.message
