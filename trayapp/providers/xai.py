"""xAI: the team's prepaid balance. Two keys, two hosts, each key only to its own.

1. `GET {base}/api-key` (base `https://api.x.ai/v1`) with the **API key**: `{"redacted_api_key": "xai-...b14o",
   "team_id": "…", "api_key_id": "…", "acls": [...], "team_blocked": false, "api_key_blocked": false,
   "api_key_disabled": false, ...}`: which team the key bills to, and whether the key or its team is blocked.
2. `GET https://management-api.x.ai/v1/billing/teams/{team_id}/prepaid/balance` with the **management key**:
   `{"changes": [{"changeOrigin": "PURCHASE", "amount": {"val": "-2500"}, ...}, ...], "total": {"val": "-2317"}}`,
   a ledger in USD cents where credit is negative: `"-2317"` is $23.17 left, a positive total is money owed.
   xAI posts spend to it when a billing cycle closes, so mid-cycle it can be above the console's live figure.
The management host can be pointed elsewhere with the account option `management_base_url` (config.json
only; checked like any base URL). The team id is remembered for the key it came from, so that a failure of
api.x.ai alone does not hide the balance.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ..core.errors import ProviderError
from ..core.i18n import tr, tr_noop
from ..core.identity import salted_hash
from ..core.models import ErrorKind, Snapshot
from ..core.rules import format_money
from .base import FetchOutcome, FetchRequest, ProviderInfo, SecretSpec
from .http import Fields, HttpFailure, JsonAnswer, business_error, get_json, usable_key

KEY_PATH = "/api-key"
MANAGEMENT_URL = "https://management-api.x.ai"
BALANCE_PATH = "/v1/billing/teams/{team}/prepaid/balance"
TEAM_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")  # a UUID in every known answer; never a path
CENTS = Decimal(100)
# Failures of api.x.ai that say nothing about the key: the team remembered for it is used meanwhile.
PASSING = (ErrorKind.SERVER, ErrorKind.NETWORK, ErrorKind.TIMEOUT, ErrorKind.RATE_LIMITED)

INFO = ProviderInfo(
    name="xai",
    display_name="xAI",
    module=__name__,
    default_base_url="https://api.x.ai/v1",
    default_currency="USD",
    billing_url="https://console.x.ai",
    secrets=(
        SecretSpec(
            "api", tr_noop("API key"), hint=tr_noop("xai-… (tells the team and whether it is blocked)"), prefix="xai-"
        ),
        SecretSpec(
            "management",
            tr_noop("Management key"),
            hint=tr_noop("console.x.ai → Settings → Management Keys (reads the prepaid balance)"),
        ),
    ),
    reads=tr_noop(
        "the team's prepaid balance (management API), and whether the API key or its team is blocked (/v1/api-key)"
    ),
    not_knowable=tr_noop(
        "free or promotional credit and its expiry, and this billing cycle's spend until xAI posts it"
    ),
)


class XaiProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        notes: list[str] = []
        flags: set[str] = set()
        remembered = _for_this_key(request)
        try:
            key = get_json(request, self.info, KEY_PATH)
        except HttpFailure as exc:
            if exc.kind not in PASSING or remembered is None:
                raise _refined_api_refusal(exc) from None
            team = remembered
            notes.append(
                tr(
                    "api.x.ai did not answer ({reason}): whether the key or team is blocked was not checked; "
                    "the balance is that of the team this key belonged to at the last check.",
                    reason=exc.title,
                )
            )
        else:
            team = self._team(key, flags, notes)
        balance = self._balance(request, team)
        # 0 - x, not -x: a ledger of "0" is $0.00, not -$0.00
        remaining = Decimal(0) - balance.decimal("val", negative=True) / CENTS
        if remaining < 0:
            notes.append(tr("xAI's ledger shows {amount} owed, not credit.", amount=format_money(-remaining, "USD")))
        notes.append(
            tr(
                "xAI posts spend to this balance when a billing cycle closes: until then it can be higher than the "
                "console's by this cycle's spend."
            )
        )
        snapshot = Snapshot(
            account_id=request.account.id,
            checked_at=request.now,
            currency="USD",
            remaining=remaining,
            flags=frozenset(flags),
            notes=tuple(notes),
        )
        return FetchOutcome(snapshot=snapshot, cache={"team_id": team, "key": _key_mark(request)})

    def _team(self, answer: JsonAnswer, flags: set[str], notes: list[str]) -> str:
        root = answer.root()
        team = root.text("team_id", limit=101)
        if not TEAM_ID.fullmatch(team):
            raise root.bad("team_id", tr("is not a team id"))
        for field, said in (
            ("api_key_blocked", tr("xAI says the API key is blocked: calls with it fail whatever the balance.")),
            ("api_key_disabled", tr("xAI says the API key is disabled: calls with it fail whatever the balance.")),
            ("team_blocked", tr("xAI says the team is blocked: calls with its keys fail whatever the balance.")),
        ):
            if root.opt_boolean(field):
                flags.add("blocked")
                notes.append(said)
        return team

    def _balance(self, request: FetchRequest, team: str) -> Fields:
        path = BALANCE_PATH.format(team=team)
        try:
            answer = get_json(
                _on_management_host(request),
                self.info,
                path,
                secret_kind="management",
                secret_label=tr("management key"),
            )
        except HttpFailure as exc:
            raise _refined_management_refusal(exc, team) from None
        root = answer.root()
        if not root.has("total") and root.has("error"):  # an error envelope is never a balance of $0.00
            error = root.raw("error")
            said = error.get("message") if isinstance(error, dict) else error
            code = root.raw("code")
            raise business_error(
                INFO, answer.endpoint, code or "error", said if isinstance(said, str) else None, root.secrets
            )
        return root.obj("total")


def _on_management_host(request: FetchRequest) -> FetchRequest:
    """The request aimed at the management API: the management key goes there and nowhere else."""
    base = request.account.options.get("management_base_url") or MANAGEMENT_URL
    if not isinstance(base, str):
        raise ProviderError(
            ErrorKind.CONFIG,
            tr("Invalid account option"),
            tr("The account option management_base_url must be a URL."),
            provider=INFO.name,
        )
    return replace(request, account=replace(request.account, base_url=base))


def _key_mark(request: FetchRequest) -> str:
    """Which API key a remembered team belongs to, without keeping the key (a salted hash, shortened)."""
    key = usable_key(INFO, request.secrets.get("api"))
    return salted_hash(request.identity_salt, "xai-api-key:" + key)[:24]


def _for_this_key(request: FetchRequest) -> str | None:
    team, mark = request.cache.get("team_id"), request.cache.get("key")
    if not isinstance(team, str) or not TEAM_ID.fullmatch(team) or mark != _key_mark(request):
        return None
    return team


def _refined_api_refusal(exc: HttpFailure) -> ProviderError:
    # xAI answers a wrong API key with 400 {"code": "Client specified an invalid argument", "error": "Incorrect
    # API key provided: xa***xx. You can obtain an API key from https://console.x.ai."}, not with a 401.
    if exc.status == 400 and "incorrect api key" in exc.said.lower():
        return ProviderError(
            ErrorKind.AUTH, tr("Key rejected"), exc.message, provider=INFO.name, retry_after=exc.retry_after
        )
    return exc


def _refined_management_refusal(exc: HttpFailure, team: str) -> ProviderError:
    if exc.status in (401, 403) or (exc.status == 400 and "incorrect api key" in exc.said.lower()):
        return ProviderError(
            ErrorKind.AUTH if exc.status != 403 else ErrorKind.PERMISSION,
            tr("Management key refused"),
            tr(
                "{message} The balance needs an xAI management key (console.x.ai → Settings → Management Keys) "
                "allowed to read billing; an API key is not accepted there.",
                message=exc.message,
            ),
            provider=INFO.name,
        )
    if exc.status == 404:
        return ProviderError(
            ErrorKind.CONFIG,
            tr("Team not found"),
            tr(
                "{message} The management key may belong to another team than the API key (team {team}).",
                message=exc.message,
                team=team,
            ),
            provider=INFO.name,
        )
    return exc


PROVIDER = XaiProvider()

JA: dict[str, str] = {  # the Japanese of this module's texts, merged into the core catalog
    "xai-… (tells the team and whether it is blocked)": "xai-…（チームと、ブロックされているかが分かります）",
    "Management key": "管理キー",
    "console.x.ai → Settings → Management Keys (reads the prepaid balance)": (
        "console.x.ai → Settings → Management Keys（前払い残高を読みます）"
    ),
    "the team's prepaid balance (management API), and whether the API key or its team is blocked (/v1/api-key)": (
        "チームの前払い残高（管理 API）と、APIキーやそのチームがブロックされているか（/v1/api-key）"
    ),
    "free or promotional credit and its expiry, and this billing cycle's spend until xAI posts it": (
        "無料・プロモーションのクレジットとその有効期限、および xAI が計上するまでの今の請求期間の利用額"
    ),
    "api.x.ai did not answer ({reason}): whether the key or team is blocked was not checked; the balance is that "
    "of the team this key belonged to at the last check.": (
        "api.x.ai が応答しませんでした（{reason}）。キーやチームがブロックされているかは確認していません。"
        "残高は前回の確認時にこのキーが属していたチームのものです。"
    ),
    "xAI's ledger shows {amount} owed, not credit.": "xAI の台帳はクレジットではなく {amount} の未払いを示しています。",
    "xAI posts spend to this balance when a billing cycle closes: until then it can be higher than the console's "
    "by this cycle's spend.": (
        "xAI は請求期間の締めにこの残高へ利用額を計上します。それまではコンソールの表示より、"
        "今の期間の利用額だけ多いことがあります。"
    ),
    "is not a team id": "はチーム ID ではありません",
    "xAI says the API key is blocked: calls with it fail whatever the balance.": (
        "xAI によると APIキーがブロックされています。残高に関係なく、このキーでの呼び出しは失敗します。"
    ),
    "xAI says the API key is disabled: calls with it fail whatever the balance.": (
        "xAI によると APIキーが無効にされています。残高に関係なく、このキーでの呼び出しは失敗します。"
    ),
    "xAI says the team is blocked: calls with its keys fail whatever the balance.": (
        "xAI によるとチームがブロックされています。残高に関係なく、チームのキーでの呼び出しは失敗します。"
    ),
    "Invalid account option": "アカウントのオプションが不正です",
    "The account option management_base_url must be a URL.": (
        "アカウントのオプション management_base_url は URL でなければなりません。"
    ),
    "{message} The balance needs an xAI management key (console.x.ai → Settings → Management Keys) allowed to "
    "read billing; an API key is not accepted there.": (
        "{message} 残高には、請求情報の読み取りを許可された xAI の管理キー（console.x.ai → Settings → "
        "Management Keys）が必要です。APIキーは受け付けられません。"
    ),
    "Team not found": "チームが見つかりません",
    "{message} The management key may belong to another team than the API key (team {team}).": (
        "{message} 管理キーが APIキーとは別のチーム（チーム {team}）のものかもしれません。"
    ),
}
