"""StepFun: `GET {base}/accounts` (base ends in /v1) with a normal key.

Answer: `{"object": "account", "type": "prepaid" | "postpaid", "balance": 0.00, "total_cash_balance": 0.00,
"total_voucher_balance": 26.00}`, numbers without a currency: CNY on stepfun.com, USD on stepfun.ai (the
two platforms are separate accounts). `balance` is what is left; the cash and voucher figures are lifetime
totals (deposited, given), not what is left of each, so they never stand in for the remaining credit.
"""

from __future__ import annotations

from ..core.i18n import tr, tr_noop
from ..core.models import Snapshot
from .base import FetchOutcome, FetchRequest, ProviderInfo
from .http import base_url_of, get_json

PATH = "/accounts"

INFO = ProviderInfo(
    name="stepfun",
    display_name="StepFun",
    module=__name__,
    default_base_url="https://api.stepfun.com/v1",
    default_currency=None,
    currency_by_host={"stepfun.com": "CNY", "stepfun.ai": "USD"},
    reads=tr_noop("the available balance, and the totals ever topped up and given (/v1/accounts)"),
    not_knowable=tr_noop("how much of the balance is given (voucher) credit, and when it expires"),
)


class StepFunProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        answer = get_json(request, self.info, PATH)
        root = answer.root()
        balance = root.decimal("balance", negative=True)  # a postpaid account may owe
        voucher_total = root.opt_decimal("total_voucher_balance")
        kind = root.opt_text("type", limit=40)

        notes: list[str] = []
        if kind == "postpaid":
            notes.append(
                tr("StepFun bills this account after use (postpaid): the balance shown is not a spending limit.")
            )
        currency = self.info.currency_for(base_url_of(request, self.info), request.account.currency)
        if currency is None:
            notes.append(
                tr(
                    "StepFun's answer has no currency and this host does not tell (stepfun.com is CNY, stepfun.ai "
                    "is USD): set the account's currency."
                )
            )
        if voucher_total:
            notes.append(
                tr(
                    "StepFun does not say when given credit expires"
                    ": enter it under Credit grants in Edit account (or `trayapp accounts grant`)."
                )
            )
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=currency,
            remaining=balance,
            granted_total=voucher_total,
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)


PROVIDER = StepFunProvider()

JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "the available balance, and the totals ever topped up and given (/v1/accounts)": (
        "利用可能残高と、これまでのチャージ額・付与額の合計（/v1/accounts）"
    ),
    "how much of the balance is given (voucher) credit, and when it expires": (
        "残高のうち付与（バウチャー）分がいくらか、またその有効期限"
    ),
    "StepFun bills this account after use (postpaid): the balance shown is not a spending limit.": (
        "StepFun はこのアカウントを後払いで請求します。表示している残高は利用上限ではありません。"
    ),
    "StepFun's answer has no currency and this host does not tell (stepfun.com is CNY, stepfun.ai is USD): set "
    "the account's currency.": (
        "StepFun の応答には通貨がなく、このホストからも判定できません（stepfun.com は CNY、stepfun.ai は USD）。"
        "アカウントの通貨を設定してください。"
    ),
    "StepFun does not say when given credit expires"
    ": enter it under Credit grants in Edit account (or `trayapp accounts grant`).": (
        "StepFun は付与クレジットの有効期限を示しません。"
        "「アカウントの編集」の「クレジット付与」（または `trayapp accounts grant`）で入力してください。"
    ),
}
