"""OpenAI-compatible relays (one-api / new-api and sites built on them), with the relay's normal key.

Read first, where the relay has it: new-api's `GET {root}/api/usage/token` → `{"code": true, "data": {"object":
"token_usage", "total_granted", "total_used", "total_available", "unlimited_quota", "expires_at"}}`, amounts in
raw quota units, with `GET {root}/api/status` (public) for `quota_per_unit` (QuantumNous/new-api
controller/token.go GetTokenUsage, controller/misc.go GetStatus).

Otherwise the old OpenAI shapes: `GET {base}/v1/dashboard/billing/subscription` (`hard_limit_usd`,
`access_until`) and `.../usage` (`total_usage`, cents). What `hard_limit_usd` means depends on the program and
its DisplayTokenStatEnabled setting (controller/billing.go GetSubscription):
- setting on (both programs): the key's remaining + used; `access_until` is the key's expiry; 100000000 = an
  unlimited key. Remaining = hard_limit_usd − total_usage / 100.
- setting off, new-api and one-api v0.5.x: the relay *account's* remaining + used: the same subtraction.
- setting off, one-api v0.6.0 and later (songquanpeng/one-api d548a01c, 2024-02-12, `if err != nil` around
  GetUserUsedQuota): the account's *remaining* alone, next to its lifetime usage: subtracting is wrong.
The answer does not say the setting, so the program is read from `/api/status` and the case is told from the
figures where the code allows it; where it does not, remaining is unknown, never a guess.

With the relay user's system access token (optional; AIHubMix calls it the Manage Key), the user's own balance
instead: `GET {root}/api/user/self` with `Authorization: <access token>` and, when the user id is given,
`New-Api-User: <id>` (new-api before its personal-access-token rework refuses the call without it) →
`{"success": true, "data": {"quota": <remaining>, "used_quota": <spent>, ...}}` in raw quota units; refusals
arrive as HTTP 200 `{"success": false, "message"}` or 401 (QuantumNous/new-api controller/user.go GetSelf,
middleware/auth.go authHelper, model/user.go ValidateAccessToken). The rest of the answer (name, email,
affiliate code, group) is personal and never kept.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from ..core.errors import ProviderError
from ..core.i18n import tr, tr_noop
from ..core.models import ErrorKind, Snapshot
from .ahead import Ahead
from .base import FetchOutcome, FetchRequest, ProviderInfo, SecretSpec
from .http import (
    Fields,
    HttpFailure,
    JsonAnswer,
    base_url_of,
    business_error,
    get_json,
    in_sentence,
    scrub,
    secret_values,
)

UNLIMITED = Decimal(100000000)
# What a relay offers changes only when it is upgraded: asked again after these, not every poll (a poll then
# costs one request on new-api, two on one-api, as before /api/usage/token was read).
SITE_TTL = timedelta(days=1)
NO_TOKEN_ROUTE_TTL = timedelta(days=7)
MAX_TIMESTAMP = 253402300799  # 9999-12-31T23:59:59Z
DEFAULT_QUOTA_PER_UNIT = Decimal(500000)  # new-api's and one-api's common.QuotaPerUnit, when a site does not say
# Words of new-api's auth middleware when it refuses an access token with HTTP 200 (success: false), old and new.
_TOKEN_REFUSED = ("access token", "未登录", "无权进行此操作", "new-api-user", "封禁", "banned", "not logged in")


def billing_path(base_url: str, leaf: str) -> str:
    """Relays are configured with or without the trailing /v1; the billing API lives under /v1."""
    path = urlsplit(base_url).path.rstrip("/")
    prefix = "" if path.endswith("/v1") else "/v1"
    return f"{prefix}/dashboard/billing/{leaf}"


def site_root(base_url: str) -> str:
    """new-api's own routes (/api/...) live at the site root, not under /v1."""
    stripped = base_url.rstrip("/")
    return stripped[: -len("/v1")] if stripped.endswith("/v1") else stripped


@dataclass(frozen=True)
class Site:
    """What the public `/api/status` tells: which program, and how its amounts are counted."""

    program: str | None  # "new-api", "one-api-sum" (v0.5.x), "one-api-remaining" (v0.6.0+), None: unknown
    quota_per_unit: Decimal | None
    in_currency: bool | None  # False: the dashboard amounts are raw quota units, not money
    display: str | None  # new-api's quota_display_type: USD, CNY, TOKENS, CUSTOM
    usd_rate: Decimal | None


UNKNOWN_SITE = Site(None, None, None, None, None)
_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


def _positive(value: Any) -> Decimal | None:
    """A positive finite amount (a number or its text), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        return None
    try:
        result = Decimal(str(value))
    except ArithmeticError:
        return None
    return result if result.is_finite() and result > 0 else None


DISPLAYS = ("USD", "CNY", "TOKENS", "CUSTOM")  # new-api's quota_display_type values


def site_of(data: Any) -> Site:
    if not isinstance(data, dict):
        return UNKNOWN_SITE

    def number(key: str) -> Decimal | None:
        return _positive(data.get(key))

    # new-api's status has carried enable_drawing since 2024-01 (Calcium-Ion/new-api bf8794d2) and
    # quota_display_type since 2025; one-api's never has either (songquanpeng/one-api controller/misc.go).
    program: str | None
    if "enable_drawing" in data or "quota_display_type" in data:
        program = "new-api"
    else:
        match = _VERSION.match(str(data.get("version") or ""))
        version = tuple(int(part) for part in match.groups()) if match else (0, 0, 0)
        # one-api builds report their git tag; v0.0.0 is an untagged build, which tells nothing.
        program = "one-api-remaining" if version >= (0, 6, 0) else "one-api-sum" if version >= (0, 5, 0) else None
    display = data.get("quota_display_type")
    in_currency = data.get("display_in_currency")
    return Site(
        program=program,
        quota_per_unit=number("quota_per_unit"),
        in_currency=in_currency if isinstance(in_currency, bool) else None,
        display=display if display in DISPLAYS else None,  # only known words: nothing else is kept
        usd_rate=number("usd_exchange_rate"),
    )


class _Memory:
    """The account's provider cache: the site's /api/status and whether it has /api/usage/token, for the
    relay root they were read from (another root forgets them). Read defensively: a bad value is forgotten."""

    def __init__(self, cache: Any, root: str, now: datetime) -> None:
        data = dict(cache) if isinstance(cache, dict) and cache.get("root") == root else {}
        self.data: dict[str, Any] = {**data, "root": root}
        self.now = now

    def within(self, key: str, ttl: timedelta) -> bool:
        try:
            at = datetime.fromisoformat(str(self.data[key]))
        except (KeyError, ValueError):
            return False
        return at.tzinfo is not None and self.now - ttl < at <= self.now

    def mark(self, key: str) -> None:
        self.data[key] = self.now.isoformat()

    def site(self) -> Site | None:
        raw = self.data.get("site")
        if not self.within("site_at", SITE_TTL) or not isinstance(raw, dict):
            return None

        program, display, in_currency = raw.get("program"), raw.get("display"), raw.get("in_currency")
        return Site(
            program=program if program in ("new-api", "one-api-sum", "one-api-remaining") else None,
            quota_per_unit=_positive(raw.get("quota_per_unit")),
            in_currency=in_currency if isinstance(in_currency, bool) else None,
            display=display if display in DISPLAYS else None,
            usd_rate=_positive(raw.get("usd_rate")),
        )

    def keep_site(self, site: Site) -> None:
        self.data["site"] = {k: str(v) if isinstance(v, Decimal) else v for k, v in asdict(site).items()}
        self.mark("site_at")


INFO = ProviderInfo(
    name="openai-compatible",
    display_name="OpenAI-compatible relay (one-api / new-api)",
    module=__name__,
    default_base_url=None,
    default_currency="USD",
    secrets=(
        SecretSpec("api", tr_noop("API key")),
        SecretSpec(
            "access",
            tr_noop("Access token (optional)"),
            required=False,
            hint=tr_noop("the relay's system access token (AIHubMix: Manage Key): reads your whole balance"),
        ),
        SecretSpec(
            "user",
            tr_noop("Relay user ID (optional)"),
            required=False,
            hint=tr_noop("your numeric user ID on the relay, which older new-api versions ask for with the token"),
        ),
    ),
    reads=tr_noop(
        "the key's quota and usage (/api/usage/token where the relay has it, else "
        "/v1/dashboard/billing/subscription and /usage); with an access token, your balance (/api/user/self)"
    ),
    not_knowable=tr_noop("the unit may be CNY on some relays: set the currency on the account"),
)


def _unlimited_reason() -> str:
    return tr(
        "The relay reports this key as unlimited: it has no quota of its own, and the relay does not show the "
        "balance behind it."
    )


class RelayProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        base = base_url_of(request, self.info)
        root = site_root(base)
        at_root = replace(request, account=replace(request.account, base_url=root))
        memory = _Memory(request.cache, root, request.now)
        if request.secrets.get("access") is not None:
            return replace(self._user_balance(at_root, memory), cache=memory.data)
        site = memory.site()
        no_token_route = memory.within("no_token_route_at", NO_TOKEN_ROUTE_TTL)
        # The public /api/status, the token's usage and the dashboard do not depend on each other: asked at once.
        # Whether the dashboard is needed is known from the other two; with the site to be read again it is
        # asked with them when the relay has no token route, and at a new account's first poll, which then waits
        # one answer instead of two (on a new-api relay the dashboard's two answers go unused that once).
        status = Ahead(lambda: self._site(at_root), "relay-ahead") if site is None else None
        first_poll = "site_at" not in memory.data
        dashboard = self._dashboard_ahead(request, base) if site is None and (no_token_route or first_poll) else None
        token_usage = None
        try:
            if not no_token_route:
                token_usage, absent = self._token_usage(at_root)
                if absent:
                    memory.mark("no_token_route_at")
        finally:
            for answer in (status, *(dashboard or ())):
                if answer is not None:
                    answer.wait()  # no request of this poll is left running after it ends, even on an error
        if status is not None:
            site, answered = status.result()
            if answered:
                memory.keep_site(site)
        assert site is not None
        if token_usage is not None and site.quota_per_unit is not None:
            outcome = self._from_token_usage(request, token_usage, site)
        else:
            outcome = self._from_dashboard(request, site, dashboard or self._dashboard_ahead(request, base))
        return replace(outcome, cache=memory.data)

    # ------------------------------------------------------------ new-api /api/usage/token

    def _token_usage(self, request: FetchRequest) -> tuple[Fields | None, bool]:
        """The token's usage, or None; and whether the relay has no such route (then it is not asked again
        for a while): one-api has none (404), another program may answer something else there."""
        try:
            answer = get_json(request, self.info, "/api/usage/token")
        except HttpFailure as exc:
            # Any HTTP answer leaves the dashboard to give its own; only a relay that did not answer at all
            # is an error. A 5xx may be passing: the route is asked again next poll.
            if exc.status is not None:
                return None, exc.status in (400, 401, 403, 404, 405, 410)
            raise
        except ProviderError:
            return None, True  # not JSON (a web page at that path): not new-api's route
        root = answer.root()
        if root.raw("success") is False:  # an unknown key: HTTP 200 {"success": false, "message": ...}
            message = root.raw("message")
            raise business_error(
                self.info, answer.endpoint, "success=false", str(message) if message else None, answer.secrets
            )
        if root.raw("code") is not True or not isinstance(root.raw("data"), dict):
            return None, True  # some other program's answer on that path
        data = root.obj("data")
        return (data, False) if data.raw("object") == "token_usage" else (None, True)

    # ------------------------------------------------------------ new-api /api/user/self (access token)

    def _user_balance(self, request: FetchRequest, memory: _Memory) -> FetchOutcome:
        user = request.secrets.get("user")
        user_id = user.reveal().strip() if user is not None else ""
        if user_id and not user_id.isdigit():
            raise ProviderError(
                ErrorKind.CONFIG,
                tr("Invalid relay user ID"),
                tr("The relay user ID is a number (shown in the relay's personal settings); edit the account."),
                provider=self.info.name,
            )
        # Every key is scrubbed from quotes, not the id: a short number that may appear in any text.
        with_token = replace(request, secrets={k: v for k, v in request.secrets.items() if k != "user"})
        site = memory.site()
        # The status is asked with the balance, at once.
        status = Ahead(lambda: self._site(request), "relay-ahead") if site is None else None
        try:
            root = self._self_answer(with_token, user_id)
        finally:
            if status is not None:
                status.wait()
        data = root.obj("data")
        if status is not None:
            site, answered = status.result()
            if answered:
                memory.keep_site(site)
        assert site is not None
        notes: list[str] = []
        per_unit = site.quota_per_unit
        if per_unit is None:
            per_unit = DEFAULT_QUOTA_PER_UNIT
            notes.append(
                tr(
                    "The relay does not say its quota unit (/api/status): 500,000 units = 1 USD, the default of "
                    "new-api and one-api, is assumed."
                )
            )
        factor, currency = Decimal(1) / per_unit, "USD"
        if site.display == "CNY" and site.usd_rate is not None and request.account.currency in (None, "CNY"):
            factor, currency = factor * site.usd_rate, "CNY"
        # quota is what is left (spending decrements it; new-api's own clients show it as the balance), and may
        # dip below zero on the last call: the relay's figure, shown.
        remaining = data.decimal("quota", negative=True) * factor
        used = data.decimal("used_quota") * factor if data.has("used_quota") else None
        notes.append(tr("These figures are the relay account's, shared by all its keys, not this key's own."))
        told = site.display in ("USD", "CNY")
        return self._snapshot(request, remaining, used, 0, None, set(), notes, currency, told)

    def _self_answer(self, with_token: FetchRequest, user_id: str) -> Fields:
        """/api/user/self's answer with success: true, or the error a user should see."""
        try:
            answer = get_json(
                with_token,
                self.info,
                "/api/user/self",
                secret_kind="access",
                secret_label=tr("access token"),
                headers={"New-Api-User": user_id} if user_id else None,
                auth=("Authorization", ""),  # the token bare, as new-api documents it (a Bearer prefix is stripped)
            )
        except HttpFailure as exc:
            if exc.status == 401 and "new-api-user" in exc.said.lower():
                raise ProviderError(
                    ErrorKind.CONFIG,
                    tr("Relay user ID needed"),
                    tr(
                        "{provider} wants the relay user ID with the access token ({said}): add it to the account "
                        "(the number in the relay's personal settings).",
                        provider=self.info.display_name,
                        said=exc.said,
                    ),
                    provider=self.info.name,
                ) from None
            raise
        root = answer.root()
        if root.raw("success") is not True:
            message = root.raw("message")
            said = str(message) if isinstance(message, str) and message.strip() else None
            if said is not None and any(word in said.lower() for word in _TOKEN_REFUSED):
                raise ProviderError(
                    ErrorKind.AUTH,
                    tr("Key rejected"),
                    tr(
                        "{provider} refused the access token on {endpoint}: {said}. It may be mistyped or "
                        "regenerated, or belong to another user ID.",
                        provider=self.info.display_name,
                        endpoint=answer.endpoint,
                        said=in_sentence(scrub(said, answer.secrets)),
                    ),
                    provider=self.info.name,
                )
            raise business_error(self.info, answer.endpoint, "success=false", said, answer.secrets)
        return root

    def _site(self, request: FetchRequest) -> tuple[Site, bool]:
        """What /api/status tells, and whether the relay answered (an answer, even "none", is kept a day)."""
        try:
            answer = get_json(request, self.info, "/api/status")
        except HttpFailure as exc:
            return UNKNOWN_SITE, exc.status is not None and exc.status < 500  # optional: unknown without it
        except ProviderError:
            return UNKNOWN_SITE, True  # not JSON: the relay has no status to tell
        body = answer.body
        told = isinstance(body, dict) and body.get("success") is True
        return (site_of(body.get("data")) if told else UNKNOWN_SITE), True

    def _from_token_usage(self, request: FetchRequest, data: Fields, site: Site) -> FetchOutcome:
        assert site.quota_per_unit is not None
        # Raw quota units ÷ quota_per_unit = USD (common.QuotaPerUnit); a CNY site shows × usd_exchange_rate.
        factor = Decimal(1) / site.quota_per_unit
        currency = "USD"
        if site.display == "CNY" and site.usd_rate is not None and request.account.currency in (None, "CNY"):
            factor, currency = factor * site.usd_rate, "CNY"
        unlimited = data.boolean("unlimited_quota")
        used = data.decimal("total_used") * factor
        # The relay's own count may dip below zero (the last call costs more than was left): its figure, shown.
        available = data.decimal("total_available", negative=True) * factor
        expires = data.integer("expires_at", minimum=-1, maximum=MAX_TIMESTAMP)
        notes: list[str] = []
        flags: set[str] = set()
        remaining: Decimal | None = available
        unknown_reason: str | None = None
        if unlimited:  # total_available is then meaningless (0, or minus the usage)
            remaining, unknown_reason = None, _unlimited_reason()
            flags.add("unlimited")
        told = site.display in ("USD", "CNY")
        return self._snapshot(request, remaining, used, expires, unknown_reason, flags, notes, currency, told)

    # ------------------------------------------------------------ /v1/dashboard/billing/*

    def _dashboard_ahead(self, request: FetchRequest, base: str) -> tuple[Ahead[JsonAnswer], Ahead[JsonAnswer]]:
        """The quota and what was used: two endpoints that do not depend on each other, asked at once."""
        return (
            Ahead(lambda: get_json(request, self.info, billing_path(base, "subscription")), "relay-ahead"),
            Ahead(lambda: get_json(request, self.info, billing_path(base, "usage")), "relay-ahead"),
        )

    def _from_dashboard(
        self, request: FetchRequest, site: Site, answers: tuple[Ahead[JsonAnswer], Ahead[JsonAnswer]]
    ) -> FetchOutcome:
        secrets = secret_values(request)
        sub_ahead, usage_ahead = answers
        try:
            sub_answer = sub_ahead.result()  # its error first, as when it was asked before the usage
        finally:
            usage_ahead.wait()
        sub = sub_answer.root()
        if not sub.has("hard_limit_usd") and sub.has("error"):
            err = sub.raw("error")
            message = err.get("message") if isinstance(err, dict) else err
            raise business_error(self.info, sub_answer.endpoint, "error", str(message) if message else None, secrets)
        hard_limit = sub.decimal("hard_limit_usd")
        access_until = sub.integer("access_until", minimum=-1, maximum=MAX_TIMESTAMP) if sub.has("access_until") else 0
        usage = usage_ahead.result().root()
        used = usage.decimal("total_usage") / 100

        notes: list[str] = []
        flags: set[str] = set()
        currency = "CNY" if site.display == "CNY" else "USD"
        if hard_limit >= UNLIMITED:
            flags.add("unlimited")
            return self._snapshot(
                request, None, self._money(used, site), access_until, _unlimited_reason(), flags, notes, currency
            )
        hard_limit, used = self._money(hard_limit, site), self._money(used, site)
        remaining: Decimal | None = None
        unknown_reason: str | None = None
        # GetSubscription fills access_until only from the key (DisplayTokenStatEnabled on), and the key's
        # middleware refuses a limited key with nothing left (model/token.go ValidateUserToken: RemainQuota <= 0
        # → 401): so a key that answers with total <= used is not being reported: the account is.
        per_key = access_until > 0
        per_account = not per_key and hard_limit <= used
        if used == 0 and not per_key:
            remaining = hard_limit  # nothing used: every reading of the limit gives the same balance
        elif site.program in ("new-api", "one-api-sum") or per_key:
            # both branches report remaining + used (new-api controller/billing.go; one-api 4139a703..d548a01c)
            remaining = hard_limit - used
        elif per_account and site.program == "one-api-remaining":
            remaining = hard_limit  # one-api v0.6.0+ with DisplayTokenStatEnabled off: already what is left
        elif per_account:
            unknown_reason = tr(
                "This relay reports its account, not this key, and does not say whether {limit} is what is left "
                "(one-api v0.6 and later) or the account's total ({used} of it used). Its /api/status does not "
                "name the program.",
                limit=self._plain(hard_limit),
                used=self._plain(used),
            )
        else:
            unknown_reason = tr(
                "This relay does not say whether its figures are this key's or its whole account's (one-api's "
                "setting DisplayTokenStatEnabled): {left} left if they are the key's, {limit} if the account's. "
                "A relay that offers /api/usage/token (new-api) tells.",
                left=self._plain(hard_limit - used),
                limit=self._plain(hard_limit),
            )
        if remaining is not None and remaining < 0:
            # Not a balance: the two figures contradict each other (or the account is overdrawn). Say so.
            unknown_reason = tr(
                "The relay's figures do not add up: a limit of {limit} with {used} used. No balance is shown.",
                limit=self._plain(hard_limit),
                used=self._plain(used),
            )
            remaining = None
        used_shown = None if unknown_reason is not None else used  # whose usage it is is unknown too
        if per_account and remaining is not None:
            notes.append(tr("These figures are the relay account's, shared by all its keys, not this key's own."))
        told = site.display in ("USD", "CNY")
        return self._snapshot(
            request, remaining, used_shown, access_until, unknown_reason, flags, notes, currency, told
        )

    @staticmethod
    def _money(value: Decimal, site: Site) -> Decimal:
        """With display in currency off (one-api) or TOKENS (new-api) the dashboard gives raw quota units."""
        raw = site.in_currency is False or site.display == "TOKENS"
        return value / site.quota_per_unit if raw and site.quota_per_unit is not None else value

    @staticmethod
    def _plain(value: Decimal) -> str:
        return f"{value.quantize(Decimal('0.01')):f}"

    # ------------------------------------------------------------ the reading

    def _snapshot(
        self,
        request: FetchRequest,
        remaining: Decimal | None,
        used: Decimal | None,
        expires: int,
        unknown_reason: str | None,
        flags: set[str],
        notes: list[str],
        currency: str,
        told: bool = False,
    ) -> FetchOutcome:
        expires_at: datetime | None = None
        if expires > 0:
            expires_at = datetime.fromtimestamp(expires, UTC)
            if expires_at <= request.now:
                flags.update({"expired", "blocked"})
                notes.append(
                    tr(
                        "The relay says this key expired on {date}; its quota can no longer be spent.",
                        date=expires_at.date().isoformat(),
                    )
                )
        if request.account.currency is None and currency == "USD" and not told:
            notes.append(
                tr(
                    "Relays label amounts USD, but some count in CNY or other units: set the account's currency "
                    "if this relay does."
                )
            )
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency=request.account.currency or currency,
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
    "the key's quota and usage (/api/usage/token where the relay has it, else "
    "/v1/dashboard/billing/subscription and /usage); with an access token, your balance (/api/user/self)": (
        "キーのクォータと使用量（リレーにあれば /api/usage/token、なければ /v1/dashboard/billing/subscription と "
        "/usage）。アクセストークンがあれば、あなたの残高（/api/user/self）"
    ),
    "Access token (optional)": "アクセストークン（任意）",
    "the relay's system access token (AIHubMix: Manage Key): reads your whole balance": (
        "リレーのシステムアクセストークン（AIHubMix では Manage Key）：あなたの残高全体を読み取ります"
    ),
    "Relay user ID (optional)": "リレーのユーザーID（任意）",
    "your numeric user ID on the relay, which older new-api versions ask for with the token": (
        "リレーでの数字のユーザーID。古い new-api はトークンと一緒にこれを求めます"
    ),
    "Invalid relay user ID": "リレーのユーザーIDが正しくありません",
    "The relay user ID is a number (shown in the relay's personal settings); edit the account.": (
        "リレーのユーザーIDは数字です（リレーの個人設定に表示されます）。アカウントを編集してください。"
    ),
    "access token": "アクセストークン",
    "Relay user ID needed": "リレーのユーザーIDが必要です",
    "{provider} wants the relay user ID with the access token ({said}): add it to the account "
    "(the number in the relay's personal settings).": (
        "{provider} はアクセストークンと一緒にリレーのユーザーIDを求めています（{said}）。アカウントに追加してください"
        "（リレーの個人設定にある数字です）。"
    ),
    "{provider} refused the access token on {endpoint}: {said}. It may be mistyped or "
    "regenerated, or belong to another user ID.": (
        "{provider} は {endpoint} でアクセストークンを拒否しました：{said}。入力の誤り、再生成済み、"
        "または別のユーザーIDのトークンかもしれません。"
    ),
    "The relay does not say its quota unit (/api/status): 500,000 units = 1 USD, the default of "
    "new-api and one-api, is assumed.": (
        "リレーがクォータの単位を示していません（/api/status）。new-api と one-api の既定値である 500,000 単位 = 1 USD "
        "とみなしています。"
    ),
    "the unit may be CNY on some relays: set the currency on the account": (
        "リレーによっては単位がCNYの場合があります（アカウントで通貨を設定してください）"
    ),
    "The relay reports this key as unlimited: it has no quota of its own, and the relay does not show the "
    "balance behind it.": (
        "リレーはこのキーを無制限としています。キー独自のクォータはなく、リレーはその背後の残高を表示しません。"
    ),
    "This relay reports its account, not this key, and does not say whether {limit} is what is left "
    "(one-api v0.6 and later) or the account's total ({used} of it used). Its /api/status does not "
    "name the program.": (
        "このリレーはキーではなくアカウントの数値を返していますが、{limit} が残り（one-api v0.6 以降）なのか、"
        "アカウントの総額（うち {used} 使用済み）なのかを示していません。/api/status もプログラム名を示していません。"
    ),
    "This relay does not say whether its figures are this key's or its whole account's (one-api's "
    "setting DisplayTokenStatEnabled): {left} left if they are the key's, {limit} if the account's. "
    "A relay that offers /api/usage/token (new-api) tells.": (
        "このリレーは、数値がこのキーのものかアカウント全体のものか（one-api の設定 DisplayTokenStatEnabled）を"
        "示していません。キーのものなら残り {left}、アカウントのものなら {limit} です。/api/usage/token を備えた"
        "リレー（new-api）なら分かります。"
    ),
    "The relay's figures do not add up: a limit of {limit} with {used} used. No balance is shown.": (
        "リレーの数値がつじつまが合いません（上限 {limit}、使用済み {used}）。残高は表示しません。"
    ),
    "These figures are the relay account's, shared by all its keys, not this key's own.": (
        "これらの数値はこのキー単独のものではなく、すべてのキーで共有されるリレーアカウントのものです。"
    ),
    "The relay says this key expired on {date}; its quota can no longer be spent.": (
        "リレーによると、このキーは {date} に期限切れになりました。クォータはもう使えません。"
    ),
    "Relays label amounts USD, but some count in CNY or other units: set the account's currency if this relay does.": (
        "リレーは金額を USD と表示しますが、CNY など別の単位で数えるものもあります。このリレーがそうなら、アカウントの"
        "通貨を設定してください。"
    ),
}
