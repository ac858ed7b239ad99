"""Vercel AI Gateway: `GET {base}/credits` (base `https://ai-gateway.vercel.sh/v1`) with an AI Gateway key.

Answer: `{"balance": "95.50", "total_used": "4.50"}`: the team's credit left and its spend ever, USD as decimal
strings (numbers are read too). A balance may be zero or below. Refusals are HTTP statuses with
`{"error": {"message": …, "type": "authentication_error", …}}`. An answer without `balance` is an error, never
$0.00.
"""

from __future__ import annotations

from ..core.errors import ProviderError
from ..core.i18n import tr, tr_noop
from ..core.models import Snapshot
from ..core.rules import format_money
from .base import FetchOutcome, FetchRequest, ProviderInfo, SecretSpec
from .http import Fields, JsonAnswer, business_error, get_json

PATH = "/credits"

INFO = ProviderInfo(
    name="vercel",
    display_name="Vercel AI Gateway",
    module=__name__,
    default_base_url="https://ai-gateway.vercel.sh/v1",
    default_currency="USD",
    billing_url="https://vercel.com/d?to=%2F%5Bteam%5D%2F%7E%2Fai",
    secrets=(SecretSpec("api", tr_noop("API key"), hint=tr_noop("vck_… (an AI Gateway API key)")),),
    reads=tr_noop("the team's AI Gateway credit left and its total spend (/v1/credits)"),
    not_knowable=tr_noop("when credits expire, and what one key has spent"),
)


class VercelProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        answer = get_json(request, self.info, PATH)
        root = answer.root()
        if not root.has("balance") and root.has("error"):  # an error envelope is never a balance of $0.00
            raise envelope_error(answer, root)
        balance = root.decimal("balance", negative=True)  # Vercel lets the last request take it below zero
        used = root.opt_decimal("total_used")
        notes: list[str] = []
        if balance < 0:
            notes.append(
                tr(
                    "The gateway went {amount} below zero: top up before it serves requests again.",
                    amount=format_money(-balance, "USD"),
                )
            )
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency="USD",
            remaining=balance,
            used=used,
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)


def envelope_error(answer: JsonAnswer, root: Fields) -> ProviderError:
    """`{"error": {"message": …, "type": …}}` or `{"error": "…"}` with status 200, as the provider's error."""
    error = root.raw("error")
    said = error.get("message") if isinstance(error, dict) else error
    code = (error.get("type") or error.get("code")) if isinstance(error, dict) else None
    return business_error(INFO, answer.endpoint, code or "error", said if isinstance(said, str) else None, root.secrets)


PROVIDER = VercelProvider()

JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "vck_… (an AI Gateway API key)": "vck_…（AI Gateway の APIキー）",
    "the team's AI Gateway credit left and its total spend (/v1/credits)": (
        "チームの AI Gateway クレジット残高と累計利用額（/v1/credits）"
    ),
    "when credits expire, and what one key has spent": "クレジットの有効期限と、キーごとの利用額",
    "The gateway went {amount} below zero: top up before it serves requests again.": (
        "ゲートウェイの残高が {amount} マイナスになっています。再び使うにはチャージしてください。"
    ),
}
