"""Novita AI: `GET {base}/openapi/v1/billing/balance/detail` with a normal key (`sk_…`).

Answer: a top-level object, no currency (USD), every amount an integer in units of 1/10 000 USD, usually as a
JSON string: `{"availableBalance": "1000000", "cashBalance": "800000", "creditLimit": "200000",
"pendingCharges": "0", "outstandingInvoices": "0"}` is $100.00 available = $80.00 of top-ups left + a $20.00
credit line. `availableBalance` is what can still be spent, so it is the remaining credit; the cash part is
the user's own money. Older clients read the same fields from `GET {base}/v3/user/balance`, asked when the
first path is not found. An answer without `availableBalance` is an error, never $0.00.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.errors import ProviderError
from ..core.i18n import tr, tr_noop
from ..core.models import ErrorKind, Snapshot
from ..core.rules import format_money
from .base import FetchOutcome, FetchRequest, ProviderInfo
from .http import Fields, HttpFailure, JsonAnswer, business_error, get_json, secret_values

PATH = "/openapi/v1/billing/balance/detail"
LEGACY_PATH = "/v3/user/balance"
UNIT = Decimal(10_000)  # Novita's amounts are in 1/10 000 USD

INFO = ProviderInfo(
    name="novita",
    display_name="Novita AI",
    module=__name__,
    default_base_url="https://api.novita.ai",
    default_currency="USD",
    billing_url="https://novita.ai/billing",
    reads=tr_noop(
        "the available balance, your own money left and the credit line (/openapi/v1/billing/balance/detail)"
    ),
    not_knowable=tr_noop("whether any of it is given credit, and when credit expires"),
)


class NovitaProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        try:
            answer = get_json(request, self.info, PATH)
        except HttpFailure as exc:
            if exc.status != 404:
                raise
            answer = get_json(request, self.info, LEGACY_PATH)
        root = answer.root()
        if not root.has("availableBalance"):
            raise _refused_in_body(answer, root, request)

        available = _usd(root, "availableBalance", negative=True)
        cash = _usd(root, "cashBalance", negative=True, required=False)
        credit_line = _usd(root, "creditLimit", required=False)
        owed = _usd(root, "outstandingInvoices", required=False)
        notes: list[str] = []
        if credit_line:
            notes.append(
                tr(
                    "Includes a credit line of {limit} that Novita lets you owe; your own money left is {cash}.",
                    limit=format_money(credit_line, "USD"),
                    cash=format_money(cash, "USD") if cash is not None else tr("not reported"),
                )
            )
        if owed:
            notes.append(tr("Unpaid invoices: {amount}.", amount=format_money(owed, "USD")))
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency="USD",
            remaining=available,
            remaining_paid=cash,
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)


def _usd(root: Fields, key: str, *, negative: bool = False, required: bool = True) -> Decimal | None:
    raw = root.decimal(key, negative=negative) if required else root.opt_decimal(key, negative=negative)
    return None if raw is None else raw / UNIT


def _refused_in_body(answer: JsonAnswer, root: Fields, request: FetchRequest) -> ProviderError:
    """Novita may answer 200 with an error envelope (`{"code": 401, "message": "invalid api key"}`)."""
    code, message = root.raw("code"), root.raw("message")
    if code is None and message is None:
        return root.bad("availableBalance", tr("is missing"))
    error = business_error(
        INFO, answer.endpoint, code, message if isinstance(message, str) else None, secret_values(request)
    )
    if code in (401, 403, "401", "403"):
        return ProviderError(ErrorKind.AUTH, tr("Key rejected"), error.message, provider=INFO.name)
    return error


PROVIDER = NovitaProvider()

JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "the available balance, your own money left and the credit line (/openapi/v1/billing/balance/detail)": (
        "利用可能残高、自分の残金、与信枠（/openapi/v1/billing/balance/detail）"
    ),
    "whether any of it is given credit, and when credit expires": "付与クレジットが含まれるか、またその有効期限",
    "Includes a credit line of {limit} that Novita lets you owe; your own money left is {cash}.": (
        "Novita が後払いを認める与信枠 {limit} を含みます。自分の残金は {cash} です。"
    ),
    "not reported": "報告されていません",
    "Unpaid invoices: {amount}.": "未払いの請求: {amount}。",
}
