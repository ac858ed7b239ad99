"""DeepSeek: `GET /user/balance` with a normal key.

Answer: `{"is_available": bool, "balance_infos": [{"currency", "total_balance", "granted_balance",
"topped_up_balance"}, ...]}`, amounts as decimal strings, one entry per currency (CNY, USD).

The path is at the root, not under /v1: a base URL ending in /v1 (DeepSeek documents
https://api.deepseek.com/v1 as an OpenAI-compatible base, so many configs carry it) is read without it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ..core.errors import ConfigError
from ..core.i18n import tr, tr_noop
from ..core.models import CurrencyBalance, Snapshot
from ..core.validation import parse_currency
from .base import FetchOutcome, FetchRequest, ProviderInfo
from .http import Fields, base_url_of, get_json

PATH = "/user/balance"


INFO = ProviderInfo(
    name="deepseek",
    display_name="DeepSeek",
    module=__name__,
    default_base_url="https://api.deepseek.com",
    default_currency="CNY",
    billing_url="https://platform.deepseek.com/top_up",
    reads=tr_noop("balance per currency, granted vs topped-up (/user/balance)"),
    not_knowable=tr_noop("when granted balance expires"),
)


class DeepSeekProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        answer = get_json(_without_v1(request, self.info), self.info, PATH)
        root = answer.root()
        available = root.opt_boolean("is_available")
        entries = root.objects("balance_infos")
        balances = [_balance(entry) for entry in entries]
        seen: set[str] = set()
        for entry, bal in zip(entries, balances, strict=True):
            if bal.currency in seen:
                raise entry.bad("currency", tr("repeats {currency}", currency=bal.currency))
            seen.add(bal.currency)

        notes: list[str] = []
        flags: set[str] = set()
        if available is False:
            flags.add("blocked")
            notes.append(
                tr(
                    "DeepSeek says this balance cannot be used for API calls right now (is_available: false); "
                    "it is counted as no spendable credit until DeepSeek lifts that."
                )
            )
        main = _main(balances, request.account.currency, self.info.default_currency)
        if main is None:
            snapshot = Snapshot(
                account_id=request.account.id,
                checked_at=request.now,
                currency=request.account.currency,
                unknown_reason=tr("DeepSeek reported no balance in any currency."),
                flags=frozenset(flags),
                notes=tuple(notes),
            )
            return FetchOutcome(snapshot=snapshot)
        if request.account.currency and main.currency != request.account.currency:
            notes.append(
                tr(
                    "DeepSeek reported no {currency} balance; showing {shown}.",
                    currency=request.account.currency,
                    shown=main.currency,
                )
            )
        for other in balances:
            if other is not main and other.remaining is not None:
                notes.append(
                    tr(
                        "Also {amount} {currency} ({granted} granted, {paid} topped up).",
                        amount=str(other.remaining),
                        currency=other.currency,
                        granted=str(other.remaining_granted),
                        paid=str(other.remaining_paid),
                    )
                )
        for entry, bal in zip(entries, balances, strict=True):
            parts = (bal.remaining_granted or Decimal(0)) + (bal.remaining_paid or Decimal(0))
            if bal.remaining is not None and abs(parts - bal.remaining) > Decimal("0.01"):
                notes.append(
                    tr(
                        "DeepSeek's {currency} total ({total}) is not granted + topped up ({parts}); the total is "
                        "shown ({field}).",
                        currency=bal.currency,
                        total=str(bal.remaining),
                        parts=str(parts),
                        field=entry.name("total_balance"),
                    )
                )
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=main.currency,
            remaining=main.remaining,
            remaining_granted=main.remaining_granted,
            remaining_paid=main.remaining_paid,
            balances=tuple(balances),
            flags=frozenset(flags),
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)


def _without_v1(request: FetchRequest, info: ProviderInfo) -> FetchRequest:
    """The request with a trailing /v1 dropped from its base URL: /v1/user/balance is not DeepSeek's path.
    Same host, so the key goes nowhere else."""
    base = base_url_of(request, info)
    if not base.endswith("/v1"):
        return request
    return replace(request, account=replace(request.account, base_url=base.removesuffix("/v1")))


def _balance(entry: Fields) -> CurrencyBalance:
    raw_currency = entry.text("currency", limit=20)
    try:
        currency = parse_currency(raw_currency)
    except ConfigError:
        raise entry.bad("currency", tr("is not a three-letter currency code")) from None
    return CurrencyBalance(
        currency=currency,
        # Debt is not documented for DeepSeek, but a negative total or top-up is shown, not hidden.
        remaining=entry.decimal("total_balance", negative=True),
        remaining_granted=entry.decimal("granted_balance"),
        remaining_paid=entry.decimal("topped_up_balance", negative=True),
    )


def _main(balances: list[CurrencyBalance], preferred: str | None, default: str | None) -> CurrencyBalance | None:
    """The currency to headline: the account's setting, else the only one with money, else the default."""
    if not balances:
        return None
    by_currency = {b.currency: b for b in balances}
    if preferred and preferred in by_currency:
        return by_currency[preferred]
    funded = [b for b in balances if b.remaining is not None and b.remaining != 0]
    if len(funded) == 1:
        return funded[0]
    if default and default in by_currency:
        return by_currency[default]
    return balances[0]


PROVIDER = DeepSeekProvider()


JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "balance per currency, granted vs topped-up (/user/balance)": (
        "通貨ごとの残高、付与分とチャージ分の内訳（/user/balance）"
    ),
    "when granted balance expires": "付与された残高の有効期限",
    "repeats {currency}": "で {currency} が重複しています",
    "DeepSeek says this balance cannot be used for API calls right now (is_available: false); it is counted as no "
    "spendable credit until DeepSeek lifts that.": (
        "DeepSeek によると、この残高は現在 API 呼び出しに使えません（is_available: false）。DeepSeek が解除するまで、使"
        "えるクレジットはないものとして扱います。"
    ),
    "DeepSeek reported no balance in any currency.": "DeepSeek はどの通貨の残高も報告しませんでした。",
    "DeepSeek reported no {currency} balance; showing {shown}.": (
        "DeepSeek は {currency} の残高を報告しませんでした。{shown} を表示しています。"
    ),
    "Also {amount} {currency} ({granted} granted, {paid} topped up).": (
        "ほかに {amount} {currency}（付与分 {granted}、チャージ分 {paid}）。"
    ),
    "DeepSeek's {currency} total ({total}) is not granted + topped up ({parts}); the total is shown ({field}).": (
        "DeepSeek の {currency} の合計（{total}）が付与分 + チャージ分（{parts}）と一致しません。合計を表示しています（"
        "{field}）。"
    ),
    "is not a three-letter currency code": "が3文字の通貨コードではありません",
}
