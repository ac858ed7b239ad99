"""Moonshot / Kimi /v1/users/me/balance: answers that users and other tools met, beyond the documented example.

Each test names its source; a test without a public source says it is a guard.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import ProviderError
from trayapp.core.models import AccountState, ErrorKind, Settings
from trayapp.core.rules import credit_alerts
from trayapp.providers import catalog

from .conftest import KEY, NOW, base, fetch, request_for

D = Decimal
MS = "/v1/users/me/balance"


def balance(available: object, voucher: object, cash: object, **envelope: object) -> dict[str, object]:
    body: dict[str, object] = {"code": 0, "scode": "0x0", "status": True}
    body.update(envelope)
    body["data"] = {"available_balance": available, "voucher_balance": voucher, "cash_balance": cash}
    return body


def serve(server: HTTPServer, body: object, status: int = 200) -> None:
    server.expect_request(MS, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body, status=status)


def test_live_answer_numbers_not_strings(server: HTTPServer) -> None:
    """Measured with a real key, 2026-09 (Yachiyo-5i/xLyra#76): JSON numbers, the documented figures; the same
    fixture in akitaonrails/ai-usagebar src/moonshot/fetch.rs. QuantumNous/new-api controller/channel-billing.go
    reads the same envelope (code 0, status true)."""
    serve(server, balance(49.58894, 46.58893, 3.00001))
    snap = fetch("moonshot", base(server, "/v1"), currency="CNY").snapshot
    assert (snap.remaining, snap.remaining_granted, snap.remaining_paid) == (
        D("49.58894"),
        D("46.58893"),
        D("3.00001"),
    )
    assert not any("not voucher + cash" in n for n in snap.notes)


def test_owed_account_is_zero_with_the_debt_said(server: HTTPServer) -> None:
    """An account in arrears, as measured (Yachiyo-5i/xLyra#76): available 0, voucher 0, cash −31.14918.
    Nothing can be spent; the debt is stated, not shown as paid credit."""
    serve(server, balance(0, 0, -31.14918))
    request = request_for("moonshot", base(server, "/v1"), currency="CNY")
    snap = catalog.load("moonshot").fetch(request).snapshot
    assert (snap.remaining, snap.remaining_granted, snap.remaining_paid) == (D("0"), D("0"), D("0"))
    assert any("-31.14918 (owed)" in n for n in snap.notes)
    assert not any("not voucher + cash" in n for n in snap.notes)
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_empty_wallet_is_zero_not_full(server: HTTPServer) -> None:
    """All three buckets at 0, measured on a moonshot.cn key (diegosouzapw/OmniRoute#12733, whose dashboard
    showed voucher and cash as 100% left)."""
    serve(server, balance(0, 0, 0))
    request = request_for("moonshot", base(server, "/v1"), currency="CNY")
    snap = catalog.load("moonshot").fetch(request).snapshot
    assert (snap.remaining, snap.remaining_granted, snap.remaining_paid) == (D("0"), D("0"), D("0"))
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_voucher_left_but_nothing_available_shows_what_moonshot_says(server: HTTPServer) -> None:
    """Guard: a voucher of 5 with available 0 is a case in diegosouzapw/OmniRoute#12733's tests, not a quoted
    answer; Moonshot documents available = voucher when cash is negative, so 0 here contradicts the parts. The
    available balance is shown and the mismatch said."""
    serve(server, balance(0, 5, 0))
    snap = fetch("moonshot", base(server, "/v1"), currency="CNY").snapshot
    assert snap.remaining == D("0")
    assert any("not voucher + cash" in n for n in snap.notes)


def test_envelope_without_scode(server: HTTPServer) -> None:
    """`scode` absent: a fixture of akitaonrails/ai-usagebar src/moonshot/fetch.rs (guard: no quoted answer)."""
    server.expect_request(MS).respond_with_json(
        {"code": 0, "data": {"available_balance": 12.0, "voucher_balance": 0.0, "cash_balance": 12.0}, "status": True}
    )
    assert fetch("moonshot", base(server, "/v1"), currency="USD").snapshot.remaining == D("12.0")


def test_in_band_failure_with_zero_data_is_an_error_not_zero(server: HTTPServer) -> None:
    """HTTP 200, status false, code 40100, zeros in data: the failure shape of akitaonrails/ai-usagebar
    src/moonshot/fetch.rs; new-api's updater rejects `!status || code != 0` the same way. Never $0."""
    serve(server, balance(0.0, 0.0, 0.0, code=40100, status=False, scode="0x1"))
    with pytest.raises(ProviderError) as info:
        fetch("moonshot", base(server, "/v1"), currency="USD")
    assert info.value.title == "Moonshot / Kimi reported an error"
    assert info.value.message == "GET /v1/users/me/balance answered code 40100."


def test_key_of_the_other_platform_names_the_host(server: HTTPServer) -> None:
    """A moonshot.cn key sent to api.moonshot.ai is refused with this 401 (can1357/oh-my-pi#5981, reproduced
    there; also #6292, #6504): the key is fine, the host is not. The message says which host was asked."""
    serve(
        server,
        {"error": {"message": "Invalid Authentication", "type": "invalid_authentication_error"}},
        status=401,
    )
    with pytest.raises(ProviderError) as info:
        fetch("moonshot", base(server, "/v1"), currency="USD")
    err = info.value
    assert err.kind is ErrorKind.AUTH and err.title == "Key rejected"
    assert err.message.startswith("Moonshot / Kimi rejected the key (401): Invalid Authentication. ")
    assert "platform.moonshot.cn works only with api.moonshot.cn" in err.message
    assert "this account asks 127.0.0.1" in err.message
    assert KEY not in err.message


def test_suspended_for_insufficient_balance_is_out_of_credit(server: HTTPServer) -> None:
    """Moonshot's 429 when the balance is used up, as relayed in anomalyco/opencode#24462 (ids shortened here):
    exceeded_current_quota_error, "suspended due to insufficient balance". Out of credit, not rate limited."""
    server.expect_request(MS).respond_with_json(
        {
            "error": {
                "message": "Your account org-0000 <ak-0000> is suspended due to insufficient balance, please recharge "
                "your account or check your plan and billing details",
                "type": "exceeded_current_quota_error",
            }
        },
        status=429,
    )
    with pytest.raises(ProviderError) as info:
        fetch("moonshot", base(server, "/v1"), currency="CNY")
    assert info.value.kind is ErrorKind.QUOTA


def test_rate_limit_is_not_out_of_credit(server: HTTPServer) -> None:
    """A project TPM limit, as pasted in LLM-Red-Team/kimi-cc#41: rate_limit_reached_error is throttling."""
    server.expect_request(MS).respond_with_json(
        {
            "error": {
                "type": "rate_limit_reached_error",
                "message": "Your account xxxxx / proj-xxxxxx <ak-xxxxx> request reached project TPM rate limit, "
                "current: 1410, limit: 100, see https://platform.moonshot.cn/docs/pricing/limits",
            }
        },
        status=429,
    )
    with pytest.raises(ProviderError) as info:
        fetch("moonshot", base(server, "/v1"), currency="CNY")
    assert info.value.kind is ErrorKind.RATE_LIMITED


@pytest.mark.parametrize("suffix", ["", "/"])
def test_base_url_of_the_bare_host_gets_v1(server: HTTPServer, suffix: str) -> None:
    """Tools store the bare host and add /v1 themselves (akitaonrails/ai-usagebar BASE_CN / BASE_GLOBAL,
    the @sumomok/dsh-balance/moonshot-balance module: "a fixed path under the provider's origin"); it was a 404
    here."""
    serve(server, balance(1.5, 0, 1.5))
    assert fetch("moonshot", base(server, suffix), currency="CNY").snapshot.remaining == D("1.5")
    assert [r.path for r, _ in server.log] == [MS]


def test_base_url_with_another_path_is_kept(server: HTTPServer) -> None:
    """Guard: a relay's own prefix is the user's choice and is not rewritten."""
    server.expect_request("/moonshot/users/me/balance").respond_with_json(balance(2, 0, 2))
    assert fetch("moonshot", base(server, "/moonshot"), currency="CNY").snapshot.remaining == D("2")


def test_amounts_as_strings(server: HTTPServer) -> None:
    """Guard: every quoted answer has JSON numbers; decimal strings are read the same, never as 0."""
    serve(server, balance("7.25", "2.25", "5.00"))
    snap = fetch("moonshot", base(server, "/v1"), currency="CNY").snapshot
    assert (snap.remaining, snap.remaining_granted, snap.remaining_paid) == (D("7.25"), D("2.25"), D("5.00"))


@pytest.mark.parametrize(
    ("url", "currency"),
    [("https://api.moonshot.cn/v1", "CNY"), ("https://api.moonshot.ai/v1", "USD"), ("https://api.moonshot.ai", "USD")],
)
def test_currency_by_platform(url: str, currency: str) -> None:
    """The answer names no currency: .cn is CNY and .ai is USD (akitaonrails/ai-usagebar src/moonshot/fetch.rs
    `for_region`; narumiruna/pi-extensions#1140; new-api reads api.moonshot.cn as CNY)."""
    assert catalog.info("moonshot").currency_for(url) == currency
