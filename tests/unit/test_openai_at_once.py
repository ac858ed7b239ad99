"""OpenAI's requests that depend on no other are in flight at once: a new account's /v1/me with its
credit_grants (a session key's subscription too), a legacy key's /v1/models with its credit_grants. A poll
waits one answer instead of two or three in a row, and what it reports, errors included, is what it was when
they went in turn.

Real HTTP on 127.0.0.1: each handler of a group waits at a barrier for the others to arrive (`together`);
requests made one after the other break it and get an error answer. The answers are the documented shapes of
tests/contract/openai_server.py (sources there).
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

from ..contract.conftest import BARRIER_WAIT, _servers, base, request_for, server, together
from ..contract.openai_server import SESSION_KEY_ONLY, SUBSCRIPTION, credit_summary, grant, me

__all__ = ["_servers", "server"]  # the contract tests' loopback servers, as fixtures here

API = "sk-proj-CANARYapi0123456789abcdef"
SESSION = "sess-CANARYsession0123456789abcdef"
ME, MODELS = "/v1/me", "/v1/models"
GRANTS, SUB = "/v1/dashboard/billing/credit_grants", "/v1/dashboard/billing/subscription"
LIVE = grant(10.0, 2.5, 1_793_000_000, 1_830_000_000, "live")  # 7.50 left, expiring in 2027


def fetch(server: HTTPServer, key: str = API, cache: dict[str, Any] | None = None) -> Any:
    request = request_for("openai", base(server, "/v1"), secrets={"api": key}, cache=cache)
    return catalog.load("openai").fetch(request)


def test_a_new_keys_identity_and_credit_grants_at_once_then_only_the_liveness_check(server: HTTPServer) -> None:
    met = together(server, {ME: (me(), 200), GRANTS: (SESSION_KEY_ONLY.body, SESSION_KEY_ONLY.status)})
    first = fetch(server)
    assert sorted(met) == [GRANTS, ME]
    assert first.snapshot.identity is not None and first.snapshot.identity.user_id == me()["id"]
    assert first.snapshot.remaining is None and "browser session" in (first.snapshot.unknown_reason or "")

    # The next poll: who the key is and the refusal are remembered; one request, and no credit_grants.
    server.clear()
    server.expect_request(MODELS).respond_with_json({"object": "list", "data": []})
    later = fetch(server, cache=dict(first.cache))
    assert [r.path for r, _ in server.log] == [MODELS]
    assert later.snapshot.unknown_reason == first.snapshot.unknown_reason


def test_a_legacy_keys_liveness_and_credit_grants_at_once(server: HTTPServer) -> None:
    # An older user key that still reads its grants: identity known, so /v1/models and credit_grants each poll.
    server.expect_request(ME).respond_with_json(me())
    server.expect_request(GRANTS).respond_with_json(credit_summary(LIVE))
    cache = dict(fetch(server).cache)
    server.clear()
    met = together(server, {MODELS: ({"object": "list", "data": []}, 200), GRANTS: (credit_summary(LIVE), 200)})
    outcome = fetch(server, cache=cache)
    assert sorted(met) == [GRANTS, MODELS]
    assert outcome.snapshot.remaining == Decimal("7.5")


def test_a_session_keys_three_requests_at_once(server: HTTPServer) -> None:
    met = together(server, {ME: (me(), 200), GRANTS: (credit_summary(LIVE), 200), SUB: (SUBSCRIPTION, 200)})
    outcome = fetch(server, SESSION)
    assert sorted(met) == sorted([ME, GRANTS, SUB])
    assert outcome.snapshot.remaining == Decimal("7.5")
    assert any("Explore (free trial)" in n for n in outcome.snapshot.notes)


def test_a_refused_key_is_the_error_and_no_request_outlives_the_poll(server: HTTPServer) -> None:
    # credit_grants is slow and would answer; /v1/me refuses the key: the user sees the refusal, as when
    # credit_grants was asked after it, and the poll returns only once credit_grants is over.
    release = threading.Event()

    def slow_grants(request: Request) -> Response:
        release.wait(BARRIER_WAIT)
        return Response('{"object": "credit_summary", "grants": {"data": []}}', content_type="application/json")

    refusal = {"error": {"message": "Incorrect API key provided: sk-proj-****cdef.", "code": "invalid_api_key"}}
    server.expect_request(GRANTS).respond_with_handler(slow_grants)
    server.expect_request(ME).respond_with_json(refusal, status=401)
    threading.Timer(0.2, release.set).start()
    with pytest.raises(ProviderError) as info:
        fetch(server)
    assert info.value.kind is ErrorKind.AUTH
    assert [r.path for r, _ in server.log if r.path == GRANTS] == [GRANTS]  # answered before fetch returned
