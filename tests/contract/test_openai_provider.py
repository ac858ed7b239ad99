"""The OpenAI provider against a real HTTP server on 127.0.0.1, through the real SDK and transport."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.contract.openai_server import (
    EMAIL,
    INSUFFICIENT_QUOTA,
    PHONE,
    SESSION_KEY_ONLY,
    SUBSCRIPTION,
    Answer,
    FakeOpenAI,
    costs_page,
    credit_summary,
    error,
    grant,
    me,
    models,
    serve,
    spend_limit,
)
from trayapp.core import codec
from trayapp.core.errors import BadResponse, ProviderError
from trayapp.core.identity import hash_email, hash_phone
from trayapp.core.models import Account, ErrorKind, Grant, Snapshot
from trayapp.providers.base import FetchOutcome, FetchRequest
from trayapp.providers.openai import PROVIDER
from trayapp.secrets.secret import Secret

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SALT = "install-salt"
API = "sk-proj-CANARYapi0123456789abcdef"
SESSION = "sess-CANARYsession0123456789abcdef"
ADMIN = "sk-admin-CANARYadmin0123456789abcdef"
ME = "/v1/me"
MODELS = "/v1/models"
GRANTS = "/v1/dashboard/billing/credit_grants"
SUB = "/v1/dashboard/billing/subscription"
COSTS = "/v1/organization/costs"
LIMIT = "/v1/organization/spend_limit"
CHAT = "/v1/chat/completions"


def ts(day: date) -> int:
    return int(datetime.combine(day, datetime.min.time(), UTC).timestamp())


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    yield from serve()


def fetch(
    server: FakeOpenAI,
    *,
    api: str | None = API,
    admin: str | None = None,
    cache: Mapping[str, Any] | None = None,
    now: datetime = NOW,
    grants: tuple[Grant, ...] = (),
    options: Mapping[str, Any] | None = None,
    timeout: float = 3.0,
    base_url: str | None = None,
) -> FetchOutcome:
    secrets = {}
    if api is not None:
        secrets["api"] = Secret(api)
    if admin is not None:
        secrets["admin"] = Secret(admin)
    account = Account(
        id="openai-1",
        provider="openai",
        label="OpenAI",
        created_at=NOW,
        base_url=base_url or server.base_url,
        grants=grants,
        options=dict(options or {}),
    )
    return PROVIDER.fetch(FetchRequest(account, secrets, now, dict(cache or {}), timeout, SALT))


def normal_key_server(server: FakeOpenAI) -> None:
    server.route("GET", ME, Answer(200, me()))
    server.route("GET", MODELS, models())
    server.route("GET", GRANTS, SESSION_KEY_ONLY)


def no_secret_anywhere(outcome: FetchOutcome, *also: str) -> None:
    text = json.dumps(codec.snapshot_out(outcome.snapshot)) + json.dumps(dict(outcome.cache)) + repr(outcome)
    for secret in (API, SESSION, ADMIN, EMAIL, PHONE, "pat.example", "0100 200", *also):
        assert secret not in text


# ---------------------------------------------------------------- normal key: identity, legacy memo


def test_normal_key_identity_from_me_hashed_and_masked_and_remaining_unknown(server: FakeOpenAI) -> None:
    normal_key_server(server)
    outcome = fetch(server)
    snap = outcome.snapshot
    ident = snap.identity
    assert ident is not None
    assert ident.user_id == "user-ohfap0ky8lkatw97iskuhghv"
    assert ident.created == datetime.fromtimestamp(1_780_000_000, UTC)
    assert ident.org_ids == ("org-S2T2qOGM1KofMLUxb9rt7eV0",)
    assert ident.org_names == ("Personal",)
    assert ident.email_hash == hash_email(SALT, EMAIL) and ident.email_hash
    assert ident.phone_hash == hash_phone(SALT, PHONE) and ident.phone_hash
    assert ident.email_masked == "p***@gmail.com"
    assert ident.phone_masked == "***00"
    assert snap.remaining is None
    assert snap.unknown_reason is not None
    assert snap.unknown_reason.startswith("balance not readable with this key")
    assert "session" in snap.unknown_reason
    assert snap.currency == "USD"
    assert "insufficient_quota" not in snap.flags
    no_secret_anywhere(outcome)
    # Every request carried the account's key, and only it.
    assert {s.authorization for s in server.seen} == {f"Bearer {API}"}
    assert server.count(CHAT, "POST") == 0  # the probe is off by default


def test_legacy_403_is_remembered_for_a_week_and_identity_for_a_day(server: FakeOpenAI) -> None:
    normal_key_server(server)
    first = fetch(server)
    assert server.count(GRANTS) == 1 and server.count(ME) == 1
    second = fetch(server, cache=first.cache, now=NOW + timedelta(hours=6))
    assert server.count(GRANTS) == 1  # no new request within the week
    assert server.count(ME) == 1  # identity from the cache within the day
    assert server.count(MODELS) == 1  # but the key is still checked every poll
    assert second.snapshot.identity == first.snapshot.identity
    assert second.snapshot.unknown_reason == first.snapshot.unknown_reason
    third = fetch(server, cache=second.cache, now=NOW + timedelta(days=2))
    assert server.count(GRANTS) == 1 and server.count(ME) == 2
    fetch(server, cache=third.cache, now=NOW + timedelta(days=7, hours=1))
    assert server.count(GRANTS) == 2  # retried after a week


def test_a_replaced_key_does_not_reuse_the_old_keys_memory(server: FakeOpenAI) -> None:
    normal_key_server(server)
    first = fetch(server)
    fetch(server, api="sk-proj-another0123456789", cache=first.cache, now=NOW + timedelta(hours=1))
    assert server.count(GRANTS) == 2 and server.count(ME) == 2


def test_me_failure_falls_back_to_the_organization_header(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route("GET", ME, error(500, "The server had an error", "server_error"))
    server.route("GET", MODELS, models("acme-research"))
    snap = fetch(server).snapshot
    assert snap.identity is not None
    assert snap.identity.user_id is None
    assert snap.identity.org_names == ("acme-research",)
    assert any("openai-organization" in n for n in snap.notes)


def test_malformed_me_falls_back_and_names_the_field(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route("GET", ME, Answer(200, {"object": "user", "id": 42}))
    snap = fetch(server).snapshot
    assert snap.identity is not None and snap.identity.org_names == ("user-ohfap0ky8lkatw97iskuhghv",)
    assert any("GET /v1/me" in n and "'id'" in n for n in snap.notes)


def test_key_whose_account_changes_is_read_again(server: FakeOpenAI) -> None:
    normal_key_server(server)
    first = fetch(server)
    server.route("GET", ME, Answer(200, me("user-secondaccount000000000")))
    server.route("GET", MODELS, models("user-secondaccount000000000"))
    # Within the day, but the key now bills to another organization: /me is read again at once.
    second = fetch(server, cache=first.cache, now=NOW + timedelta(minutes=15))
    assert server.count(ME) == 2
    assert first.snapshot.identity is not None and second.snapshot.identity is not None
    assert first.snapshot.identity.user_id == "user-ohfap0ky8lkatw97iskuhghv"
    assert second.snapshot.identity.user_id == "user-secondaccount000000000"


def test_key_whose_user_changes_is_seen_at_the_daily_refresh(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route("GET", MODELS, Answer(200, {"object": "list", "data": []}))  # no header at all
    first = fetch(server)
    server.route("GET", ME, Answer(200, me("user-other")))
    second = fetch(server, cache=first.cache, now=NOW + timedelta(hours=25))
    assert second.snapshot.identity is not None and second.snapshot.identity.user_id == "user-other"


def test_legacy_grants_readable_with_an_old_user_key_are_used(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route(
        "GET",
        GRANTS,
        Answer(200, credit_summary(grant(5.0, 1.25, ts(date(2026, 11, 1)), ts(date(2027, 2, 1))))),
    )
    snap = fetch(server).snapshot
    assert snap.remaining == Decimal("3.75") and snap.unknown_reason is None
    assert snap.expires_at == datetime(2027, 2, 1, tzinfo=UTC)


def test_project_key_without_billing_access_is_not_an_error(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route("GET", GRANTS, error(403, "project keys may not expose credit grants", "invalid_request_error"))
    snap = fetch(server).snapshot
    assert snap.remaining is None
    assert snap.unknown_reason is not None and "no balance endpoint for API keys" in snap.unknown_reason


# ---------------------------------------------------------------- probe


def test_probe_insufficient_quota_means_zero_and_is_hourly(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route("POST", CHAT, INSUFFICIENT_QUOTA)
    first = fetch(server, options={"probe": True})
    snap = first.snapshot
    assert snap.remaining == Decimal(0)
    assert "insufficient_quota" in snap.flags
    assert snap.unknown_reason is None
    body = json.loads(server.seen[-1].body)
    assert body["max_tokens"] == 1 and body["model"] == "gpt-4.1-nano"
    second = fetch(server, options={"probe": True}, cache=first.cache, now=NOW + timedelta(minutes=30))
    assert server.count(CHAT, "POST") == 1  # at most hourly
    assert "insufficient_quota" in second.snapshot.flags and second.snapshot.remaining == 0
    fetch(server, options={"probe": True}, cache=second.cache, now=NOW + timedelta(minutes=61))
    assert server.count(CHAT, "POST") == 2


def test_probe_rate_limit_is_throttled_not_empty(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route(
        "POST",
        CHAT,
        error(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", **{"retry-after": "20"}),
    )
    snap = fetch(server, options={"probe": True}).snapshot
    assert snap.remaining is None
    assert "insufficient_quota" not in snap.flags
    assert any("throttled" in n and "not out of credit" in n for n in snap.notes)


def test_probe_success_says_the_key_can_spend(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route(
        "POST",
        CHAT,
        Answer(
            200,
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 1,
                "model": "gpt-4.1-nano",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "1"}, "finish_reason": "length"}],
            },
        ),
    )
    snap = fetch(server, options={"probe": True, "probe_model": "gpt-4o-mini"}).snapshot
    assert snap.remaining is None and "insufficient_quota" not in snap.flags
    assert json.loads(server.seen[-1].body)["model"] == "gpt-4o-mini"
    assert any("succeeded" in n for n in snap.notes)


# ---------------------------------------------------------------- session key


def test_session_key_grants_expired_used_up_and_nearest_expiry(server: FakeOpenAI) -> None:
    expired = grant(18.0, 2.0, ts(date(2026, 5, 1)), ts(date(2026, 8, 1)), "expired")  # 16 left, expired
    used_up = grant(5.0, 5.0, ts(date(2026, 10, 1)), ts(date(2026, 12, 5)), "used-up")  # expires first
    live = grant(10.0, 2.5, ts(date(2026, 11, 1)), ts(date(2027, 2, 1)), "live")
    server.route("GET", GRANTS, Answer(200, credit_summary(expired, used_up, live)))
    server.route("GET", SUB, Answer(200, SUBSCRIPTION))
    server.route("GET", ME, Answer(200, me()))
    outcome = fetch(server, api=SESSION)
    snap = outcome.snapshot
    assert snap.remaining == Decimal("7.5")
    assert snap.granted_total == Decimal("15")
    assert snap.used == Decimal("7.5")
    assert snap.remaining_granted == Decimal("7.5") and snap.remaining_paid == Decimal(0)
    assert snap.expires_at == datetime(2027, 2, 1, tzinfo=UTC)  # not the used-up grant's, nor the expired one's
    assert snap.unknown_reason is None
    assert [(g.amount, g.used, g.effective, g.expires, g.source) for g in snap.grants] == [
        (Decimal("18.0"), Decimal("2.0"), date(2026, 5, 1), date(2026, 8, 1), "provider"),
        (Decimal("5.0"), Decimal("5.0"), date(2026, 10, 1), date(2026, 12, 5), "provider"),
        (Decimal("10.0"), Decimal("2.5"), date(2026, 11, 1), date(2027, 2, 1), "provider"),
    ]
    assert any("Explore (free trial)" in n for n in snap.notes)
    assert any("as powerful as your login" in n for n in snap.notes)
    assert {s.authorization for s in server.seen} == {f"Bearer {SESSION}"}
    no_secret_anywhere(outcome)


def test_session_key_all_grants_used_up_is_zero_with_no_expiry(server: FakeOpenAI) -> None:
    server.route("GET", ME, Answer(200, me()))
    server.route(
        "GET",
        GRANTS,
        Answer(200, credit_summary(grant(5.0, 5.0, ts(date(2026, 10, 1)), ts(date(2027, 1, 1))))),
    )
    server.route("GET", SUB, error(404, "not found", "invalid_request_error"))
    snap = fetch(server, api=SESSION).snapshot
    assert snap.remaining == 0 and snap.expires_at is None and snap.granted_total == 5


def test_session_key_expired_is_an_auth_error(server: FakeOpenAI) -> None:
    server.route("GET", ME, error(401, "Invalid authorization header", "invalid_request_error"))
    with pytest.raises(ProviderError) as caught:
        fetch(server, api=SESSION)
    assert caught.value.kind is ErrorKind.AUTH
    assert "log out" in caught.value.message


def test_malformed_grants_name_endpoint_and_field(server: FakeOpenAI) -> None:
    server.route("GET", ME, Answer(200, me()))
    bad = credit_summary(grant(5.0, 1.0, ts(date(2026, 10, 1)), ts(date(2027, 1, 1))))
    bad["grants"]["data"][0]["grant_amount"] = "lots"
    server.route("GET", GRANTS, Answer(200, bad))
    with pytest.raises(BadResponse) as caught:
        fetch(server, api=SESSION)
    assert caught.value.kind is ErrorKind.BAD_RESPONSE
    assert caught.value.endpoint == "GET /dashboard/billing/credit_grants"
    assert caught.value.field == "grants.data[0].grant_amount"
    server.route("GET", GRANTS, Answer(200, b"<html>not json"))
    with pytest.raises(ProviderError) as caught:  # the shared layer's reading of what is not JSON
        fetch(server, api=SESSION)
    assert caught.value.kind is ErrorKind.BAD_RESPONSE
    assert "credit_grants answered an HTML page instead of JSON" in caught.value.message


# ---------------------------------------------------------------- admin key


def test_admin_costs_follow_pages_and_the_admin_key_stays_on_organization_paths(server: FakeOpenAI) -> None:
    normal_key_server(server)
    pages = {
        None: costs_page([(ts(date(2026, 8, 15)), 1.0), (ts(date(2026, 9, 10)), 4.0)], "page_2"),
        "page_2": costs_page([(ts(date(2026, 10, 5)), 8.0)], "page_3"),
        "page_3": costs_page([(ts(date(2026, 11, 20)), 2.0), (ts(date(2026, 11, 20)), 1.0)]),
    }

    def costs(seen: Any) -> Answer:
        page = seen.query.get("page", [None])[0]
        return Answer(200, pages[page])

    server.route("GET", COSTS, costs)
    server.route("GET", LIMIT, Answer(200, spend_limit("inactive")))
    user_grants = (
        Grant(Decimal(5), effective=date(2026, 6, 1), expires=date(2026, 9, 1)),  # expired: C
        Grant(Decimal(20), effective=date(2026, 10, 1), expires=date(2027, 10, 1), kind="paid"),  # B
        Grant(Decimal(10), effective=date(2026, 9, 1), expires=date(2026, 12, 1)),  # A, expires first
    )
    outcome = fetch(server, admin=ADMIN, grants=user_grants)
    snap = outcome.snapshot
    # C took the $1 of August; A the $4 of September; in October A (expiring first) took 6, B 2;
    # in November A is used up and B takes the $3.
    assert [g.used for g in snap.grants] == [Decimal(1), Decimal(5), Decimal(10)]
    assert snap.remaining == Decimal(15)
    assert snap.remaining_paid == Decimal(15) and snap.remaining_granted == Decimal(0)
    assert snap.granted_total == Decimal(30) and snap.used == Decimal(15)
    assert snap.expires_at == datetime(2027, 10, 1, tzinfo=UTC)  # A has nothing left
    assert snap.unknown_reason is None
    cost_requests = [s for s in server.seen if s.path == COSTS]
    assert [s.query.get("page", [None])[0] for s in cost_requests] == [None, "page_2", "page_3"]
    assert {s.query["start_time"][0] for s in cost_requests} == {str(ts(date(2026, 6, 1)))}
    assert {s.query["bucket_width"][0] for s in cost_requests} == {"1d"}
    for s in server.seen:
        if s.authorization == f"Bearer {ADMIN}":
            assert s.path.startswith("/v1/organization/"), s.path
        else:
            assert s.authorization == f"Bearer {API}" and not s.path.startswith("/v1/organization/")
    assert server.count(LIMIT) == 1
    no_secret_anywhere(outcome)


def test_admin_costs_larger_than_the_grants_are_reported(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route("GET", COSTS, Answer(200, costs_page([(ts(date(2026, 11, 2)), 7.5)])))
    server.route("GET", LIMIT, Answer(200, spend_limit()))
    snap = fetch(
        server,
        admin=ADMIN,
        grants=(Grant(Decimal(5), effective=date(2026, 11, 1), expires=date(2027, 2, 1)),),
    ).snapshot
    assert snap.remaining == 0 and snap.expires_at is None
    assert any("$2.50 of costs" in n for n in snap.notes)


def test_spend_limit_enforcing_flags_the_account(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route("GET", LIMIT, Answer(200, spend_limit("enforcing", 12_000)))
    server.route("GET", COSTS, Answer(200, costs_page([(ts(date(2026, 11, 3)), 120.0)])))
    snap = fetch(server, admin=ADMIN).snapshot
    assert "spend_limit_enforcing" in snap.flags
    assert any("spend limit of $120.00" in n for n in snap.notes)
    # No grants entered: spending is shown, the remaining credit stays unknown with a reason.
    assert snap.remaining is None and snap.unknown_reason is not None
    assert "enter your credit grants" in snap.unknown_reason
    assert any("$120.00" in n and "this month" in n for n in snap.notes)
    assert server.seen[-1].query["start_time"] == [str(ts(date(2026, 11, 1)))]


def test_admin_key_given_as_the_main_key_is_used_only_for_organization(server: FakeOpenAI) -> None:
    server.route("GET", LIMIT, Answer(200, spend_limit()))
    server.route("GET", COSTS, Answer(200, costs_page([])))
    fetch(server, api=ADMIN, grants=(Grant(Decimal(5), effective=date(2026, 11, 1), expires=date(2027, 2, 1)),))
    assert server.paths() and all(p.startswith("/v1/organization/") for p in server.paths())


def test_user_grants_without_admin_key_leave_remaining_unknown(server: FakeOpenAI) -> None:
    normal_key_server(server)
    snap = fetch(server, grants=(Grant(Decimal(5), effective=date(2026, 11, 1), expires=date(2027, 2, 1)),)).snapshot
    assert snap.remaining is None
    assert snap.unknown_reason is not None and "admin key" in snap.unknown_reason


def test_grant_without_effective_date_is_explained(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route("GET", LIMIT, Answer(200, spend_limit()))
    snap = fetch(server, admin=ADMIN, grants=(Grant(Decimal(5), expires=date(2027, 2, 1)),)).snapshot
    assert snap.remaining is None and snap.unknown_reason is not None
    assert "no effective date" in snap.unknown_reason
    assert server.count(COSTS) == 0


def test_malformed_costs_name_the_field(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route("GET", LIMIT, Answer(200, spend_limit()))
    page = costs_page([(ts(date(2026, 11, 2)), 1.0)])
    page["data"][0]["results"][0]["amount"]["value"] = None
    server.route("GET", COSTS, Answer(200, page))
    with pytest.raises(BadResponse) as caught:
        fetch(server, admin=ADMIN, grants=(Grant(Decimal(5), effective=date(2026, 11, 1)),))
    assert caught.value.endpoint == "GET /v1/organization/costs"
    assert caught.value.field == "data[0].results[0].amount.value"


def test_admin_key_without_owner_role(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route("GET", LIMIT, Answer(200, spend_limit()))
    server.route(
        "GET",
        COSTS,
        error(403, "You have insufficient permissions for this operation.", "invalid_request_error"),
    )
    with pytest.raises(ProviderError) as caught:
        fetch(server, admin=ADMIN, grants=(Grant(Decimal(5), effective=date(2026, 11, 1)),))
    assert caught.value.kind is ErrorKind.PERMISSION and "Owner" in caught.value.message


# ---------------------------------------------------------------- errors


def test_revoked_key_is_an_auth_error(server: FakeOpenAI) -> None:
    server.route(
        "GET",
        ME,
        error(401, f"Incorrect API key provided: {API}.", "invalid_request_error", "invalid_api_key"),
    )
    with pytest.raises(ProviderError) as caught:
        fetch(server)
    err = caught.value
    assert err.kind is ErrorKind.AUTH and err.title == "Key rejected"
    assert "does not know this API key (401)" in err.message and "revoked" in err.message
    assert API not in str(err) and API not in repr(err.to_fetch_error())


def test_region_403_is_explained_and_scrubbed(server: FakeOpenAI) -> None:
    server.route("GET", ME, Answer(200, me()))
    server.route(
        "GET",
        GRANTS,
        error(
            403,
            f"Country, region, or territory not supported (key {SESSION})",
            "request_forbidden",
            "unsupported_country_region_territory",
        ),
    )
    with pytest.raises(ProviderError) as caught:
        fetch(server, api=SESSION)
    assert caught.value.kind is ErrorKind.PERMISSION
    assert "country or region" in caught.value.message
    assert SESSION not in caught.value.message and "(key ***)" in caught.value.message


def test_rate_limit_honours_retry_after_and_quota_is_quota(server: FakeOpenAI) -> None:
    server.route("GET", ME, Answer(200, me()))
    server.route(
        "GET",
        GRANTS,
        error(429, "Rate limit reached", "requests", "rate_limit_exceeded", **{"retry-after": "30"}),
    )
    with pytest.raises(ProviderError) as caught:
        fetch(server, api=SESSION)
    assert caught.value.kind is ErrorKind.RATE_LIMITED and caught.value.retry_after == 30
    assert "not a lack of credit" in caught.value.message
    server.route("GET", GRANTS, INSUFFICIENT_QUOTA)
    with pytest.raises(ProviderError) as caught:
        fetch(server, api=SESSION)
    assert caught.value.kind is ErrorKind.QUOTA and caught.value.title == "Out of credit"


def test_server_error(server: FakeOpenAI) -> None:
    server.route("GET", ME, Answer(200, me()))
    server.route("GET", GRANTS, error(503, "The engine is currently overloaded", "server_error"))
    with pytest.raises(ProviderError) as caught:
        fetch(server, api=SESSION)
    assert caught.value.kind is ErrorKind.SERVER and "503" in caught.value.message


def test_a_server_that_never_answers_times_out_in_bounded_time(server: FakeOpenAI) -> None:
    server.route("GET", ME, Answer(hang=True))
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        fetch(server, timeout=0.5)
    assert caught.value.kind is ErrorKind.TIMEOUT
    assert time.monotonic() - started < 3  # no retries


def test_connection_refused_is_a_network_error(server: FakeOpenAI) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ProviderError) as caught:
        fetch(server, base_url=f"http://127.0.0.1:{port}/v1")
    assert caught.value.kind is ErrorKind.NETWORK


def test_redirects_are_not_followed(server: FakeOpenAI) -> None:
    other = FakeOpenAI().start()
    try:
        other.route("GET", GRANTS, Answer(200, credit_summary()))
        server.route("GET", ME, Answer(200, me()))
        server.route("GET", GRANTS, Answer(302, {}, {"Location": other.base_url + "/dashboard/billing/credit_grants"}))
        with pytest.raises(ProviderError) as caught:
            fetch(server, api=SESSION)
        assert caught.value.kind is ErrorKind.CONFIG and "redirect" in caught.value.message
        assert other.seen == []
    finally:
        other.stop()


def test_plain_http_to_another_host_is_refused_before_any_request() -> None:
    account = Account("openai-1", "openai", "OpenAI", NOW, base_url="http://api.example.com/v1")
    with pytest.raises(ProviderError) as caught:
        PROVIDER.fetch(FetchRequest(account, {"api": Secret(API)}, NOW, {}, 1.0, SALT))
    assert caught.value.kind is ErrorKind.CONFIG and "plain http" in caught.value.message


def test_environment_credentials_never_replace_the_accounts_key(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", "Authorization: Bearer sk-env-other\nX-Extra: 1")
    monkeypatch.setenv("OPENAI_ADMIN_KEY", "sk-admin-from-env")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-from-env")
    normal_key_server(server)
    fetch(server)
    assert {s.authorization for s in server.seen} == {f"Bearer {API}"}
    assert all("openai-organization" not in s.headers for s in server.seen)


def test_snapshot_round_trips_through_the_codec(server: FakeOpenAI) -> None:
    normal_key_server(server)
    snap = fetch(server).snapshot
    assert codec.snapshot_in(json.loads(json.dumps(codec.snapshot_out(snap)))) == snap
    assert isinstance(snap, Snapshot)


def test_restricted_key_that_may_not_list_models_is_still_read(server: FakeOpenAI) -> None:
    normal_key_server(server)
    server.route(
        "GET",
        MODELS,
        error(
            403,
            "You have insufficient permissions for this operation. Missing scopes: api.model.read.",
            "invalid_request_error",
        ),
    )
    first = fetch(server)
    second = fetch(server, cache=first.cache, now=NOW + timedelta(hours=1))
    assert second.snapshot.identity == first.snapshot.identity and first.snapshot.identity is not None
    assert second.snapshot.unknown_reason is not None


def test_revoked_key_is_seen_on_the_next_poll_even_with_identity_cached(server: FakeOpenAI) -> None:
    normal_key_server(server)
    first = fetch(server)
    server.route(
        "GET",
        MODELS,
        error(401, "Incorrect API key provided: sk-proj-****cdef.", "invalid_request_error", "invalid_api_key"),
    )
    with pytest.raises(ProviderError) as caught:
        fetch(server, cache=first.cache, now=NOW + timedelta(minutes=15))
    assert caught.value.kind is ErrorKind.AUTH


def test_small_gzip_answer_that_inflates_past_the_cap_is_refused_through_the_sdk(server: FakeOpenAI) -> None:
    import gzip

    from trayapp.providers.http import MAX_BODY

    bomb = gzip.compress(b'{"object": "user", "pad": "' + b"0" * (MAX_BODY * 8) + b'"}', compresslevel=9)
    assert len(bomb) < MAX_BODY // 50
    server.route("GET", MODELS, models())
    server.route("GET", ME, Answer(200, bomb, {"Content-Encoding": "gzip"}))
    with pytest.raises(ProviderError) as caught:
        fetch(server)
    err = caught.value
    assert err.kind is ErrorKind.BAD_RESPONSE and err.title == "Unexpected answer from OpenAI"
    assert "GET /v1/me answered more than 1024 KiB" in err.message


def test_gzip_answer_is_read_through_the_sdk(server: FakeOpenAI) -> None:
    import gzip

    normal_key_server(server)
    server.route("GET", ME, Answer(200, gzip.compress(json.dumps(me()).encode()), {"Content-Encoding": "gzip"}))
    snap = fetch(server).snapshot
    assert snap.identity is not None and snap.identity.user_id == "user-ohfap0ky8lkatw97iskuhghv"


# ---------------------------------------------------------------- currency: ISO 4217, upper case


def test_currency_is_upper_case_whatever_case_the_account_or_the_answer_used(server: FakeOpenAI) -> None:
    """A session-key account once reported "usd". The account's currency as written by hand in
    config.json ("usd") and a lower-case currency in the answer (the costs endpoint's own spelling, "usd") both
    come out as USD, in the snapshot, its balances and its grants."""
    server.route("GET", ME, Answer(200, me()))
    summary = credit_summary(grant(5.0, 1.0, ts(NOW.date() - timedelta(days=5)), ts(NOW.date() + timedelta(days=60))))
    summary["currency"] = "usd"
    summary["grants"]["data"][0]["currency"] = "usd"
    server.route("GET", GRANTS, Answer(200, summary))
    server.route("GET", SUB, Answer(200, SUBSCRIPTION))
    account = Account("openai-1", "openai", "OpenAI", NOW, base_url=server.base_url, currency="usd")
    snap = PROVIDER.fetch(FetchRequest(account, {"api": Secret(SESSION)}, NOW, {}, 3.0, SALT)).snapshot
    assert snap.currency == "USD"
    assert [b.currency for b in snap.balances] == ["USD"]
    assert [g.currency for g in snap.grants] == ["USD"]
    assert codec.snapshot_out(snap)["currency"] == "USD"
