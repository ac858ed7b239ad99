"""A relay's requests that do not depend on each other are in flight at once (one answer's wait, not two in a
row), and what the poll reports, errors included, is what it was when they went in turn.

Real HTTP on 127.0.0.1: each handler of a pair waits at a barrier for the other request to arrive; requests
made one after the other break the barrier (its timeout only bounds a failing run) and get an error answer.
The answers' shapes are those of tests/contract/test_relay_variants.py (one-api and new-api sources cited there).
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from trayapp.core.errors import ProviderError
from trayapp.core.models import ErrorKind
from trayapp.providers import catalog

from ..contract.conftest import BARRIER_WAIT, KEY, _servers, base, request_for, server, together
from ..contract.test_relay_variants import one_api_status, subscription, token_usage

SUB = "/v1/dashboard/billing/subscription"
USAGE = "/v1/dashboard/billing/usage"
TOKEN_USAGE = "/api/usage/token"
STATUS = "/api/status"
SELF = "/api/user/self"
__all__ = ["_servers", "server"]  # the contract tests' loopback servers, as fixtures here


def fetch(server: HTTPServer, **kwargs: Any) -> Any:
    return catalog.load("openai-compatible").fetch(request_for("openai-compatible", base(server), **kwargs))


def test_a_new_relays_four_requests_then_the_dashboards_two_are_asked_at_once(server: HTTPServer) -> None:
    first = together(
        server,
        {
            TOKEN_USAGE: ({"error": {"message": "Invalid URL (GET /api/usage/token)"}}, 404),
            STATUS: (one_api_status("v0.6.10"), 200),
            SUB: (subscription(3.2), 200),
            USAGE: ({"object": "list", "total_usage": 500}, 200),
        },
    )
    outcome = fetch(server)
    assert sorted(first) == sorted([STATUS, TOKEN_USAGE, SUB, USAGE])  # a new relay's first poll: one wait
    assert outcome.snapshot.remaining == Decimal("3.2")  # one-api v0.6+: hard_limit_usd is what is left

    # The next poll (the route's absence and the status remembered): the two dashboard requests, at once.
    server.clear()
    again = together(server, {SUB: (subscription(3.2), 200), USAGE: ({"object": "list", "total_usage": 700}, 200)})
    later = catalog.load("openai-compatible").fetch(request_for("openai-compatible", base(server), cache=outcome.cache))
    assert sorted(again) == [SUB, USAGE]
    assert later.snapshot.remaining == Decimal("3.2")

    # A day later the status is read again, with the dashboard (the route's absence still remembered).
    server.clear()
    cache = dict(later.cache) | {"site_at": "2026-11-29T12:00:00+00:00"}
    daily = together(
        server,
        {
            STATUS: (one_api_status("v0.6.10"), 200),
            SUB: (subscription(3.0), 200),
            USAGE: ({"object": "list", "total_usage": 900}, 200),
        },
    )
    day_later = catalog.load("openai-compatible").fetch(request_for("openai-compatible", base(server), cache=cache))
    assert sorted(daily) == sorted([STATUS, SUB, USAGE])
    assert day_later.snapshot.remaining == Decimal("3.0")


def test_new_api_token_usage_and_status_at_once(server: HTTPServer) -> None:
    status = {"success": True, "data": {"quota_per_unit": 500000, "quota_display_type": "USD", "enable_drawing": True}}
    met = together(server, {TOKEN_USAGE: (token_usage(987655, 12345), 200), STATUS: (status, 200)})
    outcome = fetch(server)
    assert sorted(met) == [STATUS, TOKEN_USAGE]
    assert outcome.snapshot.remaining == Decimal("1.97531")


def test_the_users_balance_and_status_at_once(server: HTTPServer) -> None:
    # QuantumNous/new-api controller/user.go GetSelf (fields abridged)
    balance = {"success": True, "message": "", "data": {"id": 7, "quota": 1000000, "used_quota": 50000}}
    status = {"success": True, "data": {"quota_per_unit": 500000, "quota_display_type": "USD", "enable_drawing": True}}
    met = together(server, {SELF: (balance, 200), STATUS: (status, 200)})
    outcome = fetch(server, secrets={"api": KEY, "access": "access-token-CANARY-0123456789", "user": "7"})
    assert sorted(met) == [STATUS, SELF]
    assert outcome.snapshot.remaining == Decimal(2)


def test_a_refused_subscription_is_the_error_and_no_request_outlives_the_poll(server: HTTPServer) -> None:
    # The usage answer is slow and fine; the subscription refuses the key: the user sees the refusal, as when
    # the usage was asked after it, and the poll returns only once the usage request is over.
    release = threading.Event()

    def slow_usage(request: Request) -> Response:
        release.wait(BARRIER_WAIT)
        return Response('{"object": "list", "total_usage": 5}', content_type="application/json")

    cache = {"root": base(server), "no_token_route_at": "2026-12-01T11:00:00+00:00"}
    cache |= {"site": {"program": "one-api-remaining"}, "site_at": "2026-12-01T11:00:00+00:00"}
    server.expect_request(USAGE).respond_with_handler(slow_usage)
    refusal = {"error": {"message": "无效的令牌", "type": "one_api_error"}}  # one-api's words for an unknown key
    server.expect_request(SUB).respond_with_json(refusal, status=401)
    threading.Timer(0.2, release.set).start()
    with pytest.raises(ProviderError) as info:
        fetch(server, cache=cache)
    assert info.value.kind is ErrorKind.AUTH
    assert [r.path for r, _ in server.log if r.path == USAGE] == [USAGE]  # answered before fetch returned
