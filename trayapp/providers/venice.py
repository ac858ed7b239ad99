"""Venice: `GET {base}/billing/balance` (base ends in /api/v1) with an ADMIN API key; an inference key is refused.

Answer: `{"canConsume": true, "consumptionCurrency": "DIEM", "balances": {"diem": 90.5, "usd": 25},
"diemEpochAllocation": 100}`; either balance may be null, numbers (some clients also meet strings).
`balances.usd` is prepaid USD. `balances.diem` is what is left of today's DIEM: 1 staked DIEM is $1 of API use a
day, refreshed at 00:00 UTC, unused DIEM does not roll over; `diemEpochAllocation` is the day's allowance.
`consumptionCurrency` says what the next request is paid from (DIEM, then bundled credits, then USD; legacy
VCU); `canConsume: false` means nothing is left to pay with.

The headline is the USD balance, the money that lasts: DIEM drains and refills every day, so a headline (and a
low-credit alert) in DIEM would sound each day. DIEM is the headline only when there is no USD left to show
(none reported, or zero while DIEM still pays), so that a staker is not told the credit is gone. Both are kept
in `balances`, and today's DIEM is in the notes.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.errors import ProviderError
from ..core.i18n import LocalText, tr, tr_noop
from ..core.models import CurrencyBalance, ErrorKind, Snapshot
from ..core.rules import format_money
from .base import FetchOutcome, FetchRequest, ProviderInfo, SecretSpec
from .http import HttpFailure, base_url_of, get_json

PATH = "/billing/balance"
API_PATH = "/api/v1"
DIEM = "DIEM"

INFO = ProviderInfo(
    name="venice",
    display_name="Venice",
    module=__name__,
    default_base_url="https://api.venice.ai/api/v1",
    default_currency="USD",
    secrets=(
        SecretSpec("api", tr_noop("Admin API key"), hint=tr_noop("an ADMIN key: Venice refuses inference keys here")),
    ),
    reads=tr_noop("the USD and DIEM balances, and whether calls can be paid for (/api/v1/billing/balance)"),
    not_knowable=tr_noop("bundled credits, and when USD credit expires"),
)


class VeniceProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        try:
            answer = get_json(request, self.info, _path(request))
        except HttpFailure as exc:
            raise _refusal(exc) from None
        root = answer.root()
        can_consume = root.opt_boolean("canConsume")
        balances = root.obj("balances")
        usd = balances.opt_decimal("usd")
        diem = balances.opt_decimal("diem")
        allocation = root.opt_decimal("diemEpochAllocation")
        paying = (root.opt_text("consumptionCurrency", limit=40) or "").upper()

        notes: list[str] = []
        flags: set[str] = set()
        if can_consume is False:
            flags.add("blocked")
            notes.append(tr("Venice says nothing is left to pay for API calls (canConsume: false)."))
        if diem is not None:
            notes.append(
                tr(
                    "DIEM left today: {left} of {allocation}. 1 DIEM pays $1 of API use a day; it refreshes at "
                    "00:00 UTC and does not roll over.",
                    left=_diem(diem),
                    allocation=_diem(allocation) if allocation is not None else tr("an allowance not given"),
                )
            )
        what = _paid_from(paying)
        if what is not None:
            notes.append(tr("Venice pays the next requests from {what}.", what=what))

        reason: str | None = None
        if usd is not None and (usd > 0 or not diem):
            currency, remaining = "USD", usd
        elif diem is not None:
            currency, remaining = DIEM, diem
        else:
            currency, remaining = "USD", None
            reason = tr("Venice reported neither a USD nor a DIEM balance.")
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=currency,
            remaining=remaining,
            remaining_paid=usd if currency == "USD" else None,
            unknown_reason=reason,
            balances=tuple(
                CurrencyBalance(code, value, remaining_paid=value if code == "USD" else None)
                for code, value in (("USD", usd), (DIEM, diem))
                if value is not None
            ),
            flags=frozenset(flags),
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)


def _refusal(exc: HttpFailure) -> ProviderError:
    """A refused key says which key Venice wants. Venice also answers 402 "Authentication required" to a
    missing or invalid key (402 is otherwise "no credit"): that is a rejected key, not an empty account."""
    refusal: str = exc.message
    if exc.status == 402 and "authenticat" in exc.said.lower():
        refusal = tr("Venice refused the key (402): {said}.", said=exc.said)
    elif exc.kind is not ErrorKind.AUTH:
        return exc
    return ProviderError(
        ErrorKind.AUTH,
        tr("Key rejected"),
        tr(
            "{refusal} Venice answers the balance only to an admin API key; an inference key is refused.",
            refusal=refusal,
        ),
        provider=INFO.name,
    )


def _path(request: FetchRequest) -> str:
    """A base URL of the bare host (https://api.venice.ai) gets /api/v1; any other path is kept."""
    path = base_url_of(request, INFO).split("://", 1)[-1].partition("/")[2].strip("/")
    return PATH if path else API_PATH + PATH


def _diem(value: Decimal) -> str:
    return format_money(value, DIEM)


def _paid_from(code: str) -> LocalText | None:
    """What the next request is paid from, in words; a value not known here is not shown."""
    if code == DIEM:
        return tr("DIEM")
    if code == "USD":
        return tr("the USD balance")
    if code == "BUNDLED_CREDITS":
        return tr("bundled credits")
    if code == "VCU":
        return tr("VCU (Venice's former compute units)")
    return None


PROVIDER = VeniceProvider()

JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "DIEM": "DIEM",
    "the USD balance": "USD 残高",
    "bundled credits": "バンドルクレジット",
    "VCU (Venice's former compute units)": "VCU（Venice の旧コンピュートユニット）",
    "Admin API key": "管理者APIキー",
    "an ADMIN key: Venice refuses inference keys here": "管理者（ADMIN）キー。Venice はここで推論用キーを拒否します",
    "the USD and DIEM balances, and whether calls can be paid for (/api/v1/billing/balance)": (
        "USD と DIEM の残高、および呼び出しを支払えるかどうか（/api/v1/billing/balance）"
    ),
    "bundled credits, and when USD credit expires": "バンドルクレジットの額、USD クレジットの有効期限",
    "{refusal} Venice answers the balance only to an admin API key; an inference key is refused.": (
        "{refusal} Venice は管理者APIキーにしか残高を返しません。推論用キーは拒否されます。"
    ),
    "Venice refused the key (402): {said}.": "Venice はキーを拒否しました（402）: {said}。",
    "Venice says nothing is left to pay for API calls (canConsume: false).": (
        "Venice によると、API 呼び出しを支払える残高がありません（canConsume: false）。"
    ),
    "DIEM left today: {left} of {allocation}. 1 DIEM pays $1 of API use a day; it refreshes at 00:00 UTC and does "
    "not roll over.": (
        "今日の DIEM 残り: {left}（割当 {allocation}）。1 DIEM で 1 日あたり $1 分の API を使えます。"
        "00:00 UTC に更新され、繰り越されません。"
    ),
    "an allowance not given": "割当の記載なし",
    "Venice pays the next requests from {what}.": "Venice は次のリクエストを {what} から支払います。",
    "Venice reported neither a USD nor a DIEM balance.": "Venice は USD と DIEM のどちらの残高も報告しませんでした。",
}
