"""DeepSeek /user/balance: answers that users and other tools met, beyond the documented example.

Each test names its source; a test without a public source says it is a guard.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer

from trayapp.core.errors import ProviderError
from trayapp.core.models import AccountState, ErrorKind, Settings
from trayapp.core.rules import credit_alerts

from .conftest import KEY, NOW, base, fetch, request_for

PATH = "/user/balance"
D = Decimal


def entry(currency: str, total: object, granted: object, topped: object) -> dict[str, object]:
    return {"currency": currency, "total_balance": total, "granted_balance": granted, "topped_up_balance": topped}


def serve(server: HTTPServer, body: object, status: int = 200) -> None:
    server.expect_request(PATH, headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(body, status=status)


def test_funded_cny_account_topped_up_only(server: HTTPServer) -> None:
    """A real key, 2026-09: Yachiyo-5i/xLyra#74 ("2026-09 用真实 key 实测"), amounts as strings."""
    serve(
        server,
        {
            "is_available": True,
            "balance_infos": [entry("CNY", "47.44", "0.00", "47.44")],
        },
    )
    snap = fetch("deepseek", base(server)).snapshot
    assert (snap.currency, snap.remaining, snap.remaining_granted, snap.remaining_paid) == (
        "CNY",
        D("47.44"),
        D("0.00"),
        D("47.44"),
    )
    assert snap.flags == frozenset() and snap.notes == ()


@pytest.mark.parametrize("total", ["3.55", "8.76"])
def test_usd_only_account(server: HTTPServer, total: str) -> None:
    """International accounts answer one USD entry: robinebers/openusage#467 (3.55), #569 (8.76)."""
    serve(server, {"is_available": True, "balance_infos": [entry("USD", total, "0.00", total)]})
    snap = fetch("deepseek", base(server)).snapshot
    assert (snap.currency, snap.remaining, snap.remaining_paid) == ("USD", D(total), D(total))
    # CNY is the default headline currency, but DeepSeek reported none: no note pretends otherwise.
    assert not any("no CNY balance" in n for n in snap.notes)


def test_usd_grant_only(server: HTTPServer) -> None:
    """A granted-only USD balance: the fixture of akitaonrails/ai-usagebar src/deepseek/fetch.rs."""
    serve(server, {"is_available": True, "balance_infos": [entry("USD", "5.00", "5.00", "0.00")]})
    snap = fetch("deepseek", base(server)).snapshot
    assert (snap.remaining, snap.remaining_granted, snap.remaining_paid) == (D("5.00"), D("5.00"), D("0.00"))


def test_empty_account_not_available_is_zero_and_blocked(server: HTTPServer) -> None:
    """A live probe of an unfunded account, quoted in a public design note (repository not named by the index,
    "LIVE PROBE (real api.deepseek.com, 2026-05-25 … empty account)"): is_available false, all zeros, USD.
    steipete/CodexBar#806 and Yachiyo-5i/xLyra#74 read it as depleted too."""
    serve(server, {"is_available": False, "balance_infos": [entry("USD", "0.00", "0.00", "0.00")]})
    request = request_for("deepseek", base(server))
    snap = fetch("deepseek", base(server)).snapshot
    assert (snap.currency, snap.remaining) == ("USD", D("0.00"))
    assert "blocked" in snap.flags
    alerts = credit_alerts(request.account, AccountState(last_good=snap), Settings(), NOW)
    assert [a.code for a in alerts] == ["credit_zero"]


def test_not_available_and_no_entries_is_unknown_not_zero(server: HTTPServer) -> None:
    """Guard: `{"is_available": false, "balance_infos": []}` is only another tool's test fixture, no quoted
    answer. No number is made up; the block is still said."""
    serve(server, {"is_available": False, "balance_infos": []})
    snap = fetch("deepseek", base(server)).snapshot
    assert snap.remaining is None and snap.unknown_reason
    assert "blocked" in snap.flags
    assert any("is_available: false" in n for n in snap.notes)


def test_base_url_with_v1_reads_the_root_path(server: HTTPServer) -> None:
    """DeepSeek documents https://api.deepseek.com/v1 as an OpenAI-compatible base URL, so configs carry it;
    /user/balance is not under /v1 (Yachiyo-5i/xLyra#74 strips it for the same reason). It was a 404 before."""
    serve(server, {"is_available": True, "balance_infos": [entry("CNY", "1.00", "0.00", "1.00")]})
    snap = fetch("deepseek", base(server, "/v1")).snapshot
    assert snap.remaining == D("1.00")
    assert [r.path for r, _ in server.log] == [PATH]


def test_base_url_with_v1_and_slash(server: HTTPServer) -> None:
    """The same with a trailing slash, as pasted from the docs."""
    serve(server, {"is_available": True, "balance_infos": [entry("CNY", "1.00", "0.00", "1.00")]})
    assert fetch("deepseek", base(server, "/v1/")).snapshot.remaining == D("1.00")


@pytest.mark.parametrize(
    "message",
    [
        "Authentication Fails, Your api key: ****fcc2 is invalid",
        "Authentication Fails (no such user)",
        "Authentication Fails (auth header format should be Bearer sk-...)",
    ],
)
def test_refused_keys(server: HTTPServer, message: str) -> None:
    """DeepSeek's 401 bodies as users pasted them: BerriAI/litellm#10403 and continuedev/continue#11820 (the key's
    last four characters, masked by DeepSeek), PDFMathTranslate/PDFMathTranslate#696 (no such user),
    continuedev/continue#10056 (header format). `code` is the generic invalid_request_error."""
    serve(
        server,
        {"error": {"message": message, "type": "authentication_error", "param": None, "code": "invalid_request_error"}},
        status=401,
    )
    with pytest.raises(ProviderError) as info:
        fetch("deepseek", base(server))
    assert info.value.kind is ErrorKind.AUTH
    # Quoted, but anything shaped like a key is masked ("Bearer sk-..." comes out as "sk-***").
    assert info.value.message.startswith(f"DeepSeek rejected the key (401): {message[:20]}")
    assert KEY not in info.value.message


def test_insufficient_balance_402(server: HTTPServer) -> None:
    """The 402 body of an unfunded account: Aider-AI/aider#4851, annecao-ca/content-multiplier-DEC01
    DEEPSEEK_TEST_RESULT.md. `type` is unknown_error, `code` the generic invalid_request_error: only the status
    tells. Those came from chat calls; on /user/balance this is a guard."""
    serve(
        server,
        {
            "error": {
                "message": "Insufficient Balance",
                "type": "unknown_error",
                "param": None,
                "code": "invalid_request_error",
            }
        },
        status=402,
    )
    with pytest.raises(ProviderError) as info:
        fetch("deepseek", base(server))
    assert info.value.kind is ErrorKind.QUOTA
    assert "Insufficient Balance" in info.value.message
