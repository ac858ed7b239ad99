"""OpenAI-compatible relays (one-api / new-api and sites built on them), with the relay's normal key.

`GET {base}/v1/dashboard/billing/subscription` → `{"hard_limit_usd": X, "access_until": s, ...}` where X is
the key's total quota (remaining + used) and 100000000 means unlimited; `GET .../usage` →
`{"total_usage": used * 100}`. Remaining = hard_limit_usd − total_usage / 100. Units are called USD but a
relay may count in CNY: the account's currency setting wins.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlsplit

from ..core.i18n import tr, tr_noop
from ..core.models import Snapshot
from .base import FetchOutcome, FetchRequest, ProviderInfo
from .http import base_url_of, business_error, get_json, secret_values

UNLIMITED = Decimal(100000000)
MAX_TIMESTAMP = 253402300799  # 9999-12-31T23:59:59Z


def billing_path(base_url: str, leaf: str) -> str:
    """Relays are configured with or without the trailing /v1; the billing API lives under /v1."""
    path = urlsplit(base_url).path.rstrip("/")
    prefix = "" if path.endswith("/v1") else "/v1"
    return f"{prefix}/dashboard/billing/{leaf}"


INFO = ProviderInfo(
    name="openai-compatible",
    display_name="OpenAI-compatible relay (one-api / new-api)",
    module=__name__,
    default_base_url=None,
    default_currency="USD",
    reads=tr_noop("the key's quota and usage (/v1/dashboard/billing/subscription and /usage)"),
    not_knowable=tr_noop("the unit may be CNY on some relays: set the currency on the account"),
)


class RelayProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        base = base_url_of(request, self.info)
        secrets = secret_values(request)
        sub_answer = get_json(request, self.info, billing_path(base, "subscription"))
        sub = sub_answer.root()
        if not sub.has("hard_limit_usd") and sub.has("error"):
            err = sub.raw("error")
            message = err.get("message") if isinstance(err, dict) else err
            raise business_error(self.info, sub_answer.endpoint, "error", str(message) if message else None, secrets)
        hard_limit = sub.decimal("hard_limit_usd")
        access_until = sub.integer("access_until", minimum=-1, maximum=MAX_TIMESTAMP) if sub.has("access_until") else 0
        usage = get_json(request, self.info, billing_path(base, "usage")).root()
        used = usage.decimal("total_usage") / 100

        notes: list[str] = []
        flags: set[str] = set()
        remaining: Decimal | None
        unknown_reason: str | None = None
        if hard_limit >= UNLIMITED:
            remaining = None
            flags.add("unlimited")
            unknown_reason = tr(
                "The relay reports this key as unlimited (quota 100000000): it has no quota of its own, "
                "and the relay does not show the balance behind it."
            )
        else:
            remaining = hard_limit - used
        expires_at: datetime | None = None
        if access_until > 0:
            expires_at = datetime.fromtimestamp(access_until, UTC)
            if expires_at <= request.now:
                flags.update({"expired", "blocked"})
                notes.append(
                    tr(
                        "The relay says this key expired on {date}; its quota can no longer be spent.",
                        date=expires_at.date().isoformat(),
                    )
                )
        currency = request.account.currency or self.info.default_currency
        if request.account.currency is None:
            notes.append(
                tr(
                    "Relays label amounts USD, but some count in CNY or other units: set the account's currency "
                    "if this relay does."
                )
            )
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=currency,
            remaining=remaining,
            used=used,
            expires_at=expires_at,
            unknown_reason=unknown_reason,
            flags=frozenset(flags),
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)


PROVIDER = RelayProvider()


JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "the key's quota and usage (/v1/dashboard/billing/subscription and /usage)": (
        "キーのクォータと使用量（/v1/dashboard/billing/subscription と /usage）"
    ),
    "the unit may be CNY on some relays: set the currency on the account": (
        "リレーによっては単位がCNYの場合があります（アカウントで通貨を設定してください）"
    ),
    "The relay reports this key as unlimited (quota 100000000): it has no quota of its own, and the relay does not "
    "show the balance behind it.": (
        "リレーはこのキーを無制限（クォータ 100000000）としています。キー独自のクォータはなく、リレーはその背後の残高を"
        "表示しません。"
    ),
    "The relay says this key expired on {date}; its quota can no longer be spent.": (
        "リレーによると、このキーは {date} に期限切れになりました。クォータはもう使えません。"
    ),
    "Relays label amounts USD, but some count in CNY or other units: set the account's currency if this relay does.": (
        "リレーは金額を USD と表示しますが、CNY など別の単位で数えるものもあります。このリレーがそうなら、アカウントの"
        "通貨を設定してください。"
    ),
}
