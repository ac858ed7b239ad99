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
from .http import Fields, base_url_of, get_json

KEY_PATH = "/key"
CREDITS_PATH = "/credits"
# limit_reset values and the /key field with that window's usage (usage_daily, ...); OpenRouter's windows are UTC
# days, weeks from Monday, and months (openrouter.ai/docs/api-reference/limits).
WINDOWS = ("daily", "weekly", "monthly")

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
        window_usage = {window: key_data.opt_decimal(f"usage_{window}") for window in WINDOWS}
        free_tier = key_data.opt_boolean("is_free_tier")
        limit_reset = key_data.opt_text("limit_reset", limit=40)
        expires_at = key_data.opt_text("expires_at", limit=40)

        notes: list[str] = []
        flags: set[str] = set()
        key_left: Decimal | None = None
        key_unknown: str | None = None  # why the key's limit leaves an unknown amount
        if limit is not None:
            key_left, key_unknown = self._key_left(key_data, limit, limit_remaining, usage, limit_reset, window_usage)
            if key_left is not None and limit_remaining is None:
                notes.append(_computed_note(limit_reset))
            if limit_reset:
                notes.append(tr("The key's limit of ${limit} resets {reset}.", limit=str(limit), reset=limit_reset))

        balance: Decimal | None = None
        if "management" in request.secrets:
            credits, spent = self._account_credits(request)
            evidence = self._account_is_not_empty(usage, window_usage, free_tier)
            if credits == 0 and spent == 0 and evidence is not None:
                # Observed, not documented: /credits answers a normal key 200 with two zeros instead of a 403.
                # The key's own figures are first-hand: an account with neither credits nor usage has no key that
                # spent money, and has never bought credits. Such zeros are no balance, not even a low one.
                notes.append(
                    tr(
                        "OpenRouter's /credits answered $0 credits and $0 used although this key {evidence}: the two "
                        "contradict, so that account balance is not used. The key entered as the management key is "
                        "probably a normal API key (OpenRouter answers one with zeros instead of refusing it).",
                        evidence=evidence,
                    )
                )
            else:
                balance = credits - spent

        remaining: Decimal | None
        unknown_reason: str | None = None
        if key_unknown is not None:
            remaining, unknown_reason = None, key_unknown
            if balance is not None:
                notes.append(tr("The account balance is ${balance}; the key may have less left.", balance=str(balance)))
        elif key_left is not None and balance is not None:
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
        elif "management" in request.secrets:
            remaining = None
            unknown_reason = tr(
                "This key has no spending limit of its own, so it draws on the account balance, and OpenRouter's "
                "answer for the account balance contradicts the key's own answer (see the notes)."
            )
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

    @staticmethod
    def _key_left(
        key_data: Fields,
        limit: Decimal,
        limit_remaining: Decimal | None,
        usage: Decimal | None,
        limit_reset: str | None,
        window_usage: dict[str, Decimal | None],
    ) -> tuple[Decimal | None, str | None]:
        """What the key's limit leaves, or why that is unknown. OpenRouter's own limit_remaining wins; a limit
        that resets is measured against the usage of its current window, never against lifetime usage."""
        if limit_remaining is not None:
            return limit_remaining, None
        if not limit_reset:
            if usage is None:
                raise key_data.bad("limit_remaining", tr("is missing although the key has a limit"))
            return limit - usage, None
        window = limit_reset.lower()
        if window not in WINDOWS:
            return None, tr(
                "The key's limit of ${limit} resets '{reset}', a period Credit Tray does not know, and OpenRouter "
                "gave no limit_remaining: what is left of the limit is unknown.",
                limit=str(limit),
                reset=limit_reset,
            )
        used = window_usage[window]
        if used is None:
            return None, tr(
                "The key's limit of ${limit} resets {reset}, and OpenRouter gave neither limit_remaining nor usage_"
                "{reset_field}: what is left of the limit this period is unknown (the key's lifetime usage is not "
                "this period's).",
                limit=str(limit),
                reset=limit_reset,
                reset_field=window,
            )
        return limit - used, None

    @staticmethod
    def _account_is_not_empty(
        usage: Decimal | None, window_usage: dict[str, Decimal | None], free_tier: bool | None
    ) -> str | None:
        """What in the key's own answer proves the account is not an empty one (for people), or None. A key's
        limit alone proves nothing: a cap can stand on an account that never had money."""
        spent = max([u for u in (usage, *window_usage.values()) if u is not None], default=None)
        if spent is not None and spent > 0:
            return tr("has used ${amount}", amount=str(spent))
        if free_tier is False:  # OpenRouter: is_free_tier is false once the account has bought credits
            return tr("is not on the free tier (the account has bought credits)")
        return None

    def _account_credits(self, request: FetchRequest) -> tuple[Decimal, Decimal]:
        """/credits as (total_credits, total_usage)."""
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
        return data.decimal("total_credits"), data.decimal("total_usage")


def _computed_note(limit_reset: str | None) -> str:
    """How a key_left without limit_remaining was computed: against the window the limit resets in."""
    window = (limit_reset or "").lower()
    if window == "daily":
        return tr("OpenRouter gave no limit_remaining; computed as the key's limit minus its usage today (UTC).")
    if window == "weekly":
        return tr("OpenRouter gave no limit_remaining; computed as the key's limit minus its usage this week (UTC).")
    if window == "monthly":
        return tr("OpenRouter gave no limit_remaining; computed as the key's limit minus its usage this month (UTC).")
    return tr("OpenRouter gave no limit_remaining; computed as the key's limit minus usage.")


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
    "OpenRouter gave no limit_remaining; computed as the key's limit minus its usage today (UTC).": (
        "OpenRouter が limit_remaining を返さなかったため、キーの上限から今日（UTC）の使用量を引いて計算しました。"
    ),
    "OpenRouter gave no limit_remaining; computed as the key's limit minus its usage this week (UTC).": (
        "OpenRouter が limit_remaining を返さなかったため、キーの上限から今週（UTC）の使用量を引いて計算しました。"
    ),
    "OpenRouter gave no limit_remaining; computed as the key's limit minus its usage this month (UTC).": (
        "OpenRouter が limit_remaining を返さなかったため、キーの上限から今月（UTC）の使用量を引いて計算しました。"
    ),
    "The key's limit of ${limit} resets '{reset}', a period Credit Tray does not know, and OpenRouter gave no "
    "limit_remaining: what is left of the limit is unknown.": (
        "キーの上限 ${limit} は「{reset}」でリセットされますが、Credit Tray はこの期間を知らず、OpenRouter は "
        "limit_remaining を返しませんでした。上限の残りは不明です。"
    ),
    "The key's limit of ${limit} resets {reset}, and OpenRouter gave neither limit_remaining nor usage_{reset_field}: "
    "what is left of the limit this period is unknown (the key's lifetime usage is not this period's).": (
        "キーの上限 ${limit} は {reset} でリセットされますが、OpenRouter は limit_remaining も usage_{reset_field} も"
        "返しませんでした。今期の上限の残りは不明です（キーの累計使用量は今期の使用量ではありません）。"
    ),
    "OpenRouter's /credits answered $0 credits and $0 used although this key {evidence}: the two contradict, so that "
    "account balance is not used. The key entered as the management key is probably a normal API key (OpenRouter "
    "answers one with zeros instead of refusing it).": (
        "このキーは{evidence}のに、OpenRouter の /credits はクレジット $0、使用量 $0 と答えました。両者は矛盾するため、"
        "このアカウント残高は使いません。管理キーとして入力されたキーはおそらく通常のAPIキーです（OpenRouter はそのよう"
        "なキーを拒否せず、ゼロを返します）。"
    ),
    "has used ${amount}": "${amount} を使用している",
    "is not on the free tier (the account has bought credits)": (
        "無料枠ではない（アカウントでクレジットを購入したことがある）"
    ),
    "The account balance is ${balance}; the key may have less left.": (
        "アカウントの残高は ${balance} です。キーの残りはこれより少ない可能性があります。"
    ),
    "This key has no spending limit of its own, so it draws on the account balance, and OpenRouter's answer for the "
    "account balance contradicts the key's own answer (see the notes).": (
        "このキーには独自の利用上限がなく、アカウントの残高を使いますが、アカウント残高についての OpenRouter の応答が"
        "キー自体の応答と矛盾しています（注記を参照）。"
    ),
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
