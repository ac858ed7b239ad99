"""Zhipu / BigModel (open.bigmodel.cn, CNY) and Z.ai (api.z.ai, USD): two console endpoints, read with the API key.

1. The wallet, `GET {site}/api/biz/account/query-customer-account-report`:
   `{"code": 200, "msg": "操作成功", "success": true, "data": {"balance": 42.5, "availableBalance": 42.5,
   "rechargeAmount": 100, "giveAmount": 10, "totalSpendAmount": 67.5, "frozenBalance": 0, "creditStatus": "ENABLE"}}`.
   `availableBalance` is what can be spent (`balance` less what is frozen); `rechargeAmount` and `giveAmount` are
   lifetime totals (recharged, gifted), not what is left of each, so there is no paid/gifted split of the rest.
2. The resource packs, `GET {site}/api/biz/tokenAccounts/list/my?pageNum=1&pageSize=100`:
   `{"code": 200, "msg": "查询成功", "total": 1, "rows": [{"resourcePackageName": "…", "type": "give" | "pay",
   "status": "EFFECTIVE", "consumeType": "TOKENS" | "TIMES", "tokensMagnitude": 100000000,
   "availableBalance": 58561817, "packageExpirationTime": "2026-12-09T07:15:28"}]}`: token (or per-use) bundles,
   each with its own expiry: the credit that expires. A pack counts tokens or uses, not money: it is never added
   to the wallet. The soonest expiry of a live pack with something left is the account's `expires_at`, flagged
   `expiry_outside_balance` (the balance shown is the wallet's, which does not expire).

Neither is in Zhipu's public API reference: they are the console's backends, read with an API key by several
public tools. Refusals come as HTTP 200 with `success: false` and a code (1000-1004 authentication, 1113 in
arrears, 1302-1305 rate limits: docs.bigmodel.cn/cn/api/api-code); some gateways say `{"code": 401, ...}`.
The expiry strings carry no zone: they are read as China Standard Time (UTC+8), the console's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

from ..core.errors import BadResponse, ProviderError
from ..core.i18n import LocalText, tr, tr_noop
from ..core.models import ErrorKind, Snapshot
from ..core.rules import format_money
from .base import FetchOutcome, FetchRequest, ProviderInfo
from .http import Fields, JsonAnswer, base_url_of, business_error, get_json, secret_values

WALLET_PATH = "/api/biz/account/query-customer-account-report"
PACKS_PATH = "/api/biz/tokenAccounts/list/my"
PACKS_QUERY = {"pageNum": "1", "pageSize": "100"}
CONSOLE_TIME = timezone(timedelta(hours=8), "CST")  # the console's clock: China Standard Time
LIVE = frozenset({"EFFECTIVE", "EXPIRING", "NOTUSED"})  # statuses of a pack that can still be spent
AUTH_CODES = frozenset({"401", "1000", "1001", "1002", "1003", "1004"})
ARREARS_CODES = frozenset({"1113"})  # 您的账户已欠费: the account owes money
RATE_CODES = frozenset({"1302", "1303", "1304", "1305"})
MAX_PACK_NOTES = 5
_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")

INFO = ProviderInfo(
    name="zhipu",
    display_name="Zhipu / BigModel",
    module=__name__,
    default_base_url="https://open.bigmodel.cn",
    default_currency=None,
    currency_by_host={"bigmodel.cn": "CNY", "z.ai": "USD"},
    reads=tr_noop(
        "the cash balance (available, recharged, gifted, frozen) and each resource pack with what is left and "
        "when it expires (the console's /api/biz endpoints)"
    ),
    not_knowable=tr_noop("how much of the cash balance is gifted, and when gifted cash expires"),
)


class ZhipuProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        request = _at_site_root(request)
        wallet = get_json(request, self.info, WALLET_PATH)
        data = _envelope(wallet, request).obj("data")
        available = _amount(data, "availableBalance", negative=True)
        if available is None:
            available = _amount(data, "balance", negative=True)
        if available is None:
            raise data.bad("availableBalance", tr("is missing"))
        gifted = _amount(data, "giveAmount")
        recharged = _amount(data, "rechargeAmount")
        frozen = _amount(data, "frozenBalance")
        spent = _amount(data, "totalSpendAmount")

        currency = self.info.currency_for(base_url_of(request, self.info), request.account.currency)
        notes: list[str] = []
        if currency is None:
            notes.append(
                tr(
                    "Zhipu's answer has no currency and this host does not tell (bigmodel.cn is CNY, z.ai is USD): "
                    "set the account's currency."
                )
            )
        if recharged is not None or gifted is not None:
            notes.append(
                tr(
                    "Zhipu says {recharged} was recharged and {gifted} gifted in total; how much of what is left "
                    "is gifted is not said.",
                    recharged=_money(recharged, currency),
                    gifted=_money(gifted, currency),
                )
            )
        if frozen:
            notes.append(
                tr(
                    "{amount} more is frozen (held by Zhipu) and cannot be spent now.",
                    amount=format_money(frozen, currency),
                )
            )

        expires_at, pack_notes = self._packs(request)
        notes += pack_notes
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=currency,
            remaining=available,
            granted_total=gifted,
            used=spent,
            expires_at=expires_at,
            flags=frozenset({"expiry_outside_balance"}) if expires_at is not None else frozenset(),
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)

    def _packs(self, request: FetchRequest) -> tuple[datetime | None, list[str]]:
        """The soonest expiry of a live pack, and a note per pack. A refusal of this endpoint leaves the wallet
        reading standing (one public report says it refuses some API keys): it is said, not raised."""
        try:
            answer = get_json(request, self.info, PACKS_PATH, params=PACKS_QUERY)
            root = _envelope(answer, request)
        except BadResponse:
            raise  # a pack list in another shape: a clear error naming the field, as for the wallet
        except ProviderError as exc:
            return None, [tr("Zhipu's resource packs could not be read: {reason}", reason=exc.message)]
        rows = root.objects("rows") if root.has("rows") else []
        live: list[tuple[datetime | None, LocalText]] = []
        for row in rows:
            status = (row.opt_text("status", limit=40) or "").upper()
            left = _amount(row, "availableBalance")
            expires = _expiry(row)
            if status and status not in LIVE:
                continue
            if expires is not None and expires <= request.now:
                continue
            if left is not None and left <= 0:
                continue
            live.append((expires, _pack_note(row, left, expires)))
        live.sort(key=lambda item: (item[0] is None, item[0] or datetime.max.replace(tzinfo=UTC)))
        notes: list[str] = [note for _, note in live[:MAX_PACK_NOTES]]
        if len(live) > MAX_PACK_NOTES:
            notes.append(tr("…and {n} more resource packs.", n=len(live) - MAX_PACK_NOTES))
        soonest = next((when for when, _ in live if when is not None), None)
        return soonest, notes


def _at_site_root(request: FetchRequest) -> FetchRequest:
    """The console endpoints sit at the site's root: a base URL of the model API
    (https://open.bigmodel.cn/api/paas/v4, …/api/anthropic) is read without its /api/… path. Same host."""
    base = base_url_of(request, INFO)
    parts = urlsplit(base)
    path = parts.path.rstrip("/")
    cut = path.find("/api/") if "/api/" in path else (len(path) - 4 if path.endswith("/api") else -1)
    if cut < 0:
        return request
    root = urlunsplit((parts.scheme, parts.netloc, path[:cut], "", ""))
    return replace(request, account=replace(request.account, base_url=root))


def _envelope(answer: JsonAnswer, request: FetchRequest) -> Fields:
    """The answer's root, or the refusal its `success: false` / `code` other than 200 says, as an error."""
    root = answer.root()
    code, success = root.raw("code"), root.raw("success")
    if success is not False and (code is None or str(code) == "200"):
        return root
    message = root.raw("msg")
    message = message if isinstance(message, str) else root.raw("message")
    error = business_error(
        INFO, answer.endpoint, code, message if isinstance(message, str) else None, secret_values(request)
    )
    said = str(code)
    if said in AUTH_CODES:
        raise ProviderError(ErrorKind.AUTH, tr("Key rejected"), error.message, provider=INFO.name)
    if said in ARREARS_CODES:
        raise ProviderError(ErrorKind.QUOTA, tr("Out of credit"), error.message, provider=INFO.name)
    if said in RATE_CODES:
        raise ProviderError(ErrorKind.RATE_LIMITED, tr("Rate limited"), error.message, provider=INFO.name)
    raise error


def _amount(fields: Fields, key: str, *, negative: bool = False) -> Decimal | None:
    """An amount that may be a number or a numeric string; "" is Zhipu's "not reported", not 0."""
    raw = fields.raw(key)
    if isinstance(raw, str) and not raw.strip():
        return None
    return fields.opt_decimal(key, negative=negative)


def _expiry(row: Fields) -> datetime | None:
    key = "packageExpirationTime" if row.has("packageExpirationTime") else "expirationTime"
    text = row.opt_text(key, limit=40)
    if text is None or not text.strip():
        return None
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise row.bad(key, tr("is '{value}', not a date and time", value=text))
    day, clock, _fraction, zone = match.groups()
    try:
        when = datetime.fromisoformat(f"{day}T{clock}")
    except ValueError:
        raise row.bad(key, tr("is '{value}', not a date and time", value=text)) from None
    if zone is None:
        return when.replace(tzinfo=CONSOLE_TIME).astimezone(UTC)
    offset = UTC if zone == "Z" else _offset(zone)
    return when.replace(tzinfo=offset).astimezone(UTC)


def _offset(zone: str) -> timezone:
    digits = zone[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-delta if zone[0] == "-" else delta)


def _pack_note(row: Fields, left: Decimal | None, expires: datetime | None) -> LocalText:
    name = (row.opt_text("resourcePackageName", limit=80) or row.opt_text("tokenNo", limit=80) or "").strip()
    uses = (row.opt_text("consumeType", limit=20) or "").upper() == "TIMES"
    size = _amount(row, "tokensMagnitude")
    count = tr("unknown") if left is None else _count(left)
    unit = tr("uses") if uses else tr("tokens")
    of = tr(" of {size}", size=_count(size)) if size is not None else ""
    expiry = (
        tr("expires {when} (China time)", when=expires.astimezone(CONSOLE_TIME).strftime("%Y-%m-%d %H:%M"))
        if expires is not None
        else tr("no expiry given")
    )
    label = name or tr("(unnamed)")
    if (row.opt_text("type", limit=20) or "").lower() == "give":
        return tr(
            "Gifted resource pack {name}: {count}{of} {unit} left, {expiry}.",
            name=label,
            count=count,
            of=of,
            unit=unit,
            expiry=expiry,
        )
    return tr(
        "Resource pack {name}: {count}{of} {unit} left, {expiry}.",
        name=label,
        count=count,
        of=of,
        unit=unit,
        expiry=expiry,
    )


def _count(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,}"


def _money(value: Decimal | None, currency: str | None) -> str:
    return format_money(value, currency) if value is not None else tr("an amount not given")


PROVIDER = ZhipuProvider()

JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "the cash balance (available, recharged, gifted, frozen) and each resource pack with what is left and when it "
    "expires (the console's /api/biz endpoints)": (
        "現金残高（利用可能・チャージ済み・付与・凍結）と、各リソースパックの残量と有効期限（コンソールの /api/biz）"
    ),
    "how much of the cash balance is gifted, and when gifted cash expires": (
        "現金残高のうち付与分がいくらか、また付与分の有効期限"
    ),
    "Zhipu's answer has no currency and this host does not tell (bigmodel.cn is CNY, z.ai is USD): set the "
    "account's currency.": (
        "Zhipu の応答には通貨がなく、このホストからも判定できません（bigmodel.cn は CNY、z.ai は USD）。"
        "アカウントの通貨を設定してください。"
    ),
    "Zhipu says {recharged} was recharged and {gifted} gifted in total; how much of what is left is gifted is not "
    "said.": (
        "Zhipu によると、これまでのチャージ額は {recharged}、付与額は {gifted} です。残高のうち付与分がいくらかは"
        "示されません。"
    ),
    "{amount} more is frozen (held by Zhipu) and cannot be spent now.": (
        "ほかに {amount} が凍結されており（Zhipu が保留中）、今は使えません。"
    ),
    "Zhipu's resource packs could not be read: {reason}": "Zhipu のリソースパックを読めませんでした: {reason}",
    "…and {n} more resource packs.": "…ほかに {n} 個のリソースパックがあります。",
    "is '{value}', not a date and time": "が '{value}' で、日時ではありません",
    "(unnamed)": "（名前なし）",
    "uses": "回",
    "tokens": "トークン",
    " of {size}": "（全 {size}）",
    "expires {when} (China time)": "有効期限 {when}（中国時間）",
    "no expiry given": "有効期限の記載なし",
    "Gifted resource pack {name}: {count}{of} {unit} left, {expiry}.": (
        "付与リソースパック {name}: 残り {count}{of} {unit}、{expiry}。"
    ),
    "Resource pack {name}: {count}{of} {unit} left, {expiry}.": (
        "リソースパック {name}: 残り {count}{of} {unit}、{expiry}。"
    ),
    "an amount not given": "示されていない額",
}
