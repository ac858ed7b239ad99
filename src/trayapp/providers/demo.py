"""Built-in sample accounts: every state and every alert, with no network and no keyring.

Only this provider is fake: with --demo the app runs every other code path as for real accounts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from ..core.errors import ProviderError
from ..core.identity import hash_email, hash_phone, mask_email, mask_phone
from ..core.models import Account, ErrorKind, Identity, Snapshot
from .base import FetchOutcome, FetchRequest
from .catalog import info

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
    ]


class DemoProvider:
    info = info("demo")

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
        elif scenario == "invalid":
            raise ProviderError(
                ErrorKind.AUTH,
                "Key rejected",
                "Demo: the provider answered 401: the key is invalid or was revoked.",
                provider="demo",
            )
        else:
            raise ProviderError(ErrorKind.CONFIG, "Unknown demo scenario", f"'{scenario}' is not a demo scenario")
        return FetchOutcome(snapshot=snap, cache={"demo_polls": int(request.cache.get("demo_polls", 0)) + 1})


PROVIDER = DemoProvider()
