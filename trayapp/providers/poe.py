"""Poe: `GET {base}/usage/current_balance` (base `https://api.poe.com`) with a Poe API key.

Answer: `{"current_point_balance": 1500}`: **points, not money** (the plan's points and add-on points
together; some callers meet the number as a string). The reading's unit is `points`, shown as points and
never with a currency sign. A request without enough points fails with 402. An answer without the field is
an error, never 0 points.
"""

from __future__ import annotations

from ..core.i18n import tr, tr_noop
from ..core.models import Snapshot
from .base import FetchOutcome, FetchRequest, ProviderInfo, SecretSpec
from .http import business_error, get_json

PATH = "/usage/current_balance"
UNIT = "points"  # Poe's own unit; core.rules.format_money shows it as "1500 points"

INFO = ProviderInfo(
    name="poe",
    display_name="Poe",
    module=__name__,
    default_base_url="https://api.poe.com",
    default_currency=UNIT,
    billing_url="https://poe.com/api/keys",
    secrets=(SecretSpec("api", tr_noop("API key"), hint=tr_noop("from poe.com/api/keys")),),
    reads=tr_noop("the point balance, in Poe's points, not money (/usage/current_balance)"),
    not_knowable=tr_noop(
        "what a point is worth in money, when subscription points renew, and how many are plan or add-on points"
    ),
)


class PoeProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        answer = get_json(request, self.info, PATH)
        root = answer.root()
        if not root.has("current_point_balance") and root.has("error"):  # never 0 points from an error
            error = root.raw("error")
            said = error.get("message") if isinstance(error, dict) else error
            code = (error.get("type") or error.get("code")) if isinstance(error, dict) else None
            raise business_error(
                INFO, answer.endpoint, code or "error", said if isinstance(said, str) else None, root.secrets
            )
        points = root.decimal("current_point_balance")
        if points != points.to_integral_value():
            raise root.bad("current_point_balance", tr("is {value}, not a whole number of points", value=str(points)))
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=UNIT,  # never the account's currency: points are not money
            remaining=points,
            notes=(
                tr(
                    "Poe counts in points, not money. The low-credit threshold is read as a number of points: "
                    "set the one for points in Settings."
                ),
            ),
        )
        return FetchOutcome(snapshot=snapshot)


PROVIDER = PoeProvider()

JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "from poe.com/api/keys": "poe.com/api/keys で取得",
    "the point balance, in Poe's points, not money (/usage/current_balance)": (
        "ポイント残高（金額ではなく Poe のポイント、/usage/current_balance）"
    ),
    "what a point is worth in money, when subscription points renew, and how many are plan or add-on points": (
        "1 ポイントの金額、サブスクリプションのポイントが更新される時期、プランと追加購入のポイントの内訳"
    ),
    "is {value}, not a whole number of points": "は {value} で、ポイントの整数ではありません",
    "Poe counts in points, not money. The low-credit threshold is read as a number of points: set the one for "
    "points in Settings.": (
        "Poe は金額ではなくポイントで数えます。残高不足のしきい値はポイント数として扱われます。"
        "設定で points のしきい値を設定してください。"
    ),
}
