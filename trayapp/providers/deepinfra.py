"""DeepInfra: `GET {base}/payment/checklist?compute_owed=true` with a normal key.

Answer (USD numbers; the rest of it is billing address and payment method, never read): `{"stripe_balance":
-99.75, "recent": 3.94, "limit": 20, "suspended": false, "suspend_reason": null, …}`. `stripe_balance` is the
Stripe customer balance, where **negative is prepaid credit** and positive is money owed; `recent` is usage not
yet invoiced, which will be taken from that credit. What can still be spent is `-(stripe_balance + recent)`
($95.81 here), as DeepInfra's dashboard and the public clients compute it; below zero it is owed. `limit` is
a spending limit (-1 or null: none); `suspended: true` means the account cannot make calls.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.i18n import tr, tr_noop
from ..core.models import Snapshot
from ..core.rules import format_money
from ..secrets.keys import scrub
from .base import FetchOutcome, FetchRequest, ProviderInfo
from .http import base_url_without, get_json, secret_values

PATH = "/payment/checklist"
QUERY = {"compute_owed": "true"}
API_SUFFIXES = ("/v1/openai", "/v1")  # the inference APIs' base URLs; billing is at the root

INFO = ProviderInfo(
    name="deepinfra",
    display_name="DeepInfra",
    module=__name__,
    default_base_url="https://api.deepinfra.com",
    default_currency="USD",
    reads=tr_noop(
        "the prepaid balance less usage not yet invoiced, the spending limit and suspension (/payment/checklist)"
    ),
    not_knowable=tr_noop("how much of it was given rather than paid, and when any of it expires"),
)


class DeepInfraProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        request = base_url_without(request, self.info, API_SUFFIXES)
        root = get_json(request, self.info, PATH, params=QUERY).root()
        stripe = root.decimal("stripe_balance", negative=True)
        recent = root.opt_decimal("recent")
        limit = root.opt_decimal("limit", negative=True)
        suspended = root.opt_boolean("suspended")
        reason = root.opt_text("suspend_reason", limit=200)

        remaining = -(stripe + (recent or Decimal(0)))
        notes: list[str] = []
        flags: set[str] = set()
        if recent is None:
            notes.append(tr("DeepInfra did not report usage not yet invoiced: what is left may be lower than shown."))
        elif recent:
            notes.append(
                tr(
                    "{recent} of usage not yet invoiced is already taken off DeepInfra's prepaid balance of {credit}.",
                    recent=format_money(recent, "USD"),
                    credit=format_money(-stripe, "USD"),
                )
            )
        if remaining < 0:
            notes.append(tr("DeepInfra says {amount} is owed.", amount=format_money(-remaining, "USD")))
        if limit is not None and limit > 0:
            notes.append(tr("A spending limit of {limit} is set on this account.", limit=format_money(limit, "USD")))
        if suspended:
            flags.add("blocked")
            said = scrub(reason, secret_values(request), 100).strip() if reason else ""
            notes.append(
                tr(
                    "DeepInfra has suspended this account ({reason}): it cannot make API calls.",
                    reason=said or tr("no reason given"),
                )
            )
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency="USD",
            remaining=remaining,
            flags=frozenset(flags),
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)


PROVIDER = DeepInfraProvider()

JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "the prepaid balance less usage not yet invoiced, the spending limit and suspension (/payment/checklist)": (
        "前払い残高から未請求の利用分を引いた額、利用上限、停止状態（/payment/checklist）"
    ),
    "how much of it was given rather than paid, and when any of it expires": (
        "そのうち支払い分ではなく付与分がいくらか、また有効期限"
    ),
    "DeepInfra did not report usage not yet invoiced: what is left may be lower than shown.": (
        "DeepInfra は未請求の利用分を報告しませんでした。実際の残りは表示より少ない可能性があります。"
    ),
    "{recent} of usage not yet invoiced is already taken off DeepInfra's prepaid balance of {credit}.": (
        "未請求の利用分 {recent} を、DeepInfra の前払い残高 {credit} から差し引いてあります。"
    ),
    "DeepInfra says {amount} is owed.": "DeepInfra によると未払い額は {amount} です。",
    "A spending limit of {limit} is set on this account.": "このアカウントには利用上限 {limit} が設定されています。",
    "DeepInfra has suspended this account ({reason}): it cannot make API calls.": (
        "DeepInfra はこのアカウントを停止しています（{reason}）。API を呼び出せません。"
    ),
    "no reason given": "理由の記載なし",
}
