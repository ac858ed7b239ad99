"""A relay's requests that do not depend on each other are in flight at once (one answer's wait, not two in a
row), and what the poll reports, errors included, is what it was when they went in turn.

Real HTTP on 127.0.0.1: each handler of a pair waits at a barrier for the other request to arrive; requests
made one after the other break the barrier (its timeout only bounds a failing run) and get an error answer.
The answers' shapes are those of tests/contract/test_relay_variants.py (one-api and new-api sources cited there).
"""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from trayapp.core.errors import ProviderError
from trayapp.core.models import ErrorKind
from trayapp.providers import catalog

from ..contract.conftest import KEY, _servers, base, request_for, server
from ..contract.test_relay_variants import one_api_status, subscription, token_usage

SUB = "/v1/dashboard/billing/subscription"
USAGE = "/v1/dashboard/billing/usage"
TOKEN_USAGE = "/api/usage/token"
STATUS = "/api/status"
SELF = "/api/user/self"
BARRIER_WAIT = 5.0  # seconds a handler waits for its pair: only a failing (sequential) run waits it out
__all__ = ["_servers", "server"]  # the contract tests' loopback servers, as fixtures here


def together(server: HTTPServer, answers: dict[str, tuple[Any, int]]) -> list[str]:
    """Serve these paths so that each answers only once all of them are being asked at the same time;
    returns the paths that saw the others in flight."""
    barrier = threading.Barrier(len(answers), timeout=BARRIER_WAIT)
    met: list[str] = []

    def handler(request: Request) -> Response:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return Response('{"error": "asked alone"}', status=503, content_type="application/json")
        met.append(request.path)
        body, status = answers[request.path]
        return Response(json.dumps(body), status=status, content_type="application/json")

    for path in answers:
        server.expect_request(path).respond_with_handler(handler)
    return met


def fetch(server: HTTPServer, **kwargs: Any) -> Any:
    return catalog.load("openai-compatible").fetch(request_for("openai-compatible", base(server), **kwargs))


def test_subscription_and_usage_are_asked_at_once(server: HTTPServer) -> None:
    first = together(
        server,
        {
            TOKEN_USAGE: ({"error": {"message": "Invalid URL (GET /api/usage/token)"}}, 404),
            STATUS: (one_api_status("v0.6.10"), 200),
        },
    )
    second = together(server, {SUB: (subscription(3.2), 200), USAGE: ({"object": "list", "total_usage": 500}, 200)})
    outcome = fetch(server)
    assert sorted(first) == [STATUS, TOKEN_USAGE]  # a new relay's first two requests overlapped
    assert sorted(second) == [SUB, USAGE]  # and the dashboard's two
    assert outcome.snapshot.remaining == Decimal("3.2")  # one-api v0.6+: hard_limit_usd is what is left

    # The next poll (the route's absence and the status remembered): the two dashboard requests, at once.
    server.clear()
    again = together(server, {SUB: (subscription(3.2), 200), USAGE: ({"object": "list", "total_usage": 700}, 200)})
    later = catalog.load("openai-compatible").fetch(request_for("openai-compatible", base(server), cache=outcome.cache))
    assert sorted(again) == [SUB, USAGE]
    assert later.snapshot.remaining == Decimal("3.2")


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
