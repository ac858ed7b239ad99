"""OpenRouter: `GET {base}/key` with the API key; `GET {base}/credits` with the optional management key.

/key: `{"data": {"limit", "limit_remaining", "limit_reset", "usage", "is_free_tier", "expires_at", ...}}`
(USD). `limit: null` means the key has no cap of its own and draws on the account balance, which only
/credits shows (`{"data": {"total_credits", "total_usage"}}`), and only to a management key since 2026.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.errors import ProviderError
from ..core.i18n import tr, tr_noop
from ..core.models import ErrorKind, Snapshot
from .base import FetchOutcome, FetchRequest, ProviderInfo, SecretSpec
from .http import base_url_of, get_json

KEY_PATH = "/key"
CREDITS_PATH = "/credits"

NO_BALANCE_REASON = tr(
    "This key has no spending limit of its own, so it draws on the account balance, which OpenRouter "
    "shows only to a management key: add one to the account to read it."
)


INFO = ProviderInfo(
    name="openrouter",
    display_name="OpenRouter",
    module=__name__,
    default_base_url="https://openrouter.ai/api/v1",
    default_currency="USD",
    billing_url="https://openrouter.ai/settings/credits",
    secrets=(
        SecretSpec("api", tr_noop("API key"), hint=tr_noop("sk-or-v1-…")),
        SecretSpec(
            "management",
            tr_noop("Management key (optional)"),
            required=False,
            hint=tr_noop("reads the account balance (/api/v1/credits)"),
        ),
    ),
    reads=tr_noop("the key's limit and usage (/api/v1/key); the account balance with a management key"),
    not_knowable=tr_noop("the account balance without a management key, when the key has no limit"),
)


class OpenRouterProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        key_data = get_json(request, self.info, KEY_PATH).root().obj("data")
        limit = key_data.opt_decimal("limit")
        limit_remaining = key_data.opt_decimal("limit_remaining", negative=True)
        usage = key_data.opt_decimal("usage")
        free_tier = key_data.opt_boolean("is_free_tier")
        limit_reset = key_data.opt_text("limit_reset", limit=40)
        expires_at = key_data.opt_text("expires_at", limit=40)

        notes: list[str] = []
        flags: set[str] = set()
        key_left: Decimal | None = None
        if limit is not None:
            if limit_remaining is not None:
                key_left = limit_remaining
            elif usage is not None:
                key_left = limit - usage
                notes.append(tr("OpenRouter gave no limit_remaining; computed as the key's limit minus usage."))
            else:
                raise key_data.bad("limit_remaining", tr("is missing although the key has a limit"))
            if limit_reset:
                notes.append(tr("The key's limit of ${limit} resets {reset}.", limit=str(limit), reset=limit_reset))

        balance: Decimal | None = None
        if "management" in request.secrets:
            balance = self._account_balance(request)

        remaining: Decimal | None
        unknown_reason: str | None = None
        if key_left is not None and balance is not None:
            remaining = min(key_left, balance)
            if balance < key_left:
                notes.append(
                    tr("The account balance (${balance}) is below this key's remaining limit.", balance=str(balance))
                )
            else:
                notes.append(
                    tr("The key's own limit leaves less than the account balance (${balance}).", balance=str(balance))
                )
        elif key_left is not None:
            remaining = key_left
            notes.append(
                tr(
                    "This is what the key's own limit leaves; the account balance may be lower "
                    "(a management key would show it)."
                )
            )
        elif balance is not None:
            remaining = balance
        else:
            remaining = None
            unknown_reason = NO_BALANCE_REASON
        if free_tier:
            flags.add("free_tier")
            notes.append(
                tr(
                    "OpenRouter marks this key as free tier: the account has never bought credits, "
                    "so only free models are usable."
                )
            )
        if expires_at:
            notes.append(tr("The key itself expires at {time}.", time=expires_at))
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=self.info.currency_for(base_url_of(request, self.info), request.account.currency),
            remaining=remaining,
            used=usage,
            unknown_reason=unknown_reason,
            flags=frozenset(flags),
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)

    def _account_balance(self, request: FetchRequest) -> Decimal:
        try:
            answer = get_json(
                request, self.info, CREDITS_PATH, secret_kind="management", secret_label=tr("management key")
            )
        except ProviderError as exc:
            if exc.kind is ErrorKind.PERMISSION:
                raise ProviderError(
                    ErrorKind.PERMISSION,
                    tr("Management key refused"),
                    tr(
                        "{message} The account balance (/credits) needs an OpenRouter management key; a normal API "
                        "key is not enough. Enter a management key, or remove it from the account to show only the "
                        "key's limit.",
                        message=exc.message,
                    ),
                    provider=self.info.name,
                ) from None
            raise
        data = answer.root().obj("data")
        total = data.decimal("total_credits")
        used = data.decimal("total_usage")
        return total - used


PROVIDER = OpenRouterProvider()


JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "This key has no spending limit of its own, so it draws on the account balance, which OpenRouter shows only to "
    "a management key: add one to the account to read it.": (
        "このキーには独自の利用上限がなく、アカウントの残高を使います。OpenRouter はその残高を管理キーにしか表示しませ"
        "ん。読み取るにはアカウントに管理キーを追加してください。"
    ),
    "sk-or-v1-…": "sk-or-v1-…",
    "Management key (optional)": "管理キー（任意）",
    "reads the account balance (/api/v1/credits)": "アカウントの残高を取得します（/api/v1/credits）",
    "the key's limit and usage (/api/v1/key); the account balance with a management key": (
        "キーの上限と使用量（/api/v1/key）、管理キーがあればアカウントの残高"
    ),
    "the account balance without a management key, when the key has no limit": (
        "管理キーがなく、キーに上限がない場合のアカウント残高"
    ),
    "OpenRouter gave no limit_remaining; computed as the key's limit minus usage.": (
        "OpenRouter が limit_remaining を返さなかったため、キーの上限から使用量を引いて計算しました。"
    ),
    "is missing although the key has a limit": "がありません（キーには上限があります）",
    "The key's limit of ${limit} resets {reset}.": "キーの上限 ${limit} のリセット: {reset}。",
    "The account balance (${balance}) is below this key's remaining limit.": (
        "アカウントの残高（${balance}）がこのキーの上限の残りを下回っています。"
    ),
    "The key's own limit leaves less than the account balance (${balance}).": (
        "キー自体の上限の残りがアカウントの残高（${balance}）を下回っています。"
    ),
    "This is what the key's own limit leaves; the account balance may be lower (a management key would show it).": (
        "これはキー自体の上限の残りです。アカウントの残高はこれより少ない可能性があります（管理キーがあれば表示されます"
        "）。"
    ),
    "OpenRouter marks this key as free tier: the account has never bought credits, so only free models are usable.": (
        "OpenRouter はこのキーを無料枠としています。アカウントでクレジットを購入したことがないため、無料のモデルしか使"
        "えません。"
    ),
    "The key itself expires at {time}.": "キー自体は {time} に期限切れになります。",
    "management key": "管理キー",
    "Management key refused": "管理キーが拒否されました",
    "{message} The account balance (/credits) needs an OpenRouter management key; a normal API key is not enough. "
    "Enter a management key, or remove it from the account to show only the key's limit.": (
        "{message} アカウントの残高（/credits）には OpenRouter の管理キーが必要で、通常のAPIキーでは読み取れません。管"
        "理キーを入力するか、アカウントから削除してキーの上限だけを表示してください。"
    ),
}
