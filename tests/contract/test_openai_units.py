"""The pure parts of the OpenAI provider: key kinds, scrubbing and Retry-After (the shared ones), the grant
arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from trayapp.core.models import Grant
from trayapp.providers.http import retry_after_of, scrub
from trayapp.providers.openai import key_kind
from trayapp.providers.openai.parse import allocate_costs
from trayapp.secrets.secret import Secret


def test_key_kinds_by_prefix() -> None:
    kinds = {p: key_kind(Secret(p + "abc123")) for p in ("sk-", "sk-proj-", "sk-svcacct-", "sess-", "sk-admin-")}
    assert kinds == {
        "sk-": "api",
        "sk-proj-": "api",
        "sk-svcacct-": "api",
        "sess-": "session",
        "sk-admin-": "admin",
    }


def test_scrub_removes_our_keys_and_anything_key_like() -> None:
    ours = Secret("weird-key-without-prefix-123")
    text = "Incorrect API key provided: sk-proj-****abcd; also sess-XYZ123456 and weird-key-without-prefix-123"
    cleaned = scrub(text, [ours.reveal()])
    assert "abcd" not in cleaned and "XYZ123456" not in cleaned and "weird-key" not in cleaned
    assert "sk-proj-***" in cleaned and "sess-***" in cleaned


def test_retry_after_seconds_ms_and_http_date() -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert retry_after_of({"retry-after": "12"}) == 12
    assert retry_after_of({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after_of({"retry-after": "Sat, 28 Nov 2026 12:01:00 GMT"}, now) == 60
    assert retry_after_of({"retry-after": "soon"}) is None
    assert retry_after_of({}) is None


def test_grant_without_expiry_is_consumed_last_and_costs_before_any_grant_are_unallocated() -> None:
    forever = Grant(Decimal(10), effective=date(2026, 1, 1))
    expiring = Grant(Decimal(3), effective=date(2026, 1, 1), expires=date(2026, 6, 1))
    day = datetime(2026, 2, 1, tzinfo=UTC)
    before = datetime(2025, 12, 31, tzinfo=UTC)
    result = allocate_costs([forever, expiring], [(day, Decimal(4)), (before, Decimal(2))])
    assert [g.used for g in result.grants] == [Decimal(1), Decimal(3)]
    assert result.unallocated == Decimal(2)
