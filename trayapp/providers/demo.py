"""Built-in sample accounts: every state and every alert, with no network and no keyring.

Only this provider is fake: with --demo the app runs every other code path as for real accounts.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from ..core.errors import ProviderError
from ..core.history import Reading, reading_of
from ..core.i18n import tr, tr_noop
from ..core.identity import hash_email, hash_phone, mask_email, mask_phone
from ..core.models import Account, ErrorKind, Identity, Snapshot
from . import openai
from .base import FetchOutcome, FetchRequest, ProviderInfo

DEMO_PHONE = "+1 555 0100 200"


def demo_accounts(now: datetime) -> list[Account]:
    def acct(id_: str, label: str, scenario: str, days_old: int) -> Account:
        return Account(
            id=id_,
            provider="demo",
            label=label,
            created_at=now - timedelta(days=days_old),
            options={"scenario": scenario},
        )

    return [
        acct("demo-healthy", "DeepSeek (demo)", "healthy", 200),
        acct("demo-low", "OpenRouter (demo)", "low", 150),
        acct("demo-zero", "Moonshot (demo)", "zero", 120),
        acct("demo-expiring", "OpenAI trial (demo)", "expiring", 80),
        acct("demo-main", "OpenAI main (demo)", "main", 60),
        acct("demo-alias", "OpenAI alias (demo)", "alias", 20),
        acct("demo-pack", "Zhipu (demo)", "pack", 45),
        acct("demo-points", "Poe (demo)", "points", 90),
    ]


INFO = ProviderInfo(
    name="demo",
    display_name="Demo",
    module=__name__,
    default_base_url=None,
    default_currency="USD",
    reads=tr_noop("built-in sample data; no network, no keyring"),
    needs_network=False,
    sample=True,
    # The sample accounts retell OpenAI's cases (a second account, a Gmail alias): told in OpenAI's terms.
    explanations=openai.INFO.explanations,
    help_links=openai.INFO.help_links,
)


class DemoProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        scenario = str(request.account.options.get("scenario", "healthy"))
        now = request.now
        base = Snapshot(account_id=request.account.id, checked_at=now)
        salt = request.identity_salt or "demo"
        d = Decimal
        if scenario == "healthy":
            snap = replace(
                base,
                currency="CNY",
                remaining=d("82.40"),
                remaining_granted=d("10.00"),
                remaining_paid=d("72.40"),
            )
        elif scenario == "low":
            snap = replace(base, currency="USD", remaining=d("1.85"), granted_total=d("10.00"), used=d("8.15"))
        elif scenario == "zero":
            snap = replace(
                base,
                currency="CNY",
                remaining=d("0"),
                remaining_granted=d("0"),
                remaining_paid=d("0"),
                flags=frozenset({"blocked"}),
            )
        elif scenario == "expiring":
            expires = (now + timedelta(days=5)).replace(hour=0, minute=0, second=0, microsecond=0)
            snap = replace(
                base,
                currency="USD",
                remaining=d("3.20"),
                remaining_granted=d("3.20"),
                remaining_paid=d("0"),
                granted_total=d("5.00"),
                used=d("1.80"),
                expires_at=expires,
            )
        elif scenario in ("main", "alias"):
            first = scenario == "main"
            email = "pat.example@gmail.com" if first else "patexample+api@googlemail.com"
            identity = Identity(
                user_id="user-demo-main" if first else "user-demo-alias",
                created=now - timedelta(days=60 if first else 20),
                org_ids=("org-demo-1" if first else "org-demo-2",),
                org_names=("Personal",),
                email_hash=hash_email(salt, email),
                phone_hash=hash_phone(salt, DEMO_PHONE),
                email_masked=mask_email(email),
                phone_masked=mask_phone(DEMO_PHONE),
            )
            snap = replace(
                base,
                currency="USD",
                remaining=d("14.50") if first else d("0"),
                remaining_granted=d("4.50") if first else d("0"),
                remaining_paid=d("10.00") if first else d("0"),
                granted_total=d("5.00") if first else d("0"),
                identity=identity,
                expires_at=(now + timedelta(days=70)).replace(hour=0, minute=0, second=0, microsecond=0)
                if first
                else None,
            )
        elif scenario == "pack":
            # Zhipu: a wallet that does not expire beside a gifted token pack that does, in 4 days at any time
            # of day: 3 d 20 h ahead, give or take an hour, so it is always nearer than the trial's (4-5 d).
            expires = (now + timedelta(days=3, hours=20)).replace(minute=50, second=0, microsecond=0)
            pack = tr(
                "Gifted resource pack {name}: {count}{of} {unit} left, {expiry}.",
                name="GLM-4.6 200万 tokens",
                count="1,500,000",
                of=tr(" of {size}", size="2,000,000"),
                unit=tr("tokens"),
                expiry=tr(
                    "expires {when} (China time)", when=(expires + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
                ),
            )
            snap = replace(
                base,
                currency="CNY",
                remaining=d("42.57"),
                granted_total=d("10.00"),
                used=d("7.43"),
                expires_at=expires,
                flags=frozenset({"expiry_outside_balance"}),
                notes=(pack,),
            )
        elif scenario == "points":
            # Poe: a balance in the provider's points, not money.
            snap = replace(base, currency="points", remaining=d("18450"))
        elif scenario == "invalid":
            raise ProviderError(
                ErrorKind.AUTH,
                tr("Key rejected"),
                tr("Demo: the provider answered 401: the key is invalid or was revoked."),
                provider="demo",
            )
        else:
            raise ProviderError(
                ErrorKind.CONFIG,
                tr("Unknown demo scenario"),
                tr("'{scenario}' is not a demo scenario", scenario=scenario),
            )
        return FetchOutcome(snapshot=snap, cache={"demo_polls": int(request.cache.get("demo_polls", 0)) + 1})


PROVIDER = DemoProvider()


# ---------------------------------------------------------------- a few weeks of history, for the chart

HISTORY_DAYS = 28
# scenario: (currency, spend per day, top-ups as (days ago, amount))
_HISTORY_PLAN: dict[str, tuple[str, Decimal, tuple[tuple[int, Decimal], ...]]] = {
    "healthy": ("CNY", Decimal("1.6"), ((11, Decimal(50)),)),
    "low": ("USD", Decimal("0.45"), ()),
    "zero": ("CNY", Decimal("1.5"), ((18, Decimal(20)),)),
    "expiring": ("USD", Decimal("0.02"), ()),
    "main": ("USD", Decimal("0.015"), ((20, Decimal(10)),)),
    "alias": ("USD", Decimal(0), ()),
    "pack": ("CNY", Decimal("0.3"), ()),
    "points": ("points", Decimal("1500"), ((6, Decimal(20000)),)),
}


def demo_history(accounts: Sequence[Account], now: datetime) -> list[Reading]:
    """Hourly readings for the last four weeks that end where the demo provider's numbers are now:
    spending mostly in working hours, top-ups, a short outage. Deterministic for a given `now`."""
    readings: list[Reading] = []
    end = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    for account in accounts:
        scenario = str(account.options.get("scenario", "healthy"))
        plan = _HISTORY_PLAN.get(scenario)
        if plan is None:
            continue
        currency, per_day, topups = plan
        current = PROVIDER.fetch(FetchRequest(account=account, secrets={}, now=now, identity_salt="demo")).snapshot
        assert current is not None and current.remaining is not None
        rng = random.Random(f"{account.id}-history")
        remaining = current.remaining
        cent = Decimal("0.01")
        series: list[Reading] = []
        for h in range(HISTORY_DAYS * 24):
            at = end - timedelta(hours=h)
            days_ago = (now - at).days
            if scenario == "zero" and days_ago < 3:
                spend = Decimal(0)
            else:
                busy = 9 <= at.hour < 19 and at.weekday() < 5
                weight = Decimal("2.1") if busy else Decimal("0.3")
                spend = (per_day / 24 * weight * Decimal(rng.uniform(0.2, 1.8))).quantize(Decimal("0.0001"))
            alerts = ("credit_zero",) if remaining <= 0 else (("credit_low",) if remaining <= 5 else ())
            if scenario == "healthy" and days_ago == 9 and 14 <= at.hour < 17:
                series.append(reading_of(account.id, at, "stale", None, ErrorKind.NETWORK.value, alerts))
            else:
                value = remaining.quantize(cent)
                granted, paid = _split(scenario, value, current, topped_up=h < 20 * 24)
                series.append(
                    Reading(
                        account.id,
                        at,
                        "ok",
                        currency=currency,
                        remaining=value,
                        remaining_granted=granted,
                        remaining_paid=paid,
                        granted_total=current.granted_total,
                        used=None if current.used is None else current.used - (current.remaining - value),
                        expires_at=current.expires_at,
                        alerts=alerts,
                    )
                )
            # One hour further back: what was spent in this hour was still there; a top-up was not yet.
            remaining += spend
            for topup_days, amount in topups:
                if h == topup_days * 24:
                    remaining -= amount
            if scenario == "low":
                remaining = min(remaining, Decimal(10))  # the grant: nothing was spent before it
        readings.extend(reversed(series))
    return readings


def _split(
    scenario: str, remaining: Decimal, current: Snapshot, *, topped_up: bool
) -> tuple[Decimal | None, Decimal | None]:
    """(granted, paid) of a past reading: trial credit is spent first; top-ups are paid credit."""
    if scenario == "healthy":
        return Decimal("10.00"), remaining - Decimal("10.00")
    if scenario == "main":
        paid = Decimal("10.00") if topped_up else Decimal("0.00")
        return remaining - paid, paid
    if scenario == "expiring":
        return remaining, Decimal("0.00")
    if scenario == "zero":
        return Decimal("0.00"), remaining
    return current.remaining_granted, current.remaining_paid


JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "built-in sample data; no network, no keyring": "組み込みのサンプルデータ（ネットワークもキーリングも使いません）",
    "Demo: the provider answered 401: the key is invalid or was revoked.": (
        "デモ: プロバイダーが 401 を返しました。キーが無効か、取り消されています。"
    ),
    "Unknown demo scenario": "不明なデモのシナリオ",
    "'{scenario}' is not a demo scenario": "「{scenario}」はデモのシナリオではありません",
}
