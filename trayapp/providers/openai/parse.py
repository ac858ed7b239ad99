"""OpenAI answers to models, and the grant arithmetic: pure functions, no I/O, no SDK.

Every shape comes from ../shared/reference/provider-apis.md §1-3. Unknown fields are ignored and
optional fields may be missing; a field we rely on with the wrong type raises BadResponse naming
the endpoint and the field, never a guessed number. Fields are read with the shared readers
(http.Fields), so amounts obey the same rules as every other provider's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal

from ...core.i18n import tr
from ...core.identity import hash_email, hash_phone, mask_email, mask_phone
from ...core.models import ErrorKind, Grant, Identity
from ..base import ProviderInfo
from ..http import Fields, HttpFailure, JsonAnswer

ZERO = Decimal(0)
MAX_TEXT = 320  # characters of a name, an email or a page token: longer is not OpenAI's


def _info() -> ProviderInfo:
    # Looked up when an answer is read, not at import: the catalog may be importing this provider then.
    from ..catalog import info

    return info("openai")


def _root(data: object, endpoint: str) -> Fields:
    return JsonAnswer(_info(), endpoint, data, {}).root()


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


# ---------------------------------------------------------------- what a refusal says

_SCOPES = re.compile(r"missing scopes?:\s*([\w.]+(?:\s*,\s*[\w.]+)*)", re.IGNORECASE)
SUPPORTED_COUNTRIES = "https://help.openai.com/en/articles/5347006"


def missing_scopes(said: str) -> str | None:
    """The scopes a restricted key lacks, from OpenAI's "… Missing scopes: api.model.read. Check …"."""
    match = _SCOPES.search(said)
    return match.group(1).rstrip(".") if match else None


def is_region(codes: tuple[str, ...], said: str) -> bool:
    """403 unsupported_country_region_territory ("Country, region, or territory not supported")."""
    text = " ".join((said.lower(), *codes))
    return "unsupported_country" in text or ("country" in text and ("region" in text or "territory" in text))


def region_refused(exc: HttpFailure) -> bool:
    """A refusal of where the request comes from: every endpoint answers it, so it is never swallowed."""
    return exc.status == 403 and is_region(exc.codes, exc.said)


def scope_missing(exc: HttpFailure) -> str | None:
    """The scopes a restricted key lacks when that is what refused it: the key itself is alive."""
    return missing_scopes(exc.said) if exc.kind is ErrorKind.PERMISSION else None


# ---------------------------------------------------------------- /v1/me


@dataclass(frozen=True)
class Me:
    identity: Identity
    org_slugs: tuple[str, ...]  # orgs[].name: what the openai-organization header carries
    personal: tuple[bool, ...]  # per org, in the order of identity.org_ids


def parse_me(data: object, salt: str) -> Me:
    body = _root(data, "GET /v1/me")
    user_id = body.text("id", MAX_TEXT)
    if not user_id:
        raise body.bad("id", tr("is missing"))
    created = body.opt_unix_time("created")
    email = body.opt_text("email", MAX_TEXT)
    phone = body.opt_text("phone_number", MAX_TEXT)
    ids: list[str] = []
    names: list[str] = []
    slugs: list[str] = []
    personal: list[bool] = []
    if body.has("orgs"):
        for org in body.obj("orgs").objects("data"):
            org_id = org.text("id", MAX_TEXT)
            slug = org.opt_text("name", MAX_TEXT)
            title = org.opt_text("title", MAX_TEXT)
            ids.append(org_id)
            names.append(title or slug or org_id)
            slugs.append(slug or "")
            personal.append(org.raw("personal") is True)
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
    currency: str = "USD"


def currency_code(value: str | None) -> str:
    """ISO 4217, upper case, whatever case the answer or the account used ("usd" is USD); USD when unsaid."""
    code = (value or "").strip().upper()
    return code if len(code) == 3 and code.isalpha() else "USD"


def _grant_kind(raw: Fields) -> str:
    """Promotional vs purchased is not documented in the answer; read it only if a field says so."""
    for name in ("grant_type", "type", "category"):
        value = raw.raw(name)
        if isinstance(value, str) and any(w in value.lower() for w in ("purchase", "paid", "prepaid")):
            return "paid"
    return "granted"


def parse_credit_grants(data: object, endpoint: str) -> CreditSummary:
    body = _root(data, endpoint)
    currency = currency_code(body.opt_text("currency", 16))
    grants: list[ProviderGrant] = []
    if body.has("grants"):
        for g in body.obj("grants").objects("data"):
            effective_at = g.opt_unix_time("effective_at")
            expires_at = g.opt_unix_time("expires_at")
            grant = Grant(
                amount=g.decimal("grant_amount"),
                currency=currency_code(g.opt_text("currency", 16) or currency),
                effective=effective_at.date() if effective_at else None,
                expires=expires_at.date() if expires_at else None,
                used=g.decimal("used_amount"),
                source="provider",
                kind=_grant_kind(g),
            )
            grants.append(ProviderGrant(grant, effective_at, expires_at))
    totals = {
        name: body.opt_decimal(name, negative=True) for name in ("total_granted", "total_used", "total_available")
    }
    if not body.has("grants") and totals["total_available"] is None:
        raise body.bad("total_available", tr("is missing (and there is no grants list)"))
    return CreditSummary(
        totals["total_granted"], totals["total_used"], totals["total_available"], tuple(grants), currency
    )


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
    body = _root(data, "GET /dashboard/billing/subscription")
    plan = body.obj("plan") if body.has("plan") else None
    hpm = body.raw("has_payment_method")
    return Subscription(
        plan_id=plan.opt_text("id", MAX_TEXT) if plan else None,
        plan_title=plan.opt_text("title", MAX_TEXT) if plan else None,
        hard_limit_usd=body.opt_decimal("hard_limit_usd", negative=True),
        access_until=body.opt_unix_time("access_until"),
        has_payment_method=hpm if isinstance(hpm, bool) else None,
    )


# ---------------------------------------------------------------- admin: costs and spend limit


@dataclass(frozen=True)
class CostPage:
    buckets: tuple[tuple[datetime, Decimal], ...]  # (bucket start, USD spent that day)
    next_page: str | None


def parse_costs_page(data: object) -> CostPage:
    body = _root(data, "GET /v1/organization/costs")
    buckets: list[tuple[datetime, Decimal]] = []
    for bucket in body.objects("data"):
        start = bucket.unix_time("start_time")
        total = ZERO
        # A bucket without the list has no costs; a list that is there must be one.
        for result in bucket.objects("results") if "results" in bucket.data else []:
            amount = result.obj("amount")
            currency = amount.raw("currency") if "currency" in amount.data else "usd"
            if not isinstance(currency, str) or currency.lower() != "usd":
                raise amount.bad("currency", tr("is {currency}, not usd", currency=repr(currency)))
            total += amount.decimal("value", negative=True)
        buckets.append((start, total))
    next_page = body.opt_text("next_page", 10_000)
    has_more = body.raw("has_more")
    if has_more is True and not next_page:
        raise body.bad("next_page", tr("is missing although has_more is true"))
    return CostPage(tuple(buckets), next_page if has_more is not False else None)


@dataclass(frozen=True)
class SpendLimit:
    enforcing: bool
    threshold_usd: Decimal | None  # threshold_amount is in cents
    interval: str | None


def parse_spend_limit(data: object) -> SpendLimit:
    body = _root(data, "GET /v1/organization/spend_limit")
    status = body.obj("enforcement").opt_text("status") if body.has("enforcement") else None
    cents = body.opt_decimal("threshold_amount", negative=True)
    return SpendLimit(
        enforcing=status == "enforcing",
        threshold_usd=None if cents is None else cents / 100,
        interval=body.opt_text("interval"),
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
