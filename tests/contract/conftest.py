"""Real HTTP servers on 127.0.0.1 for the provider contract tests; no traffic leaves this machine."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

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


def fetch(provider: str, base_url: str | None, **kwargs: Any) -> FetchOutcome:
    return catalog.load(provider).fetch(request_for(provider, base_url, **kwargs))
