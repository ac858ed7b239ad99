"""SiliconFlow: `GET {base}/user/info` (base ends in /v1) with a normal key.

Answer: `{"code": 20000, "message": "OK", "status": true, "data": {"id", "email", "balance",
"chargeBalance", "totalBalance", ...}}`, decimal strings: totalBalance = chargeBalance (paid) + balance
(gift credit). CNY on siliconflow.cn, USD on siliconflow.com.

SiliconFlow stopped the endpoint for China accounts (api.siliconflow.cn) on 2026-08-14: it answers HTTP 410
with code 20092 (its release notes, "userinfo 接口将停止服务"; rikkahub/rikkahub#1811). Nothing replaces it
for an API key, so that answer is an error that says so; api.siliconflow.com (international) still answers.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

from ..core.errors import ProviderError
from ..core.i18n import tr, tr_noop
from ..core.identity import hash_email, mask_email
from ..core.models import ErrorKind, Identity, Snapshot
from ..secrets.keys import scrub
from .base import FetchOutcome, FetchRequest, ProviderInfo
from .http import HttpFailure, base_url_of, business_error, get_json, secret_values

PATH = "/user/info"
OK_CODE = 20000
RETIRED_CODE = "20092"  # with HTTP 410: the China balance endpoint is gone (since 2026-08-14)
RETIRED_STATUS = 410
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
    not_knowable=tr_noop(
        "when gift credit expires; the balance of China accounts (siliconflow.cn), whose balance endpoint "
        "SiliconFlow retired on 2026-08-14"
    ),
)


class SiliconFlowProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        try:
            answer = get_json(request, self.info, PATH)
        except HttpFailure as exc:
            if self._is_retirement(request, exc.status, exc.codes):
                raise self._retired(exc.endpoint, exc.status or RETIRED_STATUS, exc.said) from None
            raise
        root = answer.root()
        code = root.raw("code")
        status = root.raw("status")
        if str(code) != str(OK_CODE) or status is False:
            if code is None and status is None:
                raise root.bad("code", tr("is missing"))
            message = root.opt_text("message")
            if str(code) == RETIRED_CODE:  # the same retirement, should it come in a 200 envelope
                said = scrub(message, secret_values(request)) if message else ""
                raise self._retired(answer.endpoint, 200, said)
            raise business_error(self.info, answer.endpoint, code, message, secret_values(request))
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
            notes.append(
                tr(
                    "SiliconFlow does not say when gift credit expires"
                    ": enter it under Credit grants in Edit account (or `trayapp accounts grant`)."
                )
            )
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

    def _is_retirement(self, request: FetchRequest, status: int | None, codes: tuple[str, ...]) -> bool:
        """SiliconFlow's own code says so; or a 410 from the China host. A 410 elsewhere (the international host,
        a mirror) is not this retirement and keeps the shared message."""
        if RETIRED_CODE in codes:
            return True
        host = (urlsplit(base_url_of(request, self.info)).hostname or "").lower()
        return status == RETIRED_STATUS and (host == "siliconflow.cn" or host.endswith(".siliconflow.cn"))

    def _retired(self, endpoint: str, status: int, said: str) -> ProviderError:
        return ProviderError(
            ErrorKind.CONFIG,
            tr("Balance endpoint retired"),
            tr(
                "SiliconFlow retired its balance endpoint for China accounts (siliconflow.cn) on 2026-08-14: "
                "{endpoint} answered {status} (code {code}){quote}. Nothing can be read there any more, and no other "
                "SiliconFlow API is known to give the balance of a China account; see it in the console "
                "(cloud.siliconflow.cn). Accounts on api.siliconflow.com (international) are still read.",
                endpoint=endpoint,
                status=status,
                code=RETIRED_CODE,
                quote=tr(": {said}", said=said) if said else "",
            ),
            provider=self.info.name,
        )


PROVIDER = SiliconFlowProvider()


JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "total, paid and gift balance (/v1/user/info)": "合計残高、有料残高、ギフト残高（/v1/user/info）",
    "when gift credit expires; the balance of China accounts (siliconflow.cn), whose balance endpoint SiliconFlow "
    "retired on 2026-08-14": (
        "ギフトクレジットの有効期限、中国アカウント（siliconflow.cn）の残高（SiliconFlow は "
        "2026-08-14 に残高エンドポイントを廃止しました）"
    ),
    "Balance endpoint retired": "残高エンドポイントは廃止されました",
    "SiliconFlow retired its balance endpoint for China accounts (siliconflow.cn) on 2026-08-14: {endpoint} answered "
    "{status} (code {code}){quote}. Nothing can be read there any more, and no other SiliconFlow API is known to give "
    "the balance of a China account; see it in the console (cloud.siliconflow.cn). Accounts on api.siliconflow.com "
    "(international) are still read.": (
        "SiliconFlow は 2026-08-14 に中国アカウント（siliconflow.cn）向けの残高エンドポイントを廃止しました。"
        "{endpoint} は {status}（コード {code}）を返しました{quote}。ここからはもう何も読み取れず、"
        "中国アカウントの残高を返す SiliconFlow の API はほかに知られていません。"
        "コンソール（cloud.siliconflow.cn）で確認してください。"
        "api.siliconflow.com（国際版）のアカウントは引き続き読み取れます。"
    ),
    "SiliconFlow's total ({total}) is not paid + gift ({parts}); the total is shown.": (
        "SiliconFlow の合計（{total}）が有料分 + ギフト分（{parts}）と一致しません。合計を表示しています。"
    ),
    "SiliconFlow's answer has no currency and this host does not tell (siliconflow.cn is CNY, siliconflow.com is "
    "USD): set the account's currency.": (
        "SiliconFlow の応答には通貨がなく、このホストからも判定できません（siliconflow.cn は CNY、siliconflow.com は US"
        "D）。アカウントの通貨を設定してください。"
    ),
    "SiliconFlow does not say when gift credit expires"
    ": enter it under Credit grants in Edit account (or `trayapp accounts grant`).": (
        "SiliconFlow はギフトクレジットの有効期限を示しません。"
        "「アカウントの編集」の「クレジット付与」（または `trayapp accounts grant`）で入力してください。"
    ),
}
