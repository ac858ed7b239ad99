"""Real HTTP servers on 127.0.0.1 for the provider contract tests; no traffic leaves this machine."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from trayapp.core.models import Account
from trayapp.providers import catalog
from trayapp.providers.base import FetchOutcome, FetchRequest
from trayapp.secrets.secret import Secret

KEY = "sk-CANARY-contract-0123456789abcdef"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _start() -> HTTPServer:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    return server


@pytest.fixture(scope="session")
def _servers() -> Iterator[tuple[HTTPServer, HTTPServer]]:
    first, second = _start(), _start()
    yield first, second
    for s in (first, second):
        s.clear()
        s.stop()


@pytest.fixture
def server(_servers: tuple[HTTPServer, HTTPServer]) -> Iterator[HTTPServer]:
    """The provider's host."""
    s = _servers[0]
    s.clear()
    yield s
    s.clear()


@pytest.fixture
def elsewhere(_servers: tuple[HTTPServer, HTTPServer]) -> Iterator[HTTPServer]:
    """Another host, that must never see a key."""
    s = _servers[1]
    s.clear()
    yield s
    s.clear()


def base(server: HTTPServer, path: str = "") -> str:
    return f"http://127.0.0.1:{server.port}{path}"


def request_for(
    provider: str,
    base_url: str | None,
    *,
    currency: str | None = None,
    secrets: Mapping[str, str] | None = None,
    timeout: float = 5.0,
    cache: Mapping[str, Any] | None = None,
) -> FetchRequest:
    keys = dict(secrets) if secrets is not None else {"api": KEY}
    account = Account(
        id=f"{provider}-test",
        provider=provider,
        label=f"{provider} test",
        created_at=NOW,
        base_url=base_url,
        currency=currency,
        secret_kinds=tuple(keys),
    )
    return FetchRequest(
        account=account,
        secrets={k: Secret(v) for k, v in keys.items()},
        now=NOW,
        cache=cache or {},
        timeout=timeout,
        identity_salt="test-salt",
    )


BARRIER_WAIT = 5.0  # seconds a handler waits for the others (together): only a failing (sequential) run waits it out


def together(server: HTTPServer, answers: Mapping[str, tuple[Any, int]]) -> list[str]:
    """Serve these paths so that each answers only once all of them are being asked at the same time;
    returns the paths that saw the others in flight. Requests made one after the other break the barrier
    (its timeout only bounds a failing run) and get an error answer."""
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


def fetch(provider: str, base_url: str | None, **kwargs: Any) -> FetchOutcome:
    return catalog.load(provider).fetch(request_for(provider, base_url, **kwargs))
