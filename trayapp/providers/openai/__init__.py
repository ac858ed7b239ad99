"""OpenAI: every honest way to know remaining credit, expiry and who a key belongs to.

By key kind (recognised by prefix):
- normal key (sk-, sk-proj-, sk-svcacct-): identity from GET /v1/me (cached a day); the legacy
  credit_grants tried at most weekly (it answers 403 "session key" to API keys since 2023); an
  optional hourly 1-token probe tells "out of credit" (429 insufficient_quota) from "throttled".
- session key (sess-): credit_grants (+ subscription): every grant, what is left, the nearest expiry.
- admin key (sk-admin-, the account's "admin" secret): /organization/costs and /organization/spend_limit;
  with the user's grants, remaining = unexpired grants − costs since each grant's effective date.
Remaining stays None, with a reason, whenever it cannot be known. Sources: docs/openai.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from ...core import codec
from ...core.errors import BadResponse, ProviderError
from ...core.explain import Explanation
from ...core.i18n import tr, tr_noop
from ...core.identity import salted_hash
from ...core.models import Account, CurrencyBalance, ErrorKind, Grant, Identity, Snapshot
from ...core.rules import format_money
from ...secrets.keys import ADMIN_PREFIX, SESSION_PREFIX, public_prefix
from ...secrets.secret import Secret
from ..base import FetchOutcome, FetchRequest, ProviderInfo, SecretSpec
from ..http import KEY_LABEL, HttpFailure, bad_response, base_url_of, usable_key
from . import parse
from .parse import region_refused, scope_missing

if TYPE_CHECKING:
    # Imported when polled: they load httpx2 (and AdminClient the openai SDK).
    import httpx2

    from ..ahead import Ahead
    from .http import AdminClient, Client

# Sources: OpenAI's help articles (the trial-credit wording of article 6643435: "an initial credit of $5 that
# expires after three months if this is your first OpenAI account"; error 429 insufficient_quota, article
# 6891831; prepaid billing, article 8264644) as gathered in the project's provider reference.
_BILLING = (tr_noop("OpenAI billing overview"), "https://platform.openai.com/settings/organization/billing/overview")
_GRANTS = (tr_noop("OpenAI credit grants"), "https://platform.openai.com/settings/organization/billing/credit-grants")
_TRIAL = (tr_noop("OpenAI help: free trial credit"), "https://help.openai.com/en/articles/6643435")
_QUOTA = (tr_noop("OpenAI help: error 429 insufficient_quota"), "https://help.openai.com/en/articles/6891831")
_PREPAID = (tr_noop("OpenAI help: prepaid billing"), "https://help.openai.com/en/articles/8264644")
_KEYS = (tr_noop("OpenAI API keys"), "https://platform.openai.com/api-keys")
_PREPAID_SWITCH = (
    tr_noop("OpenAI community: the API switches to prepaid billing (2024)"),
    "https://community.openai.com/t/oai-api-switching-to-pre-paid-billing/659398",
)
_HELP = (tr_noop("OpenAI help center"), "https://help.openai.com")

EXPLANATIONS: dict[str, Explanation] = {  # what alerts mean at OpenAI, in its terms
    "second_account": Explanation(
        tr_noop("Second account on the same phone or mailbox"),
        tr_noop(
            "OpenAI gave free trial credit only to the first API account that verified a phone number. This "
            "account shares its phone number or mailbox with another configured account created earlier, so it "
            "received no trial credit; the credit, if any, is on the first account."
        ),
        tr_noop(
            "Check which of your accounts were created with the same phone number or the same Google login (a "
            "Gmail alias that signed in through your main Google account ends up in that account). Use the key "
            "of the first account, or add credit to this one. The billing page of each account lists its grants."
        ),
        (_TRIAL, _GRANTS),
    ),
    "same_login": Explanation(
        tr_noop("Two keys of one login"),
        tr_noop(
            "Both accounts' keys belong to the same OpenAI login, so they draw on the same credit. This happens "
            "when a sign-up 'with an alias' really signed in through the main Google account."
        ),
        tr_noop("Keep one of the two entries, or label them as keys of one account."),
        (_GRANTS,),
    ),
    "no_trial_credit": Explanation(
        tr_noop("No trial credit on a new account"),
        tr_noop(
            "The account is less than three months old and has no granted credit. That is what every new OpenAI "
            "account gets today: API billing is prepaid since March 2024, and accounts created since about mid-2025 "
            "receive no automatic free credit. Until early 2024 a new account got $18 (until about March "
            "2023), then $5, expiring about three months after the account was created, and only the first "
            "phone-verified account got it. A second account is named only when it shares a phone number, "
            "mailbox or login with another account configured here."
        ),
        tr_noop(
            "Buy prepaid credit on the billing page if you mean to use this account (the minimum is $5; purchased "
            "credit expires one year after purchase)."
        ),
        (_PREPAID, _PREPAID_SWITCH, _GRANTS, _TRIAL),
    ),
    "key_invalid": Explanation(
        tr_noop("Key rejected"),
        tr_noop(
            "OpenAI refused the key (401), and the error shown gives its reason: invalid_api_key (mistyped, revoked, "
            "or of a deleted project), account_deactivated (the whole account is deactivated), or no_organization "
            "(the key's owner is no longer a member of an organization)."
        ),
        tr_noop(
            "A revoked or mistyped key: create a new key on platform.openai.com and enter it with Edit account. A "
            "deactivated account or a lost organization: a new key does not help; read OpenAI's email, contact "
            "OpenAI through help.openai.com, ask the organization's owner, or use another account."
        ),
        (_KEYS, _HELP),
    ),
    "credit_zero": Explanation(
        tr_noop("No credit left"),
        tr_noop(
            "API calls of this account now fail (for OpenAI: error 429 insufficient_quota). Nothing is charged "
            "automatically unless a payment method with auto-recharge is set; trial credit is spent before paid "
            "credit."
        ),
        tr_noop("Add credit on the provider's billing page, or switch your tools to an account with credit."),
    ),
    "expiring_soon": Explanation(
        tr_noop("Credit expires soon"),
        tr_noop(
            "Granted and prepaid credit expires (OpenAI: trial credit after about three months, purchased credit "
            "one year after purchase); what is left on that day is lost, and the provider does not extend it."
        ),
        tr_noop(
            "Use the credit before the date, or accept the loss; the expiry comes from the provider or from the "
            "grant you entered."
        ),
    ),
    "runs_out_soon": Explanation(
        tr_noop("Credit runs out soon at the current rate"),
        tr_noop(
            "A projection from this app's own readings, not a figure from the provider: at the average spend of "
            "the last 14 days (intervals with a top-up left out), the remaining credit reaches zero within the "
            "warning window set in Settings (7 days unless changed). Once it is gone, API calls fail (for "
            "OpenAI: error 429 insufficient_quota)."
        ),
        tr_noop(
            "Add credit before that date, or move work to an account with credit; the forecast is updated with "
            "every poll."
        ),
    ),
}

INFO = ProviderInfo(
    name="openai",
    display_name="OpenAI",
    module=__name__,
    default_base_url="https://api.openai.com/v1",
    default_currency="USD",
    billing_url="https://platform.openai.com/settings/organization/billing/overview",
    secrets=(
        SecretSpec(
            "api",
            tr_noop("API key"),
            hint=tr_noop("sk-…, sk-proj-…, or a session key sess-…"),
            cautions=(
                (
                    SESSION_PREFIX,
                    tr_noop(
                        "A session key (sess-…) is as powerful as your login: anyone holding it can act as you on "
                        "the platform. It is kept only in the OS keyring."
                    ),
                ),
            ),
        ),
        SecretSpec(
            "admin",
            tr_noop("Admin key (optional)"),
            required=False,
            hint=tr_noop("sk-admin-…: reads the org's costs"),
            prefix=ADMIN_PREFIX,
        ),
    ),
    reads=tr_noop("who the key belongs to (/v1/me); costs with an admin key; grants with a session key"),
    not_knowable=tr_noop("remaining credit with a normal key: OpenAI has no balance endpoint for API keys"),
    options=("probe",),
    explanations=EXPLANATIONS,
    grants_help=tr_noop(
        "OpenAI shows the credit granted to an organization (amount, date granted, expiry) only in the browser, "
        "on the billing settings' Credit grants page. Copy each grant here: its expiry then counts down, and with "
        "an admin key what was spent since its date is subtracted."
    ),
    grants_links=(_GRANTS,),
    help_links={
        "credit_zero": (_QUOTA, _BILLING, _PREPAID),
        "spend_limit": (_BILLING,),
        "credit_low": (_BILLING,),
        "expiring_soon": (_GRANTS, _PREPAID),
        "runs_out_soon": (_QUOTA, _BILLING),
        "will_expire_unused": (_GRANTS, _TRIAL),
    },
)
IDENTITY_TTL = timedelta(days=1)
LEGACY_RETRY = timedelta(days=7)
PROBE_EVERY = timedelta(hours=1)
DEFAULT_PROBE_MODEL = "gpt-4.1-nano"  # the cheapest chat model that accepts max_tokens=1
MAX_COST_PAGES = 60
LEGACY_PATH = "/dashboard/billing/credit_grants"
LEGACY_EP = "GET /dashboard/billing/credit_grants"
SUBSCRIPTION_PATH = "/dashboard/billing/subscription"
SUBSCRIPTION_EP = "GET /dashboard/billing/subscription"
COSTS_EP = "GET /v1/organization/costs"
SPEND_LIMIT_EP = "GET /v1/organization/spend_limit"

NOT_READABLE = tr("balance not readable with this key")
HINT = tr(
    "add an admin key (sk-admin-…) and enter your credit grants with their dates to compute it, or "
    "turn on the probe to learn when it runs out"
)
REASONS = {
    "session": tr(
        "{not_readable}: OpenAI shows credit grants only to the browser session, not to API keys; {hint}",
        not_readable=NOT_READABLE,
        hint=HINT,
    ),
    "denied": tr(
        "{not_readable}: OpenAI has no balance endpoint for API keys (project and service-account keys cannot "
        "read credit grants); {hint}",
        not_readable=NOT_READABLE,
        hint=HINT,
    ),
    "transient": tr(
        "{not_readable} this time (the credit_grants endpoint did not answer); {hint}",
        not_readable=NOT_READABLE,
        hint=HINT,
    ),
}


_KINDS = {ADMIN_PREFIX: "admin", SESSION_PREFIX: "session"}


def key_kind(secret: Secret) -> str:
    """'admin', 'session' or 'api' (normal keys: sk-, sk-proj-, sk-svcacct-, or anything else)."""
    return _KINDS.get(public_prefix(secret.reveal()), "api")


def _fingerprint(salt: str, secret: Secret) -> str:
    """Which key the provider cache belongs to, without keeping the key."""
    return salted_hash(salt, secret.reveal())[:16]


# ---------------------------------------------------------------- provider memory between polls


class _Memory:
    """request.cache, read defensively (a corrupt value is forgotten, never trusted)."""

    def __init__(self, cache: Mapping[str, Any], fingerprint: str) -> None:
        self.data: dict[str, Any] = dict(cache) if cache.get("key_fp") == fingerprint else {}
        self.data["key_fp"] = fingerprint

    def when(self, name: str) -> datetime | None:
        try:
            return codec.dt_in(self.data.get(name))
        except ValueError:
            return None

    def within(self, name: str, now: datetime, period: timedelta) -> bool:
        at = self.when(name)
        return at is not None and timedelta(0) <= now - at < period

    def identity(self) -> Identity | None:
        raw = self.data.get("identity")
        try:
            return codec.identity_in(raw) if isinstance(raw, Mapping) else None
        except (ValueError, TypeError):
            return None

    def org_slugs(self) -> list[str]:
        slugs = self.data.get("org_slugs")
        return [s for s in slugs if isinstance(s, str) and s] if isinstance(slugs, list) else []

    def store_identity(self, me: parse.Me, now: datetime) -> None:
        self.data["identity"] = codec.identity_out(me.identity)
        self.data["org_slugs"] = list(me.org_slugs)
        self.data["org_personal"] = list(me.personal)
        self.data["identity_at"] = codec.dt_out(now)


# ---------------------------------------------------------------- what one poll learned


@dataclass
class _Reading:
    currency: str
    identity: Identity | None = None
    remaining: Decimal | None = None
    remaining_granted: Decimal | None = None
    remaining_paid: Decimal | None = None
    granted_total: Decimal | None = None
    used: Decimal | None = None
    expires_at: datetime | None = None
    reason: str | None = None  # why remaining is None: a tr() sentence
    grants: tuple[Grant, ...] = ()
    flags: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # tr() sentences

    def apply_totals(self, totals: parse.GrantTotals) -> None:
        self.remaining = totals.remaining
        self.remaining_granted = totals.remaining_granted
        self.remaining_paid = totals.remaining_paid
        self.granted_total = totals.granted_total
        self.used = totals.used
        self.expires_at = totals.expires_at

    def snapshot(self, account_id: str, now: datetime) -> Snapshot:
        balances = (
            (CurrencyBalance(self.currency, self.remaining, self.remaining_granted, self.remaining_paid),)
            if self.remaining is not None
            else ()
        )
        return Snapshot(
            account_id=account_id,
            checked_at=now,
            currency=self.currency,
            remaining=self.remaining,
            remaining_granted=self.remaining_granted,
            remaining_paid=self.remaining_paid,
            granted_total=self.granted_total,
            used=self.used,
            expires_at=self.expires_at,
            identity=self.identity,
            unknown_reason=None if self.remaining is not None else (self.reason or REASONS["denied"]),
            grants=self.grants,
            balances=balances,
            flags=frozenset(self.flags),
            notes=tuple(self.notes),
        )


def _money(value: Decimal) -> str:
    return format_money(value, "USD")


# ---------------------------------------------------------------- the provider


class OpenAIProvider:
    info = INFO

    def fetch(self, request: FetchRequest) -> FetchOutcome:
        account = request.account
        now = request.now.astimezone(UTC)
        base_url = base_url_of(request, INFO)
        api = request.secrets.get("api")
        admin = request.secrets.get("admin")
        if api is not None and key_kind(api) == "admin":
            admin, api = admin or api, None  # an admin key entered as the main key
        if admin is not None and key_kind(admin) != "admin":
            raise ProviderError(
                ErrorKind.CONFIG,
                tr("Not an admin key"),
                tr("The admin key of this account does not start with sk-admin-."),
                provider=INFO.name,
            )
        main = api if api is not None else admin
        usable_key(INFO, main, KEY_LABEL)
        assert main is not None
        if admin is not None and admin is not main:
            usable_key(INFO, admin, tr("admin key"))
        memory = _Memory(request.cache, _fingerprint(request.identity_salt, main))
        # Upper case at the source: a hand-written "usd" in config.json must not reach snapshots or check --json.
        reading = _Reading(currency=parse.currency_code(INFO.currency_for(base_url, account.currency)))
        probe: str | None = None

        from .http import AdminClient, Client

        if api is not None:
            role = key_kind(api)
            client = Client(INFO, base_url, api.reveal(), role, request.timeout, admin)
            ahead = self._ahead(client, memory, now)
            try:
                reading.identity = self._identity(client, memory, now, request.identity_salt, reading)
                scopes = memory.data.get("models_scope_missing")
                if isinstance(scopes, str) and scopes:
                    reading.notes.append(
                        tr(
                            "This restricted key lacks the scope {scopes}, so it cannot list models: a revoked key "
                            "is noticed when /v1/me is read again (at most a day later), not at once.",
                            scopes=scopes,
                        )
                    )
                if role == "session":
                    self._session(now, reading, ahead)
                else:
                    self._legacy(memory, now, reading, ahead.get(LEGACY_PATH))
                    if account.options.get("probe") is True:
                        probe = self._probe(client, account, memory, now, reading)
            finally:
                for answer in ahead.values():
                    answer.wait()  # no request of this poll is left running after it ends, even on an error
                client.close()
        if admin is not None:
            admin_client = AdminClient(INFO, base_url, admin.reveal(), request.timeout, api)
            try:
                self._spend_limit(admin_client, reading)
                if reading.remaining is None:
                    self._admin_credit(admin_client, account, now, reading)
            finally:
                admin_client.close()
        elif reading.remaining is None and account.grants:
            reading.reason = tr(
                "{not_readable}: subtracting what was spent since your grants needs an admin key "
                "(sk-admin-…); the expiry of your grants still counts down",
                not_readable=NOT_READABLE,
            )
        if probe in ("insufficient_quota", "billing_not_active"):
            # OpenAI's own word beats any arithmetic: requests are refused for lack of credit.
            if reading.remaining is not None and reading.remaining > 0:
                reading.notes.append(
                    tr(
                        "The computed {amount} is overridden: OpenAI refuses requests for lack of credit (a grant "
                        "entered may be wrong, or costs not yet reported).",
                        amount=_money(reading.remaining),
                    )
                )
            reading.remaining = Decimal(0)
            reading.remaining_granted = reading.remaining_paid = None
            reading.flags.add("insufficient_quota")
        return FetchOutcome(snapshot=reading.snapshot(account.id, now), cache=memory.data)

    @staticmethod
    def _ahead(client: Client, memory: _Memory, now: datetime) -> dict[str, Ahead[tuple[Any, httpx2.Response]]]:
        """The billing requests this poll will make, sent now: they depend on no other answer, so they are in
        flight with /v1/me (or /v1/models), and a new account's first poll waits one answer instead of two
        (a session key's, one instead of three). Each is taken where it used to be asked."""
        if client.role == "session":
            paths = [(LEGACY_PATH, LEGACY_EP), (SUBSCRIPTION_PATH, SUBSCRIPTION_EP)]
        elif not memory.within("legacy_blocked_at", now, LEGACY_RETRY):
            paths = [(LEGACY_PATH, LEGACY_EP)]
        else:
            paths = []  # credit_grants refused this key lately: not asked (see _legacy)
        return {path: client.get_json_ahead(path, endpoint) for path, endpoint in paths}

    # ------------------------------------------------------------ identity (/v1/me, header fallback)

    def _identity(
        self, client: Client, memory: _Memory, now: datetime, salt: str, reading: _Reading
    ) -> Identity | None:
        cached = memory.identity()
        fresh = cached is not None and memory.within("identity_at", now, IDENTITY_TTL)
        header_org: str | None = None
        if client.role == "api" and fresh:
            # A cheap request every poll: a revoked key is seen now, not tomorrow.
            header_org = self._liveness(client, memory)
            slugs = memory.org_slugs()
            if header_org and slugs and header_org not in slugs:
                fresh = False  # the key now bills to another organization: read who it is again
        if fresh:
            return cached
        try:
            data, _ = client.get_json("/me", "GET /v1/me")
            me = parse.parse_me(data, salt)
        except HttpFailure as exc:
            if exc.status is None or exc.kind is ErrorKind.AUTH or region_refused(exc):
                raise
            why = exc.title
        except BadResponse as exc:
            why = exc.message
        else:
            memory.store_identity(me, now)
            if any(me.personal) and len(me.personal) == 1:
                reading.notes.append(tr("The key belongs to a personal organization."))
            return me.identity
        if header_org is None and client.role == "api":
            header_org = self._liveness(client, memory)
        if cached is not None and (header_org is None or header_org in memory.org_slugs()):
            reading.notes.append(
                tr("Who the key belongs to could not be read again (/v1/me: {why}); shown as before.", why=why)
            )
            return cached
        if header_org:
            reading.notes.append(
                tr(
                    "Who the key belongs to could not be read (/v1/me: {why}); only its organization is known, "
                    "from the openai-organization header.",
                    why=why,
                )
            )
            return Identity(org_names=(header_org,))
        reading.notes.append(tr("Who the key belongs to could not be read (/v1/me: {why}).", why=why))
        return None

    @staticmethod
    def _liveness(client: Client, memory: _Memory) -> str | None:
        """GET /v1/models: 401 if the key was revoked; the organization it bills to from the header.

        A restricted key may not list models (401 "Missing scopes: api.model.read", or a 403): it authenticates,
        so it is alive and that is not an error; which scope it lacks is remembered for the notes. A refusal of
        the region is an error (every endpoint answers it).
        """
        try:
            response = client.get("/models", "GET /v1/models")
        except HttpFailure as exc:
            scopes = scope_missing(exc)
            if scopes:
                memory.data["models_scope_missing"] = scopes
                return None
            if exc.status in (403, 404) and not region_refused(exc):
                return None
            raise
        memory.data.pop("models_scope_missing", None)
        return response.headers.get("openai-organization") or None

    # ------------------------------------------------------------ session key: credit_grants + subscription

    def _session(
        self, now: datetime, reading: _Reading, ahead: Mapping[str, Ahead[tuple[Any, httpx2.Response]]]
    ) -> None:
        data, _ = ahead[LEGACY_PATH].result()
        self._apply_grants(parse.parse_credit_grants(data, LEGACY_EP), now, reading)
        reading.notes.append(
            tr(
                "A session key is as powerful as your login: anyone holding it can act on your account. "
                "It stops working when you log out of platform.openai.com."
            )
        )
        try:
            sub_data, _ = ahead[SUBSCRIPTION_PATH].result()
            sub = parse.parse_subscription(sub_data)
        except HttpFailure as exc:
            if exc.kind is ErrorKind.AUTH or region_refused(exc):
                raise
            reading.notes.append(tr("The plan could not be read ({why}).", why=exc.title))
            return
        except BadResponse as exc:
            reading.notes.append(tr("The plan could not be read ({why})", why=exc.message))
            return
        if sub.plan_title or sub.plan_id:
            plan = sub.plan_title or sub.plan_id or ""
            reading.notes.append(
                tr("Plan: {plan} (free trial).", plan=plan) if sub.plan_id == "free" else tr("Plan: {plan}.", plan=plan)
            )
        if sub.hard_limit_usd is not None:
            reading.notes.append(tr("Monthly usage limit: {amount}.", amount=_money(sub.hard_limit_usd)))
        if sub.access_until is not None:
            reading.notes.append(tr("Access until {date} (subscription).", date=sub.access_until.date().isoformat()))

    def _apply_grants(self, summary: parse.CreditSummary, now: datetime, reading: _Reading) -> None:
        reading.currency = summary.currency
        reading.apply_totals(parse.grant_totals(summary, now))
        reading.grants = tuple(g.grant for g in summary.grants)
        expired = [g for g in summary.grants if g.expires_at is not None and g.expires_at <= now]
        if expired:
            reading.notes.append(
                tr(
                    "{count} expired grant(s) ({amount}) no longer count.",
                    count=len(expired),
                    amount=_money(sum((g.grant.amount for g in expired), Decimal(0))),
                )
            )

    # ------------------------------------------------------------ normal key: legacy credit_grants, once

    def _legacy(
        self, memory: _Memory, now: datetime, reading: _Reading, answer: Ahead[tuple[Any, httpx2.Response]] | None
    ) -> None:
        if memory.within("legacy_blocked_at", now, LEGACY_RETRY):
            why = memory.data.get("legacy_reason")
            reading.reason = REASONS.get(why if isinstance(why, str) else "", REASONS["denied"])
            return
        assert answer is not None  # asked in _ahead whenever not blocked
        try:
            data, _ = answer.result()
        except HttpFailure as exc:
            if region_refused(exc):
                raise
            if exc.status in (401, 403, 404):
                why = "session" if "session key" in exc.said.lower() else "denied"
                memory.data["legacy_blocked_at"] = codec.dt_out(now)
                memory.data["legacy_reason"] = why
                reading.reason = REASONS[why]
                return
            if exc.status is None:
                raise
            reading.reason = REASONS["transient"]
            reading.notes.append(tr("credit_grants: {why}; tried again next time.", why=exc.title))
            return
        memory.data.pop("legacy_blocked_at", None)
        memory.data.pop("legacy_reason", None)
        self._apply_grants(parse.parse_credit_grants(data, LEGACY_EP), now, reading)
        reading.notes.append(tr("Credit grants read with this key (older user keys still may)."))

    # ------------------------------------------------------------ normal key: the optional 1-token probe

    def _probe(self, client: Client, account: Account, memory: _Memory, now: datetime, reading: _Reading) -> str | None:
        if memory.within("probe_at", now, PROBE_EVERY):
            result = memory.data.get("probe_result")
            checked = memory.when("probe_at")
        else:
            model = account.options.get("probe_model")
            model = model if isinstance(model, str) and model else DEFAULT_PROBE_MODEL
            result = self._run_probe(client, model, reading)
            checked = now
            if result is not None:
                memory.data["probe_at"] = codec.dt_out(now)
                memory.data["probe_result"] = result
        at = tr(" (checked {time} UTC)", time=f"{checked:%Y-%m-%d %H:%M}") if checked else ""
        if result == "ok":
            reading.notes.append(tr("A 1-token test request succeeded: the key can still spend{at}.", at=at))
        elif result == "insufficient_quota":
            reading.notes.append(tr("OpenAI refused a 1-token test request for lack of credit{at}.", at=at))
        elif result == "billing_not_active":
            reading.notes.append(tr("OpenAI refused a 1-token test request: billing is not active{at}.", at=at))
        elif result == "rate_limited":
            reading.notes.append(tr("The 1-token test request was throttled (429): not out of credit{at}.", at=at))
        elif result == "refused":
            reading.notes.append(tr("The 1-token test request was refused (permission or model){at}.", at=at))
        return result if isinstance(result, str) else None

    def _run_probe(self, client: Client, model: str, reading: _Reading) -> str | None:
        endpoint = "POST /v1/chat/completions (1-token probe)"
        try:
            client.post(
                "/chat/completions",
                endpoint,
                {"model": model, "messages": [{"role": "user", "content": "1"}], "max_tokens": 1},
            )
        except HttpFailure as exc:
            if exc.kind is ErrorKind.QUOTA:
                return "billing_not_active" if "billing_not_active" in exc.codes else "insufficient_quota"
            if exc.kind is ErrorKind.RATE_LIMITED:
                return "rate_limited"
            if exc.kind is ErrorKind.AUTH or region_refused(exc):
                raise
            if exc.status in (400, 403, 404) or scope_missing(exc):
                return "refused"
            reading.notes.append(tr("The 1-token test request failed ({why}); tried again next poll.", why=exc.title))
            return None
        return "ok"

    # ------------------------------------------------------------ admin key: spend limit and costs

    def _spend_limit(self, client: AdminClient, reading: _Reading) -> None:
        try:
            response = client.call(SPEND_LIMIT_EP, client.spend_limit)
        except HttpFailure as exc:
            if exc.status in (403, 404) and not region_refused(exc):
                reading.notes.append(tr("The spend limit could not be read ({why}).", why=exc.title))
                return
            raise
        limit = parse.parse_spend_limit(client.json(response, SPEND_LIMIT_EP))
        if limit.enforcing:
            reading.flags.add("spend_limit_enforcing")
            amount = tr(" of {amount}", amount=_money(limit.threshold_usd)) if limit.threshold_usd is not None else ""
            reading.notes.append(
                tr(
                    "The organization reached its {interval} spend limit{amount}: OpenAI refuses requests until the "
                    "limit is raised or the period ends.",
                    interval=limit.interval or tr("monthly"),
                    amount=amount,
                )
            )

    def _costs(self, client: AdminClient, start: datetime) -> list[tuple[datetime, Decimal]]:
        buckets: list[tuple[datetime, Decimal]] = []
        page: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_COST_PAGES):
            response = client.call(COSTS_EP, partial(client.costs_page, start, page))
            result = parse.parse_costs_page(client.json(response, COSTS_EP))
            buckets.extend(result.buckets)
            if result.next_page is None:
                return buckets
            if result.next_page in seen:
                raise bad_response(INFO, COSTS_EP, "next_page", tr("repeats an earlier page"))
            seen.add(result.next_page)
            page = result.next_page
        raise bad_response(INFO, COSTS_EP, "next_page", tr("goes on beyond {pages} pages", pages=MAX_COST_PAGES))

    def _admin_credit(self, client: AdminClient, account: Account, now: datetime, reading: _Reading) -> None:
        today = now.date()
        grants = [g for g in account.grants if g.currency == "USD"]
        others = [g for g in account.grants if g.currency != "USD"]
        if others:
            reading.notes.append(
                tr("{count} grant(s) not in USD are left out: OpenAI reports costs in USD.", count=len(others))
            )
        if not grants:
            start = parse.midnight(today.replace(day=1))
            spent = sum((c for _, c in self._costs(client, start)), Decimal(0))
            reading.notes.append(
                tr("Spent this month so far: {amount} (costs lag by up to a day).", amount=_money(spent))
            )
            reading.reason = tr(
                "{not_readable}: the admin key reads spending, not credit; enter your credit grants with "
                "their dates (Billing → Credit grants) to compute what is left",
                not_readable=NOT_READABLE,
            )
            return
        undated = [g for g in grants if g.effective is None]
        if undated:
            g = undated[0]
            until = tr(", expiring {date}", date=g.expires.isoformat()) if g.expires else ""
            reading.reason = tr(
                "{not_readable}: the grant of {amount}{until} has no effective date; enter it so the costs since "
                "then can be subtracted",
                not_readable=NOT_READABLE,
                amount=_money(g.amount),
                until=until,
            )
            return
        start = parse.midnight(min(g.effective for g in grants if g.effective is not None))
        allocation = parse.allocate_costs(grants, self._costs(client, start))
        live = [g for g in allocation.grants if g.expires is None or g.expires > today]
        left = [(g, g.left or Decimal(0)) for g in live]
        reading.grants = allocation.grants
        reading.granted_total = sum((g.amount for g in live), Decimal(0))
        reading.used = sum((g.used or Decimal(0) for g in live), Decimal(0))
        reading.remaining = sum((x for _, x in left), Decimal(0))
        reading.remaining_granted = sum((x for g, x in left if g.kind != "paid"), Decimal(0))
        reading.remaining_paid = sum((x for g, x in left if g.kind == "paid"), Decimal(0))
        expiries = [g.expires for g, x in left if g.expires is not None and x > 0]
        reading.expires_at = parse.midnight(min(expiries)) if expiries else None
        reading.notes.append(
            tr(
                "Remaining = the grants you entered − the organization's costs since each grant's effective "
                "date, the grant expiring first used first (costs lag by up to a day)."
            )
        )
        if allocation.unallocated > 0:
            reading.notes.append(
                tr(
                    "{amount} of costs since {date} fall outside every grant you entered (before its effective "
                    "date, after its expiry, or beyond its amount): a grant may be missing.",
                    amount=_money(allocation.unallocated),
                    date=start.date().isoformat(),
                )
            )


PROVIDER = OpenAIProvider()

JA: dict[str, str] = {  # the Japanese of this provider's own texts (openai*.py), merged into the core catalog
    "sk-…, sk-proj-…, or a session key sess-…": "sk-…、sk-proj-…、またはセッションキー sess-…",
    "Admin key (optional)": "管理者キー（任意）",
    "OpenAI shows the credit granted to an organization (amount, date granted, expiry) only in the browser, "
    "on the billing settings' Credit grants page. Copy each grant here: its expiry then counts down, and with "
    "an admin key what was spent since its date is subtracted.": "OpenAI は組織に付与されたクレジット（金額・付与日・"
    "有効期限）をブラウザーの請求設定の「Credit grants」ページでしか表示しません。各付与をここに写してください。"
    "有効期限までの日数が数えられ、管理者キーがあれば付与日以降の利用額が差し引かれます。",
    "sk-admin-…: reads the org's costs": "sk-admin-…: 組織のコストを取得します",
    "who the key belongs to (/v1/me); costs with an admin key; grants with a session key": (
        "キーの所有者（/v1/me）、管理者キーがあればコスト、セッションキーがあれば付与額"
    ),
    "remaining credit with a normal key: OpenAI has no balance endpoint for API keys": (
        "通常のキーでのクレジット残高（OpenAIにはAPIキー向けの残高エンドポイントがありません）"
    ),
    "API key": "APIキー",
    "session key": "セッションキー",
    "admin key": "管理者キー",
    "OpenAI could not be read": "OpenAI を読み取れませんでした",
    "{endpoint}: {error}.": "{endpoint}: {error}。",
    " A session key stops working when you log out of platform.openai.com.": (
        "セッションキーは platform.openai.com からログアウトすると使えなくなります。"
    ),
    "Billing not active": "請求が有効になっていません",
    "is missing (and there is no grants list)": "がありません（grants の一覧もありません）",
    "is {currency}, not usd": "が {currency} で、usd ではありません",
    "is missing although has_more is true": "がありません（has_more は true です）",
    "repeats an earlier page": "が前のページと同じです",
    "goes on beyond {pages} pages": "が{pages}ページを超えて続いています",
    "balance not readable with this key": "このキーでは残高を読み取れません",
    "add an admin key (sk-admin-…) and enter your credit grants with their dates to compute it, or turn on the "
    "probe to learn when it runs out": (
        "計算するには管理者キー（sk-admin-…）を追加してクレジットの付与を日付とともに入力するか、"
        "プローブを有効にしてクレジット切れを検出してください"
    ),
    "{not_readable}: OpenAI shows credit grants only to the browser session, not to API keys; {hint}": (
        "{not_readable}: OpenAI はクレジットの付与をブラウザーのセッションにだけ表示し、APIキーには表示しません。{hint}"
    ),
    "{not_readable}: OpenAI has no balance endpoint for API keys (project and service-account keys cannot read "
    "credit grants); {hint}": (
        "{not_readable}: OpenAI にはAPIキー向けの残高エンドポイントがありません"
        "（プロジェクトキーやサービスアカウントキーはクレジットの付与を読み取れません）。{hint}"
    ),
    "{not_readable} this time (the credit_grants endpoint did not answer); {hint}": (
        "今回は{not_readable}（credit_grants エンドポイントが応答しませんでした）。{hint}"
    ),
    "{not_readable}: subtracting what was spent since your grants needs an admin key (sk-admin-…); the expiry of "
    "your grants still counts down": (
        "{not_readable}: 付与以降の使用額を差し引くには管理者キー（sk-admin-…）が必要です。"
        "付与の有効期限のカウントダウンは引き続き行われます"
    ),
    "{not_readable}: the admin key reads spending, not credit; enter your credit grants with their dates (Billing → "
    "Credit grants) to compute what is left": (
        "{not_readable}: 管理者キーで読み取れるのは使用額で、クレジットではありません。残りを計算するには、"
        "クレジットの付与を日付とともに入力してください（Billing → Credit grants）"
    ),
    ", expiring {date}": "（有効期限 {date}）",
    "{not_readable}: the grant of {amount}{until} has no effective date; enter it so the costs since then can be "
    "subtracted": (
        "{not_readable}: {amount} の付与{until}に開始日がありません。それ以降のコストを差し引けるよう入力してください"
    ),
    "Not an admin key": "管理者キーではありません",
    "The admin key of this account does not start with sk-admin-.": (
        "このアカウントの管理者キーが sk-admin- で始まっていません。"
    ),
    "The computed {amount} is overridden: OpenAI refuses requests for lack of credit (a grant entered may be "
    "wrong, or costs not yet reported).": (
        "計算した {amount} は無効です: OpenAI はクレジット不足でリクエストを拒否しています"
        "（入力した付与が誤っているか、コストがまだ報告されていない可能性があります）。"
    ),
    "The key belongs to a personal organization.": "このキーは個人の組織のものです。",
    "Who the key belongs to could not be read again (/v1/me: {why}); shown as before.": (
        "キーの所有者を再取得できませんでした（/v1/me: {why}）。以前の情報を表示しています。"
    ),
    "Who the key belongs to could not be read (/v1/me: {why}); only its organization is known, from the "
    "openai-organization header.": (
        "キーの所有者を取得できませんでした（/v1/me: {why}）。"
        "openai-organization ヘッダーから組織だけが分かっています。"
    ),
    "Who the key belongs to could not be read (/v1/me: {why}).": (
        "キーの所有者を取得できませんでした（/v1/me: {why}）。"
    ),
    "A session key is as powerful as your login: anyone holding it can act on your account. It stops working when "
    "you log out of platform.openai.com.": (
        "セッションキーはログインと同じ権限を持ちます。持っている人は誰でもあなたのアカウントを操作できます。"
        "platform.openai.com からログアウトすると使えなくなります。"
    ),
    "The plan could not be read ({why}).": "プランを取得できませんでした（{why}）。",
    "The plan could not be read ({why})": "プランを取得できませんでした（{why}）",
    "Plan: {plan} (free trial).": "プラン: {plan}（無料トライアル）。",
    "Plan: {plan}.": "プラン: {plan}。",
    "Monthly usage limit: {amount}.": "月間の利用上限: {amount}。",
    "Access until {date} (subscription).": "{date} まで利用可能（サブスクリプション）。",
    "{count} expired grant(s) ({amount}) no longer count.": "期限切れの付与 {count} 件（{amount}）は計上していません。",
    "credit_grants: {why}; tried again next time.": "credit_grants: {why}。次回もう一度試します。",
    "Credit grants read with this key (older user keys still may).": (
        "このキーでクレジットの付与を読み取りました（古いユーザーキーではまだ読み取れる場合があります）。"
    ),
    " (checked {time} UTC)": "（{time} UTC に確認）",
    "A 1-token test request succeeded: the key can still spend{at}.": (
        "1トークンのテストリクエストが成功しました。このキーはまだ使えます{at}。"
    ),
    "OpenAI refused a 1-token test request for lack of credit{at}.": (
        "OpenAI がクレジット不足のため1トークンのテストリクエストを拒否しました{at}。"
    ),
    "OpenAI refused a 1-token test request: billing is not active{at}.": (
        "OpenAI が1トークンのテストリクエストを拒否しました。請求が有効になっていません{at}。"
    ),
    "The 1-token test request was throttled (429): not out of credit{at}.": (
        "1トークンのテストリクエストが制限されました（429）。クレジット不足ではありません{at}。"
    ),
    "The 1-token test request was refused (permission or model){at}.": (
        "1トークンのテストリクエストが拒否されました（権限またはモデル）{at}。"
    ),
    "The 1-token test request failed ({why}); tried again next poll.": (
        "1トークンのテストリクエストに失敗しました（{why}）。次回の確認でもう一度試します。"
    ),
    "The spend limit could not be read ({why}).": "利用上限を取得できませんでした（{why}）。",
    "monthly": "月間",
    " of {amount}": "（{amount}）",
    "The organization reached its {interval} spend limit{amount}: OpenAI refuses requests until the limit is raised "
    "or the period ends.": (
        "組織が{interval}の利用上限{amount}に達しました。上限を引き上げるか期間が終わるまで、"
        "OpenAI はリクエストを拒否します。"
    ),
    "{count} grant(s) not in USD are left out: OpenAI reports costs in USD.": (
        "USD 以外の付与 {count} 件は除外しています。OpenAI はコストを USD で報告します。"
    ),
    "Spent this month so far: {amount} (costs lag by up to a day).": (
        "今月これまでの使用額: {amount}（コストの反映は最大1日遅れます）。"
    ),
    "Remaining = the grants you entered − the organization's costs since each grant's effective date, the grant "
    "expiring first used first (costs lag by up to a day).": (
        "残高 = 入力した付与 − 各付与の開始日以降の組織のコスト。有効期限の早い付与から先に使われます"
        "（コストの反映は最大1日遅れます）。"
    ),
    "{amount} of costs since {date} fall outside every grant you entered (before its effective date, after its "
    "expiry, or beyond its amount): a grant may be missing.": (
        "{date} 以降のコストのうち {amount} は、入力したどの付与にも当てはまりません"
        "（開始日より前、有効期限より後、または金額の超過）。付与が入力漏れかもしれません。"
    ),
    "Missing permission": "権限が不足しています",
    "Access denied": "アクセスが拒否されました",
    "Wrong organization": "組織が一致しません",
    "Account deactivated": "アカウントが無効化されています",
    "No organization": "組織に所属していません",
    "OpenAI refused {endpoint} to this restricted {key} ({status}): {said}. The key is valid but lacks the scope "
    "{scopes}; what it may read is still shown. To read this too, give the key that permission on platform.openai.com "
    "(API keys → Edit → Permissions).": (
        "OpenAI はこの制限付きの{key}に {endpoint} を許可しませんでした（{status}）：{said}。キーは有効ですが、"
        "スコープ {scopes} がありません。読み取れる情報は引き続き表示します。これも読み取るには、"
        "platform.openai.com でキーにその権限を与えてください（API keys → Edit → Permissions）。"
    ),
    "Access denied: the country or region is not served. OpenAI refuses requests from where this one comes from "
    "({status}): {said}. The key is not at fault; OpenAI lists the countries it serves at {url}.": (
        "アクセスが拒否されました: この国・地域ではサービスが提供されていません。OpenAI はこのリクエスト元からのリクエ"
        "ストを拒否しています（{status}）：{said}。キーの問題ではありません。"
        "OpenAI がサービスを提供している国は {url} に一覧されています。"
    ),
    "OpenAI says the account this {key} belongs to is deactivated ({status}): {said}. A new key will not help: read "
    "OpenAI's email to the account's owner, contact OpenAI through help.openai.com if it is a mistake, or use another "
    "account.": (
        "OpenAI によると、この{key}のアカウントは無効化されています（{status}）：{said}。新しいキーを作っても解決しま"
        "せん。アカウントの所有者宛ての OpenAI からのメールを確認し、誤りだと思う場合は help.openai.com から OpenAI に"
        "問い合わせるか、別のアカウントを使ってください。"
    ),
    "OpenAI refused the {key} for the organization named with the request ({status}): {said}. Credit Tray sends no "
    "OpenAI-Organization header itself, so a proxy on the way adds one; a new key will not help: check the account's "
    "base URL and proxy.": (
        "OpenAI はリクエストで指定された組織に対してこの{key}を拒否しました（{status}）：{said}。Credit Tray 自身は "
        "OpenAI-Organization ヘッダーを送らないため、途中のプロキシが付けています。新しいキーを作っても解決しません。"
        "アカウントのベースURLとプロキシを確認してください。"
    ),
    "OpenAI says the owner of this {key} is not a member of any organization ({status}): {said}. A new key will not "
    "help: ask the organization's owner to invite you again, or contact OpenAI through help.openai.com.": (
        "OpenAI によると、この{key}の所有者はどの組織にも所属していません（{status}）：{said}。新しいキーを作っても解"
        "決しません。組織の所有者にもう一度招待してもらうか、help.openai.com から OpenAI に問い合わせてください。"
    ),
    "OpenAI does not know this {key} ({status}): {said}. It was mistyped, revoked, or its project was deleted: create "
    "a new key on platform.openai.com (API keys) and enter it with Edit account.{hint}": (
        "OpenAI はこの{key}を認識していません（{status}）：{said}。入力の誤り、失効、またはプロジェクトの削除です。"
        "platform.openai.com（API keys）で新しいキーを作成し、「アカウントを編集」で入力してください。{hint}"
    ),
    "This restricted key lacks the scope {scopes}, so it cannot list models: a revoked key is noticed when /v1/me is "
    "read again (at most a day later), not at once.": (
        "この制限付きキーにはスコープ {scopes} がないため、モデルの一覧を取得できません。キーが失効しても、すぐではな"
        "く /v1/me を再取得したとき（最長1日後）に分かります。"
    ),
    " Admin keys need the organization Owner role.": "管理者キーには組織の Owner ロールが必要です。",
    " A project or restricted key may have no billing access, or its project may not use this.": (
        "請求情報へのアクセス権のないプロジェクトキーや制限付きキーか、プロジェクトでこの機能を使えないキーの"
        "可能性があります。"
    ),
    " Billing is not active for this organization.": "この組織では請求が有効になっていません。",
    " Add credit on the billing page.": "請求ページでクレジットを追加してください。",
    " This is throttling, not a lack of credit (that would be insufficient_quota).": (
        "これはリクエストの制限で、クレジット不足ではありません（クレジット不足なら insufficient_quota になります）。"
    ),
    "A session key (sess-…) is as powerful as your login: anyone holding it can act as you on the platform. It is "
    "kept only in the OS keyring.": (
        "セッションキー（sess-…）はログインと同じ権限を持ちます。持っている人は誰でもプラットフォーム上であなたとして"
        "操作できます。このキーはOSのキーリングにのみ保存されます。"
    ),
    "OpenAI gave free trial credit only to the first API account that verified a phone number. This account shares "
    "its phone number or mailbox with another configured account created earlier, so it received no trial credit; "
    "the credit, if any, is on the first account.": (
        "OpenAI の無料トライアルクレジットは、電話番号を認証した最初の API アカウントにのみ付与されました。このアカウン"
        "トは先に作成された別のアカウントと電話番号またはメールボックスが同じため、トライアルクレジットを受け取っていま"
        "せん。クレジットがあるとすれば最初のアカウントです。"
    ),
    "Check which of your accounts were created with the same phone number or the same Google login (a Gmail alias "
    "that signed in through your main Google account ends up in that account). Use the key of the first account, or "
    "add credit to this one. The billing page of each account lists its grants.": (
        "同じ電話番号や同じ Google ログインで作成したアカウントを確認してください（Gmail のエイリアスで登録したつもりで"
        "も、実際にはメインの Google アカウントでログインしていることがあります）。最初のアカウントのキーを使うか、この"
        "アカウントにクレジットを追加してください。各アカウントの請求ページに付与が一覧されます。"
    ),
    "OpenAI help: free trial credit": "OpenAI ヘルプ: 無料トライアルクレジット",
    "OpenAI credit grants": "OpenAI クレジット付与（Credit grants）",
    "Both accounts' keys belong to the same OpenAI login, so they draw on the same credit. This happens when a "
    "sign-up 'with an alias' really signed in through the main Google account.": (
        "両方のアカウントのキーが同じ OpenAI ログインのもので、同じクレジットを使います。「エイリアスで登録」したつもり"
        "が、実際にはメインの Google アカウントでログインしていた場合に起こります。"
    ),
    "The account is less than three months old and has no granted credit. That is what every new OpenAI account gets "
    "today: API billing is prepaid since March 2024, and accounts created since about mid-2025 receive no automatic "
    "free credit. Until early 2024 a new account got $18 (until about March 2023), then $5, expiring about "
    "three months after the account was created, and only the first phone-verified account got it. A "
    "second account is named only when it shares a phone number, mailbox or login with another account configured "
    "here.": (
        "作成から3か月以内のアカウントですが、付与されたクレジットがありません。現在の新しい OpenAI アカウントはすべて"
        "そうです: API の請求は2024年3月から前払いで、2025年半ば頃以降に作成されたアカウントには自動の無料クレジットが"
        "ありません。2024年初めまでは、新しいアカウントに $18（2023年3月頃まで）、その後 $5 が付与され、アカ"
        "ウント作成から約3か月で失効し、電話番号を認証した最初のアカウントだけが受け取れました。2つ目のアカウントと表示"
        "するのは、ここに設定された別のアカウントと電話番号、メールボックス、またはログインが同じ場合だけです。"
    ),
    "Buy prepaid credit on the billing page if you mean to use this account (the minimum is $5; purchased credit "
    "expires one year after purchase).": (
        "このアカウントを使うなら、請求ページで前払いクレジットを購入してください（最低 $5、購入したクレジットは購入か"
        "ら1年で失効します）。"
    ),
    "OpenAI community: the API switches to prepaid billing (2024)": (
        "OpenAI コミュニティ: API が前払い請求に切り替わる（2024年）"
    ),
    "OpenAI help: prepaid billing": "OpenAI ヘルプ: 前払い請求",
    "OpenAI API keys": "OpenAI APIキー",
    "OpenAI help center": "OpenAI ヘルプセンター",
    "OpenAI refused the key (401), and the error shown gives its reason: invalid_api_key (mistyped, revoked, or of a "
    "deleted project), account_deactivated (the whole account is deactivated), or no_organization (the key's owner "
    "is no longer a member of an organization).": (
        "OpenAI がキーを拒否しました（401）。表示されたエラーに理由があります: invalid_api_key（入力の誤り、失効、また"
        "は削除されたプロジェクトのキー）、account_deactivated（アカウント全体が無効化されている）、no_organization"
        "（キーの所有者がどの組織にも所属していない）。"
    ),
    "A revoked or mistyped key: create a new key on platform.openai.com and enter it with Edit account. A deactivated "
    "account or a lost organization: a new key does not help; read OpenAI's email, contact OpenAI through "
    "help.openai.com, ask the organization's owner, or use another account.": (
        "失効または入力を誤ったキーの場合: platform.openai.com で新しいキーを作成し、「アカウントを編集」で入力してくだ"
        "さい。アカウントの無効化や組織からの脱退の場合: 新しいキーでは解決しません。OpenAI からのメールを確認し、"
        "help.openai.com から OpenAI に問い合わせるか、組織の所有者に相談するか、別のアカウントを使ってください。"
    ),
    "OpenAI help: error 429 insufficient_quota": "OpenAI ヘルプ: エラー 429 insufficient_quota",
    "OpenAI billing overview": "OpenAI 請求の概要",
    "API calls of this account now fail (for OpenAI: error 429 insufficient_quota). Nothing is charged "
    "automatically unless a payment method with auto-recharge is set; trial credit is spent before paid credit.": (
        "このアカウントの API 呼び出しは失敗します（OpenAI ではエラー 429 insufficient_quota）。自動チャージ付きの支払"
        "い方法を設定していない限り、自動で請求されることはありません。トライアルクレジットは有料クレジットより先に消費"
        "されます。"
    ),
    "Granted and prepaid credit expires (OpenAI: trial credit after about three months, purchased credit one year "
    "after purchase); what is left on that day is lost, and the provider does not extend it.": (
        "付与・前払いのクレジットには有効期限があります（OpenAI: トライアルは約3か月、購入分は購入から1年）。その日に残"
        "っている分は失われ、プロバイダーは期限を延長しません。"
    ),
    "A projection from this app's own readings, not a figure from the provider: at the average spend of the last 14 "
    "days (intervals with a top-up left out), the remaining credit reaches zero within the warning window set in "
    "Settings (7 days unless changed). Once it is gone, API calls fail (for OpenAI: error 429 insufficient_quota).": (
        "プロバイダーの数値ではなく、このアプリ自身の読み取りからの予測です。直近14日間の平均消費（チャージのあった区間"
        "は除外）では、残りのクレジットが設定の警告期間（変更しなければ7日）以内に0になります。なくなると API 呼び出し"
        "は失敗します（OpenAI: エラー 429 insufficient_quota）。"
    ),
}
