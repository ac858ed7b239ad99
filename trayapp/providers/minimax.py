"""MiniMax: `GET {site}/account/query_balance` with a pay-as-you-go key (`sk-api-…`), the route MiniMax's own CLI
(MiniMax-AI/cli) takes for such keys. Two sites, two separate accounts: api.minimax.io (international, USD) and
api.minimaxi.com (China, CNY); a key of one is refused by the other.

Answer, amounts as decimal strings without a currency: `{"available_amount": "12.34", "cash_balance": "10.00",
"voucher_balance": "2.34", "credit_balance": "0.00", "owed_amount": "0.00", "balance_alert_switch": false,
"balance_alert_threshold": "5.00", "base_resp": {"status_code": 0, "status_msg": "success"}}`.
`available_amount` is what can be spent; of it, `cash_balance` is the user's money (paid), `voucher_balance`
the vouchers (代金券) MiniMax gave (granted), `credit_balance` MiniMax's credit; `owed_amount` is a debt.
A refusal comes as HTTP 200 with `base_resp.status_code` other than 0 and no amounts (2049 invalid api key,
also a key of the other site; 1004 not authorized; 1008 insufficient balance; 1002 rate limit), the code
sometimes a string and the message sometimes echoing the key.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.errors import ProviderError
from ..core.i18n import tr, tr_noop
from ..core.models import ErrorKind, Snapshot
from ..core.rules import format_money
from .base import FetchOutcome, FetchRequest, ProviderInfo, SecretSpec
from .http import (
    Fields,
    HttpFailure,
    JsonAnswer,
    base_url_of,
    base_url_without,
    business_error,
    get_json,
    secret_values,
)

PATH = "/account/query_balance"
PLAN_PREFIX = "sk-cp-"
API_SUFFIXES = ("/anthropic/v1", "/anthropic", "/v1")  # the model APIs' base URLs; the balance is at the root
AUTH_CODES = frozenset({"2049", "1004"})
QUOTA_CODES = frozenset({"1008", "1028"})
RATE_CODES = frozenset({"1002"})

INFO = ProviderInfo(
    name="minimax",
    display_name="MiniMax",
    module=__name__,
    default_base_url="https://api.minimax.io",
    default_currency=None,
    currency_by_host={"minimax.io": "USD", "minimaxi.com": "CNY"},
    billing_url="https://platform.minimax.io/user-center/payment/balance",
    secrets=(
        SecretSpec(
            "api",
            tr_noop("API key"),
            hint=tr_noop("the pay-as-you-go key, sk-api-…"),
            cautions=(
                (
                    PLAN_PREFIX,
                    tr_noop(
                        "This looks like a Token Plan key (sk-cp-…): MiniMax answers the balance only to a "
                        "pay-as-you-go key (sk-api-…)."
                    ),
                ),
            ),
        ),
    ),
    reads=tr_noop(
        "the available balance, split into cash and vouchers, MiniMax's credit and any debt (/account/query_balance)"
    ),
    not_knowable=tr_noop("when vouchers expire"),
)


class MiniMaxProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        request = base_url_without(request, self.info, API_SUFFIXES)
        try:
            answer = get_json(request, self.info, PATH)
        except HttpFailure as exc:
            if exc.kind is not ErrorKind.AUTH:
                raise
            raise _rejected(exc.message) from None
        root = answer.root()
        _check_status(answer, root, request)
        available = root.decimal("available_amount", negative=True)
        cash = root.opt_decimal("cash_balance", negative=True)
        voucher = root.opt_decimal("voucher_balance")
        credit = root.opt_decimal("credit_balance")
        owed = root.opt_decimal("owed_amount")

        currency = self.info.currency_for(base_url_of(request, self.info), request.account.currency)
        notes: list[str] = []
        if currency is None:
            notes.append(
                tr(
                    "MiniMax's answer has no currency and this host does not tell (minimax.io is USD, minimaxi.com "
                    "is CNY): set the account's currency."
                )
            )
        if credit:
            notes.append(
                tr(
                    "Of the available amount, {credit} is MiniMax's credit (credit_balance), neither your money "
                    "nor vouchers.",
                    credit=format_money(credit, currency),
                )
            )
        if owed:
            notes.append(tr("MiniMax says {amount} is owed.", amount=format_money(owed, currency)))
        if voucher:
            notes.append(
                tr(
                    "MiniMax does not say when vouchers expire"
                    ": enter it under Credit grants in Edit account (or `trayapp accounts grant`)."
                )
            )
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=currency,
            remaining=available,
            remaining_granted=voucher,
            remaining_paid=cash,
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)


def _check_status(answer: JsonAnswer, root: Fields, request: FetchRequest) -> None:
    """`base_resp.status_code` other than 0 is a refusal, whatever the HTTP status said."""
    status = root.raw("base_resp")
    if not isinstance(status, Mapping):
        return  # no envelope: the amounts decide (a missing `available_amount` is an error)
    code, message = status.get("status_code"), status.get("status_msg")
    if code is None or str(code).strip() == "0":
        return
    error = business_error(
        INFO, answer.endpoint, code, message if isinstance(message, str) else None, secret_values(request)
    )
    said = str(code).strip()
    if said in AUTH_CODES:
        raise _rejected(error.message)
    if said in QUOTA_CODES:
        raise ProviderError(ErrorKind.QUOTA, tr("Out of credit"), error.message, provider=INFO.name)
    if said in RATE_CODES:
        raise ProviderError(ErrorKind.RATE_LIMITED, tr("Rate limited"), error.message, provider=INFO.name)
    raise error


def _rejected(refusal: str) -> ProviderError:
    return ProviderError(
        ErrorKind.AUTH,
        tr("Key rejected"),
        tr(
            "{refusal} A MiniMax key works only on the site that made it (minimax.io or minimaxi.com: set the "
            "account's base URL), and the balance needs a pay-as-you-go key (sk-api-…).",
            refusal=refusal,
        ),
        provider=INFO.name,
    )


PROVIDER = MiniMaxProvider()

JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "the pay-as-you-go key, sk-api-…": "従量課金キー（sk-api-…）",
    "This looks like a Token Plan key (sk-cp-…): MiniMax answers the balance only to a pay-as-you-go key (sk-api-…).": (
        "これは Token Plan のキー（sk-cp-…）のようです。MiniMax は従量課金キー（sk-api-…）にしか残高を返しません。"
    ),
    "the available balance, split into cash and vouchers, MiniMax's credit and any debt (/account/query_balance)": (
        "利用可能残高（現金とバウチャーの内訳）、MiniMax のクレジット、未払い額（/account/query_balance）"
    ),
    "when vouchers expire": "バウチャーの有効期限",
    "MiniMax's answer has no currency and this host does not tell (minimax.io is USD, minimaxi.com is CNY): set "
    "the account's currency.": (
        "MiniMax の応答には通貨がなく、このホストからも判定できません（minimax.io は USD、minimaxi.com は CNY）。"
        "アカウントの通貨を設定してください。"
    ),
    "Of the available amount, {credit} is MiniMax's credit (credit_balance), neither your money nor vouchers.": (
        "利用可能額のうち {credit} は MiniMax のクレジット（credit_balance）で、"
        "自分のお金でもバウチャーでもありません。"
    ),
    "MiniMax says {amount} is owed.": "MiniMax によると未払い額は {amount} です。",
    "MiniMax does not say when vouchers expire"
    ": enter it under Credit grants in Edit account (or `trayapp accounts grant`).": (
        "MiniMax はバウチャーの有効期限を示しません。"
        "「アカウントの編集」の「クレジット付与」（または `trayapp accounts grant`）で入力してください。"
    ),
    "{refusal} A MiniMax key works only on the site that made it (minimax.io or minimaxi.com: set the account's "
    "base URL), and the balance needs a pay-as-you-go key (sk-api-…).": (
        "{refusal} MiniMax のキーは発行したサイト（minimax.io または minimaxi.com。アカウントのベースURLを設定）"
        "でしか使えず、残高の取得には従量課金キー（sk-api-…）が必要です。"
    ),
}
