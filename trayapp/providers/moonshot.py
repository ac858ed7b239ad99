"""Moonshot / Kimi: `GET {base}/users/me/balance` (base ends in /v1) with a normal key.

Answer: `{"code": 0, "status": true, "scode": "0x0", "data": {"available_balance", "voucher_balance",
"cash_balance"}}`, numbers without a currency: CNY on moonshot.cn, USD on moonshot.ai.

The path is under /v1 on the host's root: a base URL of the bare host (how several tools store it) gets /v1.
A key is valid only on the platform that made it (.cn or .ai): a 401 says so, since the key may be fine.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from urllib.parse import urlsplit

from ..core.i18n import tr, tr_noop
from ..core.models import ErrorKind, Snapshot
from .base import FetchOutcome, FetchRequest, ProviderInfo
from .http import HttpFailure, base_url_of, business_error, get_json, secret_values

PATH = "/users/me/balance"
TOLERANCE = Decimal("0.01")


INFO = ProviderInfo(
    name="moonshot",
    display_name="Moonshot / Kimi",
    module=__name__,
    default_base_url="https://api.moonshot.cn/v1",
    default_currency=None,
    currency_by_host={"moonshot.cn": "CNY", "moonshot.ai": "USD"},
    billing_url="https://platform.moonshot.cn/console/account",
    reads=tr_noop("available, voucher and cash balance (/v1/users/me/balance)"),
    not_knowable=tr_noop("when voucher credit expires"),
)


class MoonshotProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        request = _with_v1(request, self.info)
        try:
            answer = get_json(request, self.info, PATH)
        except HttpFailure as exc:
            if exc.status == 401 and exc.kind is ErrorKind.AUTH:
                raise _wrong_platform(exc, base_url_of(request, self.info)) from None
            raise
        root = answer.root()
        code = root.raw("code")
        status = root.raw("status")
        if (code is not None and str(code) != "0") or status is False:
            err = root.raw("error")
            message = root.opt_text("message") or (
                str(err.get("message")) if isinstance(err, dict) and err.get("message") else None
            )
            raise business_error(self.info, answer.endpoint, code, message, secret_values(request))
        data = root.obj("data")
        available = data.decimal("available_balance", negative=True)
        voucher = data.opt_decimal("voucher_balance")
        cash = data.opt_decimal("cash_balance", negative=True)

        notes: list[str] = []
        paid: Decimal | None = None
        if cash is not None:
            paid = cash if cash >= 0 else Decimal(0)
            if cash < 0:
                notes.append(
                    tr("The cash balance is {cash} (owed); what can be spent is the voucher part only.", cash=str(cash))
                )
        if voucher is not None and cash is not None:
            expected = voucher + max(cash, Decimal(0))
            if abs(expected - available) > TOLERANCE:
                notes.append(
                    tr(
                        "Moonshot's available balance ({available}) is not voucher + cash ({expected}); "
                        "the available balance is shown.",
                        available=str(available),
                        expected=str(expected),
                    )
                )
        currency = self.info.currency_for(base_url_of(request, self.info), request.account.currency)
        if currency is None:
            notes.append(
                tr(
                    "Moonshot's answer has no currency and this host does not tell (moonshot.cn is CNY, "
                    "moonshot.ai is USD): set the account's currency."
                )
            )
        if voucher:
            notes.append(
                tr(
                    "Moonshot does not say when voucher credit expires"
                    ": enter it under Credit grants in Edit account (or `trayapp accounts grant`)."
                )
            )
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=currency,
            remaining=available,
            remaining_granted=voucher,
            remaining_paid=paid,
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)


def _with_v1(request: FetchRequest, info: ProviderInfo) -> FetchRequest:
    """A base URL of the bare host gets /v1 (same host, so the key goes nowhere else); any other path is the
    user's (a relay's prefix, say) and kept."""
    base = base_url_of(request, info)
    if urlsplit(base).path not in ("", "/"):
        return request
    return replace(request, account=replace(request.account, base_url=base.rstrip("/") + "/v1"))


def _wrong_platform(exc: HttpFailure, base: str) -> HttpFailure:
    """A 401 in Moonshot's terms: a key of platform.moonshot.cn is refused by api.moonshot.ai and the other way
    round, so the shared "mistyped, revoked or expired" would send the user after a key that is fine."""
    quote = tr(": {said}", said=exc.said) if exc.said else ""
    return HttpFailure(
        exc.kind,
        exc.title,
        tr(
            "Moonshot / Kimi rejected the key (401){quote}. A key made on platform.moonshot.cn works only with "
            "api.moonshot.cn, one made on platform.moonshot.ai only with api.moonshot.ai; this account asks {host}. "
            "Check the base URL, else the key may be mistyped, revoked or expired.",
            quote=quote,
            host=urlsplit(base).hostname or base,
        ),
        provider=exc.provider,
        endpoint=exc.endpoint,
        status=exc.status,
        codes=exc.codes,
        said=exc.said,
        retry_after=exc.retry_after,
    )


PROVIDER = MoonshotProvider()


JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "available, voucher and cash balance (/v1/users/me/balance)": (
        "利用可能残高、バウチャー残高、現金残高（/v1/users/me/balance）"
    ),
    "when voucher credit expires": "バウチャーの有効期限",
    "The cash balance is {cash} (owed); what can be spent is the voucher part only.": (
        "現金残高は {cash}（未払い）です。使えるのはバウチャー分だけです。"
    ),
    "Moonshot's available balance ({available}) is not voucher + cash ({expected}); the available balance is shown.": (
        "Moonshot の利用可能残高（{available}）がバウチャー + 現金（{expected}）と一致しません。利用可能残高を表示して"
        "います。"
    ),
    "Moonshot's answer has no currency and this host does not tell (moonshot.cn is CNY, moonshot.ai is USD): set "
    "the account's currency.": (
        "Moonshot の応答には通貨がなく、このホストからも判定できません（moonshot.cn は CNY、moonshot.ai は USD）。アカ"
        "ウントの通貨を設定してください。"
    ),
    "Moonshot / Kimi rejected the key (401){quote}. A key made on platform.moonshot.cn works only with "
    "api.moonshot.cn, one made on platform.moonshot.ai only with api.moonshot.ai; this account asks {host}. Check "
    "the base URL, else the key may be mistyped, revoked or expired.": (
        "Moonshot / Kimi がキーを拒否しました（401）{quote}。platform.moonshot.cn で作ったキーは api.moonshot.cn で"
        "のみ、platform.moonshot.ai で作ったキーは api.moonshot.ai でのみ使えます。このアカウントの問い合わせ先は "
        "{host} です。ベースURLを確認してください。そうでなければ、キーの入力間違い、失効、期限切れの可能性があり"
        "ます。"
    ),
    "Moonshot does not say when voucher credit expires"
    ": enter it under Credit grants in Edit account (or `trayapp accounts grant`).": (
        "Moonshot はバウチャーの有効期限を示しません。"
        "「アカウントの編集」の「クレジット付与」（または `trayapp accounts grant`）で入力してください。"
    ),
}
