"""LiteLLM proxy (self-hosted): a virtual key's budget, read with that key. No default address.

1. `GET {base}/key/info` (no `?key=`: the key in the header is read): `{"key": "<the key, echoed>", "info":
   {"spend": 212.35, "max_budget": null, "budget_duration": "30d", "budget_reset_at": "2026-07-01T00:00:00Z",
   "expires": "2026-09-11T00:12:55.950000+00:00", "user_id": "…", "team_id": "…", "blocked": null, ...}}`,
   USD floats; a key under a budget tier (`budget_id`) without a `max_budget` of its own is held to the tier's,
   `info.litellm_budget_table.max_budget`. Older proxies require `?key=` and answer 422 without it: then it is
   asked again with the key as that parameter, to the same address.
2. A key with no `max_budget` of its own spends its team's budget (LiteLLM's rule: a team key is held to the
   team's budget, not its user's): `GET {base}/team/info?team_id=` → `{"team_info": {"max_budget", "spend",
   "budget_reset_at", "budget_duration", ...}}`; a key without a team, its user's: `GET {base}/user/info?user_id=`
   → `{"user_info": {...the same fields}}`.
Remaining = `max_budget − spend` of the first level that has a budget. No budget anywhere: LiteLLM does not
limit the key, and the money behind the proxy cannot be read: unknown, flag *unlimited*. `budget_reset_at` is
when `spend` returns to 0 (the budget refills; what was left does not carry over); `expires` is when the key
stops working. A base URL ending in /v1 (how clients are configured) is read without it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from ..core.errors import ProviderError
from ..core.i18n import tr, tr_noop
from ..core.models import ErrorKind, Snapshot
from ..core.rules import format_money
from .base import FetchOutcome, FetchRequest, ProviderInfo
from .http import Fields, HttpFailure, get_json, usable_key

KEY_INFO = "/key/info"
TEAM_INFO = "/team/info"
USER_INFO = "/user/info"

INFO = ProviderInfo(
    name="litellm",
    display_name="LiteLLM",
    module=__name__,
    default_base_url=None,
    default_currency="USD",
    reads=tr_noop(
        "the virtual key's budget, spend, reset and expiry (/key/info); the team's or user's budget when the key "
        "has none (/team/info, /user/info)"
    ),
    not_knowable=tr_noop(
        "how much money is behind the proxy when no budget is set, and a team member's own budget inside the team"
    ),
)


class LiteLLMProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        request = _without_v1(request)
        key = self._key_info(request)
        notes: list[str] = []
        flags: set[str] = set()
        owner, level = key, tr("the key")
        unknown: str | None = None
        # A key put under a budget tier (budget_id) with no max_budget of its own is held to the tier's.
        tier = key.obj("litellm_budget_table") if isinstance(key.raw("litellm_budget_table"), dict) else None
        own_budget = key.opt_decimal("max_budget")
        if own_budget is None and tier is not None:
            own_budget = tier.opt_decimal("max_budget")
        if own_budget is None:  # the key spends its team's budget, or its user's when it has no team
            team_id, user_id = key.opt_text("team_id"), key.opt_text("user_id")
            found: Fields | HttpFailure | None = None
            if team_id:
                found, level = self._owner(request, TEAM_INFO, "team_id", team_id, "team_info"), tr("the team")
            elif user_id:
                found, level = self._owner(request, USER_INFO, "user_id", user_id, "user_info"), tr("the user")
            if isinstance(found, HttpFailure):
                unknown = tr(
                    "This key has no budget of its own, so it spends {level}'s, which the proxy does not show to "
                    "this key ({refusal}).",
                    level=level,
                    refusal=found.title,
                )
            elif found is not None:
                owner = found
        budget = own_budget if owner is key else owner.opt_decimal("max_budget")
        spend = owner.opt_decimal("spend")
        remaining: Decimal | None = None
        if unknown is None and budget is None:
            flags.add("unlimited")
            unknown = (
                tr(
                    "LiteLLM sets no budget on this key, so it does not limit spending; how much money is behind the "
                    "proxy cannot be read with this key."
                )
                if owner is key
                else tr(
                    "LiteLLM sets no budget on this key or on {level}, so it does not limit spending; how much money "
                    "is behind the proxy cannot be read with this key.",
                    level=level,
                )
            )
        elif unknown is None and budget is not None:
            if spend is None:
                raise owner.bad("spend", tr("is missing"))
            remaining = budget - spend  # below zero when the last request overshot: LiteLLM's own count
            notes.append(
                tr(
                    "Budget of {level}: {budget}, of which {spent} spent.",
                    level=level,
                    budget=format_money(budget, "USD"),
                    spent=format_money(spend, "USD"),
                )
            )
            reset = _when(owner, "budget_reset_at")
            if reset is not None:
                duration = owner.opt_text("budget_duration", limit=20) or (
                    tier.opt_text("budget_duration", limit=20) if tier is not None and owner is key else None
                )
                notes.append(
                    tr(
                        "The budget refills on {date} (every {duration}); what is left of it then does not carry over.",
                        date=_day(reset),
                        duration=duration or tr("period"),
                    )
                )
        if key.opt_boolean("blocked"):
            flags.add("blocked")
            notes.append(tr("LiteLLM says this key is blocked: requests with it are refused."))
        expires = _when(key, "expires")
        if expires is not None and expires <= request.now:
            flags.update({"expired", "blocked"})
            notes.append(tr("This key expired on {date}: LiteLLM refuses it.", date=_day(expires)))
        elif expires is not None:
            notes.append(tr("This key stops working on {date}, whatever budget is left.", date=_day(expires)))
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency="USD",
            remaining=remaining,
            used=spend,
            expires_at=expires,
            unknown_reason=unknown,
            flags=frozenset(flags),
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot)

    def _key_info(self, request: FetchRequest) -> Fields:
        try:
            answer = get_json(request, self.info, KEY_INFO)
        except HttpFailure as exc:
            if exc.status != 422:
                raise _refined(exc) from None
            # An older proxy: /key/info?key= is required. The key goes to the same address, as a parameter.
            try:
                answer = get_json(
                    request, self.info, KEY_INFO, params={"key": usable_key(self.info, request.secrets.get("api"))}
                )
            except HttpFailure as again:
                raise _refined(again) from None
        return answer.root().obj("info")

    def _owner(
        self, request: FetchRequest, path: str, id_field: str, owner_id: str, section: str
    ) -> Fields | HttpFailure:
        """The team's or user's own figures; the refusal when the proxy does not let this key read them."""
        try:
            answer = get_json(request, self.info, path, params={id_field: owner_id})
        except HttpFailure as exc:
            if exc.kind in (ErrorKind.PERMISSION, ErrorKind.AUTH, ErrorKind.CONFIG):
                return exc
            raise _refined(exc) from None
        root = answer.root()
        if root.raw(section) is None:  # no such row (a user the proxy never stored): no budget of its own
            return Fields(self.info, answer.endpoint, {}, section, root.secrets)
        owner = root.obj(section)
        said = owner.opt_text(id_field)
        if said is not None and said != owner_id:  # someone else's figures are not this key's budget
            raise owner.bad(id_field, tr("is not the one /key/info named"))
        return owner


def _without_v1(request: FetchRequest) -> FetchRequest:
    """Clients are configured with {proxy}/v1; the management routes are at the proxy's root."""
    base = (request.account.base_url or "").rstrip("/")
    if not base.endswith("/v1"):
        return request
    return replace(request, account=replace(request.account, base_url=base.removesuffix("/v1")))


def _refined(exc: HttpFailure) -> ProviderError:
    """LiteLLM's refusal of a key whose budget is spent (400 or 429, type budget_exceeded) is no credit left;
    its 404 "Key not found in database" is a key the proxy no longer knows (deleted), not a wrong address."""
    said = exc.said.lower()
    if "budget_exceeded" in exc.codes or "budget has been exceeded" in said or "exceededbudget" in said:
        return ProviderError(
            ErrorKind.QUOTA, tr("Out of credit"), exc.message, provider=INFO.name, retry_after=exc.retry_after
        )
    if exc.status == 404 and "key not found" in said:
        return ProviderError(ErrorKind.AUTH, tr("Key rejected"), exc.message, provider=INFO.name)
    return exc


def _when(fields: Fields, key: str) -> datetime | None:
    """An ISO 8601 time (LiteLLM writes UTC, with or without an offset); None when absent."""
    text = fields.opt_text(key, limit=40)
    if text is None or not text.strip():
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise fields.bad(key, tr("is '{value}', not a date and time", value=text)) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _day(when: datetime) -> str:
    return when.astimezone(UTC).date().isoformat()


PROVIDER = LiteLLMProvider()

JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "the virtual key's budget, spend, reset and expiry (/key/info); the team's or user's budget when the key has "
    "none (/team/info, /user/info)": (
        "仮想キーの予算・利用額・リセット・有効期限（/key/info）。キーに予算がなければチームまたはユーザーの予算"
        "（/team/info、/user/info）"
    ),
    "how much money is behind the proxy when no budget is set, and a team member's own budget inside the team": (
        "予算が設定されていないときにプロキシの背後にある金額、およびチーム内のメンバー個別の予算"
    ),
    "the key": "キー",
    "the team": "チーム",
    "the user": "ユーザー",
    "This key has no budget of its own, so it spends {level}'s, which the proxy does not show to this key "
    "({refusal}).": (
        "このキーには独自の予算がないため{level}の予算を使いますが、プロキシはそれをこのキーに示しません（{refusal}）。"
    ),
    "LiteLLM sets no budget on this key, so it does not limit spending; how much money is behind the proxy cannot "
    "be read with this key.": (
        "LiteLLM はこのキーに予算を設定していないため、利用額を制限しません。"
        "プロキシの背後にある金額はこのキーでは読めません。"
    ),
    "LiteLLM sets no budget on this key or on {level}, so it does not limit spending; how much money is behind "
    "the proxy cannot be read with this key.": (
        "LiteLLM はこのキーにも{level}にも予算を設定していないため、利用額を制限しません。"
        "プロキシの背後にある金額はこのキーでは読めません。"
    ),
    "Budget of {level}: {budget}, of which {spent} spent.": "{level}の予算: {budget}（うち {spent} 使用済み）。",
    "The budget refills on {date} (every {duration}); what is left of it then does not carry over.": (
        "予算は {date} に補充されます（{duration} ごと）。その時点の残りは繰り越されません。"
    ),
    "period": "期間",
    "LiteLLM says this key is blocked: requests with it are refused.": (
        "LiteLLM によるとこのキーはブロックされています。このキーでのリクエストは拒否されます。"
    ),
    "This key expired on {date}: LiteLLM refuses it.": (
        "このキーは {date} に期限切れになりました。LiteLLM は拒否します。"
    ),
    "This key stops working on {date}, whatever budget is left.": (
        "このキーは予算の残りに関係なく {date} に使えなくなります。"
    ),
    "is not the one /key/info named": "は /key/info が示したものと違います",
    "is '{value}', not a date and time": "は「{value}」で、日時ではありません",
}
