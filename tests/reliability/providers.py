"""Every provider as the reliability tests drive it: where its answers live on a loopback server, its keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from trayapp.core.models import Account
from trayapp.providers.base import FetchRequest
from trayapp.secrets.secret import Secret

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    name: str  # catalog name
    prefix: str  # base URL path on the test server
    secrets: Mapping[str, str]
    currency: str | None = None


SPECS = [
    Spec("deepseek", "/ds", {"api": "sk-deepseek-0123456789abcdef"}),
    Spec("moonshot", "/ms/v1", {"api": "sk-moonshot-0123456789abcdef"}, "CNY"),
    Spec("siliconflow", "/sf/v1", {"api": "sk-siliconflow-0123456789ab"}, "CNY"),
    Spec(
        "openrouter",
        "/or/api/v1",
        {"api": "sk-or-v1-api-0123456789abcdef", "management": "sk-or-v1-mgmt-0123456789abcd"},
    ),
    Spec("openai-compatible", "/relay", {"api": "sk-relay-0123456789abcdef"}),
    Spec("openai", "/oa/v1", {"api": "sk-proj-openai-0123456789abcd", "admin": "sk-admin-0123456789abcdefgh"}),
]
BY_NAME = {s.name: s for s in SPECS}


def request(spec: Spec, base_url: str | None, *, timeout: float = 2.0, now: datetime = NOW) -> FetchRequest:
    account = Account(
        id=f"{spec.name}-rel",
        provider=spec.name,
        label=spec.name,
        created_at=NOW,
        base_url=base_url,
        currency=spec.currency,
        secret_kinds=tuple(spec.secrets),
    )
    return FetchRequest(
        account=account,
        secrets={k: Secret(v) for k, v in spec.secrets.items()},
        now=now,
        timeout=timeout,
        identity_salt="reliability-salt",
    )
