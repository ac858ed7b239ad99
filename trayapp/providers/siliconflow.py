"""SiliconFlow: `GET {base}/user/info` (base ends in /v1) with a normal key.

Answer: `{"code": 20000, "message": "OK", "status": true, "data": {"id", "email", "balance",
"chargeBalance", "totalBalance", ...}}`, decimal strings: totalBalance = chargeBalance (paid) + balance
(gift credit). CNY on siliconflow.cn, USD on siliconflow.com.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.i18n import tr
from ..core.identity import hash_email, mask_email
from ..core.models import Identity, Snapshot
from .base import FetchOutcome, FetchRequest
from .catalog import info
from .http import base_url_of, business_error, get_json, secret_values

PATH = "/user/info"
OK_CODE = 20000
TOLERANCE = Decimal("0.01")


class SiliconFlowProvider:
    info = info("siliconflow")

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
