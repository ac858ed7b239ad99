"""SiliconFlow: `GET {base}/user/info` (base ends in /v1) with a normal key.

Answer: `{"code": 20000, "message": "OK", "status": true, "data": {"id", "email", "balance",
"chargeBalance", "totalBalance", ...}}`, decimal strings: totalBalance = chargeBalance (paid) + balance
(gift credit). CNY on siliconflow.cn, USD on siliconflow.com.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.i18n import tr, tr_noop
from ..core.identity import hash_email, mask_email
from ..core.models import Identity, Snapshot
from .base import FetchOutcome, FetchRequest, ProviderInfo
from .http import base_url_of, business_error, get_json, secret_values

PATH = "/user/info"
OK_CODE = 20000
TOLERANCE = Decimal("0.01")


INFO = ProviderInfo(
    name="siliconflow",
    display_name="SiliconFlow",
    module=__name__,
    default_base_url="https://api.siliconflow.cn/v1",
    default_currency=None,
    currency_by_host={"siliconflow.cn": "CNY", "siliconflow.com": "USD"},
    billing_url="https://cloud.siliconflow.cn/expensebill",
    reads=tr_noop("total, paid and gift balance (/v1/user/info)"),
    not_knowable=tr_noop("when gift credit expires"),
)


class SiliconFlowProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        answer = get_json(request, self.info, PATH)
        root = answer.root()
        code = root.raw("code")
        status = root.raw("status")
        if str(code) != str(OK_CODE) or status is False:
            if code is None and status is None:
                raise root.bad("code", tr("is missing"))
            raise business_error(self.info, answer.endpoint, code, root.opt_text("message"), secret_values(request))
        data = root.obj("data")
        total = data.decimal("totalBalance", negative=True)
        paid = data.opt_decimal("chargeBalance", negative=True)
        gift = data.opt_decimal("balance")

        notes: list[str] = []
        if paid is not None and gift is not None and abs(paid + gift - total) > TOLERANCE:
            notes.append(
                tr(
                    "SiliconFlow's total ({total}) is not paid + gift ({parts}); the total is shown.",
                    total=str(total),
                    parts=str(paid + gift),
                )
            )
        currency = self.info.currency_for(base_url_of(request, self.info), request.account.currency)
        if currency is None:
            notes.append(
                tr(
                    "SiliconFlow's answer has no currency and this host does not tell (siliconflow.cn is CNY, "
                    "siliconflow.com is USD): set the account's currency."
                )
            )
        if gift:
            notes.append(tr("SiliconFlow does not say when gift credit expires; enter it with `accounts grant`."))
        email = data.opt_text("email", limit=320)
        user_id = data.opt_text("id", limit=100)
        identity = None
        if user_id or (email and "@" in email):
            real_email = email if email and "@" in email else None
            identity = Identity(
                user_id=user_id or None,
                email_hash=hash_email(request.identity_salt, real_email),
                email_masked=mask_email(real_email),
            )
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=currency,
            remaining=total,
            remaining_granted=gift,
            remaining_paid=paid,
            identity=identity,
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)


PROVIDER = SiliconFlowProvider()


JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "total, paid and gift balance (/v1/user/info)": "合計残高、有料残高、ギフト残高（/v1/user/info）",
    "when gift credit expires": "ギフトクレジットの有効期限",
    "SiliconFlow's total ({total}) is not paid + gift ({parts}); the total is shown.": (
        "SiliconFlow の合計（{total}）が有料分 + ギフト分（{parts}）と一致しません。合計を表示しています。"
    ),
    "SiliconFlow's answer has no currency and this host does not tell (siliconflow.cn is CNY, siliconflow.com is "
    "USD): set the account's currency.": (
        "SiliconFlow の応答には通貨がなく、このホストからも判定できません（siliconflow.cn は CNY、siliconflow.com は US"
        "D）。アカウントの通貨を設定してください。"
    ),
    "SiliconFlow does not say when gift credit expires; enter it with `accounts grant`.": (
        "SiliconFlow はギフトクレジットの有効期限を示しません。`accounts grant` で入力してください。"
    ),
}
