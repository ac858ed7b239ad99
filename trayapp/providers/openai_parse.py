"""OpenAI answers to models, and the grant arithmetic: pure functions, no I/O, no SDK.

Every shape comes from ../shared/reference/provider-apis.md §1-3. Unknown fields are ignored and
optional fields may be missing; a field we rely on with the wrong type raises BadResponse naming
the endpoint and the field, never a guessed number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from ..core.errors import BadResponse
from ..core.i18n import tr
from ..core.identity import hash_email, hash_phone, mask_email, mask_phone
from ..core.models import Grant, Identity

PROVIDER = "OpenAI"
ZERO = Decimal(0)
MAX_AMOUNT = Decimal("1e12")  # as in the shared HTTP layer: larger is a broken answer, not money


# ---------------------------------------------------------------- field readers


def _obj(value: object, endpoint: str, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BadResponse(PROVIDER, endpoint, name, tr("is not an object"))
    return value


def _list(value: object, endpoint: str, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise BadResponse(PROVIDER, endpoint, name, tr("is not a list"))
    return value


def _num(value: object, endpoint: str, name: str, *, optional: bool = False) -> Decimal | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadResponse(PROVIDER, endpoint, name, tr("is missing or not a number"))
    try:
        result = Decimal(str(value))
    except ArithmeticError:
        raise BadResponse(PROVIDER, endpoint, name, tr("is not a number")) from None
    if not result.is_finite():
        raise BadResponse(PROVIDER, endpoint, name, tr("is not a finite number"))
    if result.copy_abs() >= MAX_AMOUNT:
        raise BadResponse(PROVIDER, endpoint, name, tr("is far larger than any real amount"))
    return result


def _amount(value: object, endpoint: str, name: str) -> Decimal:
    result = _num(value, endpoint, name)
    assert result is not None
    if result < 0:
        raise BadResponse(PROVIDER, endpoint, name, tr("is negative"))
    return result


def _ts(value: object, endpoint: str, name: str, *, optional: bool = True) -> datetime | None:
    """Unix seconds (int or float) to an aware UTC datetime."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadResponse(PROVIDER, endpoint, name, tr("is not a Unix time in seconds"))
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (OverflowError, OSError, ValueError):
        raise BadResponse(PROVIDER, endpoint, name, tr("is not a Unix time in seconds")) from None


def _opt_str(value: object, endpoint: str, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadResponse(PROVIDER, endpoint, name, tr("is not a string"))
    return value


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


# ---------------------------------------------------------------- /v1/me


@dataclass(frozen=True)
class Me:
    identity: Identity
    org_slugs: tuple[str, ...]  # orgs[].name: what the openai-organization header carries
    personal: tuple[bool, ...]  # per org, in the order of identity.org_ids


def parse_me(data: object, salt: str) -> Me:
    ep = "GET /v1/me"
    body = _obj(data, ep, "(body)")
    user_id = body.get("id")
    if not isinstance(user_id, str) or not user_id:
        raise BadResponse(PROVIDER, ep, "id", tr("is missing or not a string"))
    created = _ts(body.get("created"), ep, "created")
    email = _opt_str(body.get("email"), ep, "email")
    phone = _opt_str(body.get("phone_number"), ep, "phone_number")
    ids: list[str] = []
    names: list[str] = []
    slugs: list[str] = []
    personal: list[bool] = []
    orgs = body.get("orgs")
    if orgs is not None:
        data_list = _list(_obj(orgs, ep, "orgs").get("data"), ep, "orgs.data")
        for i, raw in enumerate(data_list):
            org = _obj(raw, ep, f"orgs.data[{i}]")
            org_id = org.get("id")
            if not isinstance(org_id, str):
                raise BadResponse(PROVIDER, ep, f"orgs.data[{i}].id", tr("is missing or not a string"))
            slug = _opt_str(org.get("name"), ep, f"orgs.data[{i}].name")
            title = _opt_str(org.get("title"), ep, f"orgs.data[{i}].title")
            ids.append(org_id)
            names.append(title or slug or org_id)
            slugs.append(slug or "")
            personal.append(org.get("personal") is True)
    identity = Identity(
        user_id=user_id,
        created=created,
        org_ids=tuple(ids),
        org_names=tuple(names),
        email_hash=hash_email(salt, email),
        phone_hash=hash_phone(salt, phone),
        email_masked=mask_email(email),
        phone_masked=mask_phone(phone),
    )
    return Me(identity, tuple(slugs), tuple(personal))


# ---------------------------------------------------------------- credit_grants (+ subscription)


@dataclass(frozen=True)
class ProviderGrant:
    grant: Grant
    effective_at: datetime | None
    expires_at: datetime | None


@dataclass(frozen=True)
class CreditSummary:
    total_granted: Decimal | None
    total_used: Decimal | None
    total_available: Decimal | None
    grants: tuple[ProviderGrant, ...]


def _grant_kind(raw: Mapping[str, Any]) -> str:
    """Promotional vs purchased is not documented in the answer; read it only if a field says so."""
    for name in ("grant_type", "type", "category"):
        value = raw.get(name)
        if isinstance(value, str) and any(w in value.lower() for w in ("purchase", "paid", "prepaid")):
            return "paid"
    return "granted"


def parse_credit_grants(data: object, endpoint: str) -> CreditSummary:
    body = _obj(data, endpoint, "(body)")
    grants: list[ProviderGrant] = []
    raw_grants = body.get("grants")
    if raw_grants is not None:
        items = _list(_obj(raw_grants, endpoint, "grants").get("data"), endpoint, "grants.data")
        for i, raw in enumerate(items):
            g = _obj(raw, endpoint, f"grants.data[{i}]")
            amount = _amount(g.get("grant_amount"), endpoint, f"grants.data[{i}].grant_amount")
            used = _amount(g.get("used_amount"), endpoint, f"grants.data[{i}].used_amount")
            effective_at = _ts(g.get("effective_at"), endpoint, f"grants.data[{i}].effective_at")
            expires_at = _ts(g.get("expires_at"), endpoint, f"grants.data[{i}].expires_at")
            grant = Grant(
                amount=amount,
                currency="USD",
                effective=effective_at.date() if effective_at else None,
                expires=expires_at.date() if expires_at else None,
                used=used,
                source="provider",
                kind=_grant_kind(g),
            )
            grants.append(ProviderGrant(grant, effective_at, expires_at))
    totals = {
        name: _num(body.get(name), endpoint, name, optional=True)
        for name in ("total_granted", "total_used", "total_available")
    }
    if raw_grants is None and totals["total_available"] is None:
        raise BadResponse(PROVIDER, endpoint, "total_available", tr("is missing (and there is no grants list)"))
    return CreditSummary(totals["total_granted"], totals["total_used"], totals["total_available"], tuple(grants))


@dataclass(frozen=True)
class GrantTotals:
    granted_total: Decimal | None
    used: Decimal | None
    remaining: Decimal | None
    remaining_granted: Decimal | None
    remaining_paid: Decimal | None
    expires_at: datetime | None  # the nearest expiry of a live grant with credit left


def grant_totals(summary: CreditSummary, now: datetime) -> GrantTotals:
    """Sums over the grants still live at `now`; expired grants and used-up grants never count."""
    if not summary.grants:
        return GrantTotals(summary.total_granted, summary.total_used, summary.total_available, None, None, None)
    live = [g for g in summary.grants if g.expires_at is None or g.expires_at > now]
    granted = sum((g.grant.amount for g in live), ZERO)
    used = sum((g.grant.used or ZERO for g in live), ZERO)
    left = {id(g): g.grant.left or ZERO for g in live}
    expiries = [g.expires_at for g in live if g.expires_at is not None and left[id(g)] > 0]
    return GrantTotals(
        granted_total=granted,
        used=used,
        remaining=sum(left.values(), ZERO),
        remaining_granted=sum((left[id(g)] for g in live if g.grant.kind != "paid"), ZERO),
        remaining_paid=sum((left[id(g)] for g in live if g.grant.kind == "paid"), ZERO),
        expires_at=min(expiries) if expiries else None,
    )


@dataclass(frozen=True)
class Subscription:
    plan_id: str | None
    plan_title: str | None
    hard_limit_usd: Decimal | None
    access_until: datetime | None
    has_payment_method: bool | None


def parse_subscription(data: object) -> Subscription:
    ep = "GET /dashboard/billing/subscription"
    body = _obj(data, ep, "(body)")
    plan = body.get("plan")
    plan_obj = _obj(plan, ep, "plan") if plan is not None else {}
    hpm = body.get("has_payment_method")
    return Subscription(
        plan_id=_opt_str(plan_obj.get("id"), ep, "plan.id"),
        plan_title=_opt_str(plan_obj.get("title"), ep, "plan.title"),
        hard_limit_usd=_num(body.get("hard_limit_usd"), ep, "hard_limit_usd", optional=True),
        access_until=_ts(body.get("access_until"), ep, "access_until"),
        has_payment_method=hpm if isinstance(hpm, bool) else None,
    )


# ---------------------------------------------------------------- admin: costs and spend limit


@dataclass(frozen=True)
class CostPage:
    buckets: tuple[tuple[datetime, Decimal], ...]  # (bucket start, USD spent that day)
    next_page: str | None


def parse_costs_page(data: object) -> CostPage:
    ep = "GET /v1/organization/costs"
    body = _obj(data, ep, "(body)")
    buckets: list[tuple[datetime, Decimal]] = []
    for i, raw in enumerate(_list(body.get("data"), ep, "data")):
        bucket = _obj(raw, ep, f"data[{i}]")
        start = _ts(bucket.get("start_time"), ep, f"data[{i}].start_time", optional=False)
        assert start is not None
        total = ZERO
        for j, res in enumerate(_list(bucket.get("results", []), ep, f"data[{i}].results")):
            result = _obj(res, ep, f"data[{i}].results[{j}]")
            amount = _obj(result.get("amount"), ep, f"data[{i}].results[{j}].amount")
            currency = amount.get("currency", "usd")
            if not isinstance(currency, str) or currency.lower() != "usd":
                raise BadResponse(
                    PROVIDER,
                    ep,
                    f"data[{i}].results[{j}].amount.currency",
                    tr("is {currency}, not usd", currency=repr(currency)),
                )
            value = _num(amount.get("value"), ep, f"data[{i}].results[{j}].amount.value")
            assert value is not None
            total += value
        buckets.append((start, total))
    next_page = body.get("next_page")
    has_more = body.get("has_more")
    if next_page is not None and not isinstance(next_page, str):
        raise BadResponse(PROVIDER, ep, "next_page", tr("is not a string"))
    if has_more is True and not next_page:
        raise BadResponse(PROVIDER, ep, "next_page", tr("is missing although has_more is true"))
    return CostPage(tuple(buckets), next_page if has_more is not False else None)


@dataclass(frozen=True)
class SpendLimit:
    enforcing: bool
    threshold_usd: Decimal | None  # threshold_amount is in cents
    interval: str | None


def parse_spend_limit(data: object) -> SpendLimit:
    ep = "GET /v1/organization/spend_limit"
    body = _obj(data, ep, "(body)")
    enforcement = body.get("enforcement")
    status = None
    if enforcement is not None:
        status = _opt_str(_obj(enforcement, ep, "enforcement").get("status"), ep, "enforcement.status")
    cents = _num(body.get("threshold_amount"), ep, "threshold_amount", optional=True)
    return SpendLimit(
        enforcing=status == "enforcing",
        threshold_usd=None if cents is None else cents / 100,
        interval=_opt_str(body.get("interval"), ep, "interval"),
    )


# ---------------------------------------------------------------- user grants minus costs


@dataclass(frozen=True)
class Allocation:
    grants: tuple[Grant, ...]  # the user's grants with `used` filled in (same order as given)
    unallocated: Decimal  # spend no live grant could cover (a grant is probably missing)


def allocate_costs(grants: Sequence[Grant], buckets: Sequence[tuple[datetime, Decimal]]) -> Allocation:
    """Spend each day's cost on the grants effective that day, the one expiring first first.

    A grant covers days from its effective date (inclusive) to its expiry date (exclusive); a grant
    without an expiry is consumed last. Costs before every grant, or beyond all of them, are
    returned as `unallocated`.
    """
    order = sorted(
        range(len(grants)),
        key=lambda i: (
            grants[i].expires is None,
            grants[i].expires or date.max,
            grants[i].effective or date.min,
        ),
    )
    used = [ZERO] * len(grants)
    unallocated = ZERO
    for start, cost in sorted(buckets):
        day = start.astimezone(UTC).date()
        left = cost
        for i in order:
            g = grants[i]
            if left <= 0:
                break
            if g.effective is None or g.effective > day or (g.expires is not None and day >= g.expires):
                continue
            take = min(left, g.amount - used[i])
            if take > 0:
                used[i] += take
                left -= take
        unallocated += max(ZERO, left)
    return Allocation(tuple(replace(g, used=used[i]) for i, g in enumerate(grants)), unallocated)
