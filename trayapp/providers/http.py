"""The one HTTP layer every provider uses, OpenAI's SDK included: a request with a key, made safely.

Rules it enforces, so that no provider has to remember them:
- the key goes only to the account's configured host (or the provider's default), over https;
  plain http only to this machine (tests, local relays); the transport refuses any other address;
- redirects are never followed (a redirect could carry the Authorization header elsewhere): a redirect
  is an error that names the target host;
- one short timeout for the whole call, no retries (the scheduler owns backoff);
- the body is read streaming and capped after decompression (a small gzip body may inflate to gigabytes);
  only JSON is accepted;
- every failure is a ProviderError with a message written for people (i18n.tr: English, translatable); one
  that a request met is an HttpFailure, which keeps the HTTP status and the provider's error codes for the
  caller to tell cases apart, and to which a provider may add its own reading (Rules.refine); any text
  quoted from an answer is scrubbed of the account's keys (secrets/keys.py) and truncated;
- amounts are parsed as Decimal and checked (no bool, NaN, infinity, impossible negatives, absurd sizes).

The rules live in the transport (`http_client`), so the openai SDK, which sends its own requests, obeys them
too. httpx2 is imported only when a request is made: importing this module (to read a provider's
declarations) stays cheap.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

from .. import __version__
from ..core.errors import BadResponse, ConfigError, ProviderError
from ..core.i18n import tr
from ..core.models import ErrorKind
from ..core.validation import is_loopback_address, is_loopback_host, validate_base_url
from ..secrets.keys import MAX_QUOTE, odd_character_message, scrub
from ..secrets.secret import Secret
from .base import FetchRequest, ProviderInfo

if TYPE_CHECKING:
    import ssl

    import httpx2

__all__ = [
    "KEY_LABEL",
    "MAX_AMOUNT",
    "MAX_BODY",
    "MAX_QUOTE",
    "Fields",
    "HttpFailure",
    "JsonAnswer",
    "Refinement",
    "Refusal",
    "Rules",
    "bad_response",
    "base_url_of",
    "base_url_without",
    "business_error",
    "get_json",
    "http_client",
    "parse_json",
    "retry_after_of",
    "retry_after_seconds",
    "scrub",
    "secret_values",
    "ssl_context",
    "usable_key",
]

MAX_BODY = 1024 * 1024  # bytes of a JSON answer, after decompression
MAX_ERROR_BODY = 64 * 1024  # bytes read of an error answer, to quote its message
MAX_AMOUNT = Decimal("1e12")  # larger than any real balance: a broken answer, not money
MAX_RETRY_AFTER = 24 * 3600.0  # seconds

USER_AGENT = f"credit-tray/{__version__}"
KEY_LABEL = tr("key")  # how messages name the account's main key

_SSL_LOCK = threading.Lock()
_SSL_CONTEXTS: dict[bool, ssl.SSLContext] = {}


def ssl_context(trust_env: bool = True) -> ssl.SSLContext:
    """httpx2's default verifying context, built once per process and shared by every client.

    Building one loads the CA bundle, which costs more CPU than the request itself; a poll makes one client
    per request, in parallel threads that would otherwise queue on the GIL for it.
    """
    import httpx2

    with _SSL_LOCK:
        ctx = _SSL_CONTEXTS.get(trust_env)
        if ctx is None:
            ctx = _SSL_CONTEXTS[trust_env] = httpx2.create_ssl_context(trust_env=trust_env)
        return ctx


@cache
def _no_trust_context() -> ssl.SSLContext:
    """For a plain-http pool (this machine only), which never makes a TLS connection: a context that verifies
    and trusts no certificate at all, so that it could never accept one; one for every such pool (~0.3 ms to
    build), and no CA bundle loaded (that is for a poll with an https account)."""
    import ssl

    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and check_hostname, with no CA loaded


# Words that make a refusal mean "no credit left" rather than "slow down" or "not allowed".
_QUOTA_MARKERS = (
    "insufficient_quota",
    "insufficient quota",
    "insufficient_balance",
    "insufficient balance",
    "insufficient credits",
    "insufficient_credits",
    "exceeded_current_quota",
    "exceeded your current quota",
    "billing_not_active",
    "额度已用尽",
    "余额不足",
)

_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


# ---------------------------------------------------------------- the failure every request ends in


class HttpFailure(ProviderError):
    """A request that failed. `status` is None when no HTTP answer came (refused before sending, network,
    timeout, too large); `codes` are the answer's machine codes (e.g. insufficient_quota), lower-cased;
    `said` is the provider's own message, scrubbed."""

    def __init__(
        self,
        kind: ErrorKind,
        title: str,
        message: str,
        *,
        provider: str,
        endpoint: str,
        status: int | None = None,
        codes: tuple[str, ...] = (),
        said: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(kind, title, message, provider=provider, retry_after=retry_after)
        self.endpoint = endpoint
        self.status = status
        self.codes = codes
        self.said = said


@dataclass(frozen=True)
class Refusal:
    """What an error answer said, as the shared mapping read it: for a provider to add what it knows."""

    kind: ErrorKind
    status: int
    codes: tuple[str, ...]
    said: str
    endpoint: str


@dataclass(frozen=True)
class Refinement:
    """A provider's own reading of a Refusal: a sentence after the shared message (a tr() text that starts
    with a space), and where its codes say more, a finer kind or title."""

    hint: str = ""
    kind: ErrorKind | None = None
    title: str | None = None


# ---------------------------------------------------------------- what an error answer says


def _error_message(body: Any) -> str | None:
    """The human part of a JSON error answer, in the shapes providers use."""
    if isinstance(body, Mapping):
        err = body.get("error")
        if isinstance(err, Mapping):
            for key in ("message", "msg", "code", "type"):
                if isinstance(err.get(key), str) and err[key].strip():
                    return str(err[key])
        if isinstance(err, str) and err.strip():
            return err
        for key in ("message", "msg", "detail", "error_msg"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value
    return None


# Full stops a quote may end with (ASCII, ideographic, full-width).
_FULL_STOPS = ".。．"


def in_sentence(quoted: str) -> str:
    """A quote without its own closing full stops: every template that quotes a provider ends the sentence
    itself, and "Token is invalid." put before that stop read "Token is invalid..". An ellipsis we cut
    with (…) and other punctuation are kept."""
    return quoted.rstrip().rstrip(_FULL_STOPS).rstrip()


def _error_codes(body: Any) -> tuple[str, ...]:
    """Machine codes in an error answer (e.g. insufficient_quota), lower-cased, for classifying it."""
    found: list[object] = []
    if isinstance(body, Mapping):
        err = body.get("error")
        if isinstance(err, Mapping):
            found += [err.get(k) for k in ("code", "type")]
        found += [body.get(k) for k in ("code", "type")]
    return tuple(dict.fromkeys(str(c).lower() for c in found if isinstance(c, (str, int)) and str(c).strip()))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    seconds: float
    if re.fullmatch(r"\d+(\.\d+)?", value):
        seconds = float(value)
    else:
        from email.utils import parsedate_to_datetime  # ~12 ms of imports, for a rare header: here, not at start

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def retry_after_of(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """How long an answer asks to wait: retry-after-ms (OpenAI's, more precise) else Retry-After."""
    ms = (headers.get("retry-after-ms") or "").strip()
    if re.fullmatch(r"\d+(\.\d+)?", ms):
        return min(float(ms) / 1000, MAX_RETRY_AFTER)
    return retry_after_seconds(headers.get("retry-after"), now)


# ---------------------------------------------------------------- reading JSON fields


@dataclass(frozen=True)
class Fields:
    """A JSON object of one endpoint's answer; every accessor names provider, endpoint and field on error."""

    provider: ProviderInfo
    endpoint: str
    data: Mapping[str, Any]
    path: str = ""
    secrets: tuple[str, ...] = field(default=(), repr=False)  # to scrub quoted values; never shown

    def name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def bad(self, key: str, problem: str) -> BadResponse:
        """`problem`: a tr() phrase completing "field 'key' …", e.g. tr("is missing")."""
        return bad_response(self.provider, self.endpoint, self.name(key), problem)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def _present(self, key: str) -> Any:
        if key not in self.data:
            raise self.bad(key, tr("is missing"))
        value = self.data[key]
        if value is None:
            raise self.bad(key, tr("is null"))
        return value

    def obj(self, key: str) -> Fields:
        value = self._present(key)
        if not isinstance(value, Mapping):
            raise self.bad(key, tr("is {kind}, not an object", kind=_kind(value)))
        return Fields(self.provider, self.endpoint, value, self.name(key), self.secrets)

    def objects(self, key: str) -> list[Fields]:
        value = self._present(key)
        if not isinstance(value, list):
            raise self.bad(key, tr("is {kind}, not a list", kind=_kind(value)))
        out: list[Fields] = []
        for i, item in enumerate(value):
            if not isinstance(item, Mapping):
                raise self.bad(f"{key}[{i}]", tr("is {kind}, not an object", kind=_kind(item)))
            out.append(Fields(self.provider, self.endpoint, item, f"{self.name(key)}[{i}]", self.secrets))
        return out

    def decimal(self, key: str, *, negative: bool = False) -> Decimal:
        return self._decimal(key, self._present(key), negative)

    def opt_decimal(self, key: str, *, negative: bool = False) -> Decimal | None:
        value = self.data.get(key)
        return None if value is None else self._decimal(key, value, negative)

    def _decimal(self, key: str, value: Any, negative: bool) -> Decimal:
        number: Decimal
        if isinstance(value, bool):
            raise self.bad(key, tr("is a boolean ({value}), not an amount", value=str(value).lower()))
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, str):
            text = value.strip()
            if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
                raise self.bad(key, tr("is '{value}', not a number", value=scrub(value, self.secrets, 40)))
            try:
                number = Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern above admits only valid text
                raise self.bad(key, tr("is '{value}', not a number", value=scrub(value, self.secrets, 40))) from None
        else:
            raise self.bad(key, tr("is {kind}, not an amount", kind=_kind(value)))
        if not number.is_finite():
            raise self.bad(key, tr("is not a finite number"))
        if number.copy_abs() >= MAX_AMOUNT:  # abs() would round in the context and overflow
            raise self.bad(key, tr("is {value}, far larger than any real balance", value=f"{number:.6g}"))
        if number < 0 and not negative:
            raise self.bad(key, tr("is negative ({value}), which it cannot be", value=str(number)))
        return number

    def boolean(self, key: str) -> bool:
        value = self._present(key)
        if not isinstance(value, bool):
            raise self.bad(key, tr("is {kind}, not true or false", kind=_kind(value)))
        return value

    def opt_boolean(self, key: str) -> bool | None:
        return None if self.data.get(key) is None else self.boolean(key)

    def integer(self, key: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
        value = self._present(key)
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.bad(key, tr("is {kind}, not a whole number", kind=_kind(value)))
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise self.bad(key, tr("is {value}, outside the possible range", value=value))
        return value

    def opt_unix_time(self, key: str) -> datetime | None:
        """Unix seconds (a whole or decimal number) as an aware UTC datetime."""
        value = self.data.get(key)
        return None if value is None else self._unix_time(key, value)

    def unix_time(self, key: str) -> datetime:
        return self._unix_time(key, self._present(key))

    def _unix_time(self, key: str, value: Any) -> datetime:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise self.bad(key, tr("is not a Unix time in seconds"))
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            raise self.bad(key, tr("is not a Unix time in seconds")) from None

    def opt_text(self, key: str, limit: int = 200) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.bad(key, tr("is {kind}, not text", kind=_kind(value)))
        return value[:limit]

    def text(self, key: str, limit: int = 200) -> str:
        value = self.opt_text(key, limit)
        if value is None:
            raise self.bad(key, tr("is missing"))
        return value


def _kind(value: Any) -> str:
    if value is None:
        return tr("null")
    if isinstance(value, bool):
        return tr("a boolean")
    if isinstance(value, (int, Decimal)):
        return tr("a number")
    if isinstance(value, str):
        return tr("text")
    if isinstance(value, list):
        return tr("a list")
    if isinstance(value, Mapping):
        return tr("an object")
    return tr("something else")


def bad_response(info: ProviderInfo, endpoint: str, field: str, problem: str) -> BadResponse:
    err = BadResponse(info.display_name, endpoint, field, problem)
    err.provider = info.name
    return err


# ---------------------------------------------------------------- where a key may go


def base_url_of(request: FetchRequest, info: ProviderInfo) -> str:
    """The account's base URL (or the provider's default), checked: https, or http to this machine only."""
    raw = request.account.base_url or info.default_base_url
    if not raw:
        raise ProviderError(
            ErrorKind.CONFIG,
            tr("Base URL needed"),
            tr("{provider} has no default address: set the account's base URL.", provider=info.display_name),
            provider=info.name,
        )
    try:
        return _valid_base_url(raw)
    except ConfigError as exc:
        raise ProviderError(ErrorKind.CONFIG, exc.title, exc.message, provider=info.name) from None


@lru_cache(maxsize=1024)
def _valid_base_url(raw: str) -> str:
    """validate_base_url, once per address and process: a poll checks each account's twice or more (a refusal
    raises every time; only an address found good is kept)."""
    return validate_base_url(raw)


def base_url_without(request: FetchRequest, info: ProviderInfo, suffixes: Sequence[str]) -> FetchRequest:
    """The request with the first of `suffixes` its base URL ends in dropped (a model API's /v1, when the
    endpoint is at the site's root). Same host, so the key goes nowhere else."""
    base = base_url_of(request, info).rstrip("/")
    suffix = next((s for s in suffixes if base.endswith(s)), None)
    if suffix is None:
        return request
    return replace(request, account=replace(request.account, base_url=base.removesuffix(suffix)))


def usable_key(info: ProviderInfo, secret: Secret | None, label: str = KEY_LABEL) -> str:
    """The key's value, or a ProviderError when it is missing or could not be a key at all."""
    if secret is None or not secret.reveal():
        raise ProviderError(
            ErrorKind.SECRET,
            tr("Key missing"),
            tr("No {key} for this {provider} account in the secret store.", key=label, provider=info.display_name),
            provider=info.name,
        )
    key = secret.reveal()
    problem = odd_character_message(key, label)
    if problem is not None:  # a header cannot carry it; the position says where, the key is not shown
        raise ProviderError(ErrorKind.CONFIG, tr("Invalid key"), problem, provider=info.name)
    return key


def secret_values(request: FetchRequest) -> list[str]:
    return [s.reveal() for s in request.secrets.values()]


@dataclass(frozen=True)
class Rules:
    """What one client may do: send `key` to the origin of `base_url` (checked by base_url_of) and nowhere
    else, below `only_under` (a path under the base URL's) when given; read at most `max_body` bytes."""

    info: ProviderInfo
    base_url: str
    key: str = field(repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)  # every key of the account: scrubbed from quotes
    timeout: float = 15.0
    key_label: str = KEY_LABEL  # names the key in messages: a tr() noun such as tr("admin key")
    max_body: int = MAX_BODY
    only_under: str | None = None
    refine: Callable[[Refusal], Refinement | None] | None = field(default=None, repr=False)
    # Where the key goes: the header and what precedes the key in it (a declared provider's "header:X-Api-Key",
    # a relay's access token sent bare).
    auth_header: str = "Authorization"
    auth_prefix: str = "Bearer "

    @property
    def host(self) -> str:
        return (urlsplit(self.base_url).hostname or "").lower()

    def fail(self, kind: ErrorKind, title: str, message: str, *, endpoint: str, **facts: Any) -> HttpFailure:
        return HttpFailure(kind, title, message, provider=self.info.name, endpoint=endpoint, **facts)

    def quote(self, text: str, limit: int = MAX_QUOTE) -> str:
        return in_sentence(scrub(text, self.secrets, limit))


def http_client(rules: Rules, **options: Any) -> httpx2.Client:
    """An httpx2 client whose every request, whoever builds it (this module or the openai SDK), goes
    through the guarded transport. Proxies from the environment are honoured for real hosts, never for this
    machine, and through the same transport."""
    import httpx2
    from httpx2._utils import get_environment_proxies  # how httpx2 itself reads them

    transport = _guarded()
    loopback = is_loopback_host(rules.host)
    mounts: dict[str, httpx2.BaseTransport | None] = {}
    if not loopback:
        for pattern, proxy in get_environment_proxies().items():
            mounts[pattern] = None if proxy is None else _proxy_transport(transport, rules, proxy)
    return httpx2.Client(
        transport=transport(rules, shared_pool(None, not loopback, rules.base_url)),
        mounts=mounts,
        trust_env=False,
        follow_redirects=False,
        timeout=httpx2.Timeout(rules.timeout),
        **options,
    )


# ---------------------------------------------------------------- connections kept alive within a poll

KEEPALIVE_SECONDS = 5.0  # an idle connection is closed after this: a poll's requests are seconds apart at most
MAX_CONNECTIONS = 256  # as many as requests run at once (fetch.MAX_WORKERS); all of them may be kept alive
MAX_POOLS = 512  # base URLs with a pool in this process; the oldest is let go beyond (a long-lived process)
_POOL_LOCK = threading.Lock()
_POOLS: dict[tuple[str | None, bool, str], httpx2.HTTPTransport] = {}


def shared_pool(proxy: str | None, trust_env: bool, base_url: str) -> httpx2.HTTPTransport:
    """The process's connection pool for this proxy (None: direct), TLS trust and base URL.

    Each request is still checked by its own client's guarded transport; the pool only keeps connections open
    (HTTP/1.1 keep-alive): an account's requests (a new OpenAI account's four, a relay's two to four) and the
    accounts on one base URL reuse a connection and its TLS session instead of a handshake each. One pool per
    base URL, not one for all: httpcore looks at every connection of a pool for each request, which with
    hundreds of accounts in one pool cost more CPU than the handshakes saved. A fetch child lives one poll."""
    import httpx2

    key = (proxy, trust_env, base_url)
    with _POOL_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            if len(_POOLS) >= MAX_POOLS:  # not closed: a request may still be using it; its sockets go with it
                _POOLS.pop(next(iter(_POOLS)))
            limits = httpx2.Limits(
                max_connections=MAX_CONNECTIONS,
                max_keepalive_connections=MAX_CONNECTIONS,
                keepalive_expiry=KEEPALIVE_SECONDS,
            )
            plain = urlsplit(base_url).scheme == "http"
            verify = _no_trust_context() if plain and proxy is None else ssl_context(trust_env)
            pool = httpx2.HTTPTransport(verify=verify, proxy=proxy, limits=limits)
            if plain:
                _only_to_loopback(pool)  # each connection of this pool is checked to reach this machine
            _POOLS[key] = pool
        return pool


def warm_up(*, tls: bool) -> None:
    """What a fresh process's first requests would otherwise build one after another, under the locks that
    its parallel requests queue on: the transport's classes, and (for https) the shared verifying context."""
    _guarded()
    _loopback_backend()
    if tls:
        ssl_context(True)


def _proxy_transport(transport: Callable[..., httpx2.BaseTransport], rules: Rules, proxy: Any) -> httpx2.BaseTransport:
    """The guarded transport through a proxy from the environment; a proxy httpx2 cannot use (SOCKS without
    its optional package, an unknown scheme) is a clear error naming the variable to fix, not an ImportError."""
    try:
        return transport(rules, shared_pool(proxy, True, rules.base_url))
    except ImportError:
        raise ProviderError(
            ErrorKind.CONFIG,
            tr("Proxy not usable"),
            tr(
                "The environment names a SOCKS proxy ({proxy}), and SOCKS proxies need the optional package socksio "
                "(pip install 'httpx2[socks]'). Install it, or use an http proxy, or unset ALL_PROXY / HTTPS_PROXY "
                "for Credit Tray.",
                proxy=_proxy_shown(proxy),
            ),
            provider=rules.info.name,
        ) from None
    except ValueError:
        raise ProviderError(
            ErrorKind.CONFIG,
            tr("Proxy not usable"),
            tr(
                "The environment names a proxy ({proxy}) of a kind that cannot be used: http, https, socks5 and "
                "socks5h proxies can. Fix or unset ALL_PROXY / HTTPS_PROXY for Credit Tray.",
                proxy=_proxy_shown(proxy),
            ),
            provider=rules.info.name,
        ) from None


def _proxy_shown(proxy: Any) -> str:
    """A proxy URL without its user name and password."""
    parts = urlsplit(str(proxy))
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if _port_of(parts) else ''}"


def _port_of(parts: Any) -> int | None:
    try:
        return parts.port  # type: ignore[no-any-return]
    except ValueError:
        return None


@cache
def _guarded() -> Callable[..., httpx2.BaseTransport]:
    """The transport class, defined on first use so that httpx2 is imported only when a request is made."""
    import httpx2
    from httpx2._decoders import MultiDecoder  # the decoders httpx2 itself would use, applied here

    class GuardedStream(httpx2.SyncByteStream):
        """The body decompressed here and counted after decompression, against the cap and the deadline."""

        def __init__(
            self, inner: httpx2.SyncByteStream, rules: Rules, endpoint: str, encodings: list[str], ok: bool, end: float
        ) -> None:
            self._inner = inner
            self._rules = rules
            self._endpoint = endpoint
            self._encodings = encodings
            self._ok = ok
            self._cap = rules.max_body if ok else MAX_ERROR_BODY
            self._end = end

        def __iter__(self) -> Iterator[bytes]:
            rules, endpoint = self._rules, self._endpoint
            size = 0
            try:
                decoder = MultiDecoder(self._encodings)
                for raw in self._inner:
                    for piece in decoder.decode(raw):
                        size += len(piece)
                        if size > self._cap:
                            if self._ok:
                                raise _too_large(rules, endpoint)
                            yield piece[: len(piece) - (size - self._cap)]  # an error page: its beginning is enough
                            return
                        yield piece
                    if time.monotonic() > self._end:
                        raise _timed_out(rules, endpoint)
                for piece in decoder.flush():
                    size += len(piece)
                    if size > self._cap and self._ok:
                        raise _too_large(rules, endpoint)
                    yield piece
            except httpx2.HTTPError as exc:
                raise failure_of(rules, endpoint, exc) from None

        def close(self) -> None:
            self._inner.close()

    @lru_cache(maxsize=1024)
    def where_allowed(base_url: str, only_under: str | None) -> tuple[tuple[str, str, int | None], str]:
        """The origin requests may go to and the path they must be under, parsed once per base URL."""
        base = httpx2.URL(base_url.rstrip("/") + "/")
        under = (only_under or "").strip("/")
        return (base.scheme, base.host, base.port), base.path.rstrip("/") + "/" + (under + "/" if under else "")

    class GuardedTransport(httpx2.BaseTransport):
        """One client's rules, in front of the shared pool (which it never closes)."""

        def __init__(self, rules: Rules, pool: httpx2.HTTPTransport) -> None:
            self.rules = rules
            self._pool = pool
            self._origin, self._under = where_allowed(rules.base_url, rules.only_under)

        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            rules, url = self.rules, request.url
            endpoint = f"{request.method} {url.path}"
            if (url.scheme, url.host, url.port) != self._origin:
                raise _not_sent(rules, endpoint, tr("a request to another address than the account's base URL"))
            if not url.path.startswith(self._under):
                raise _not_sent(
                    rules,
                    endpoint,
                    tr("a request with the {key} outside {path}", key=rules.key_label, path=self._under),
                )
            # The account's key, whatever the caller or the environment put there, and only now that the
            # address is known to be the account's.
            request.headers[rules.auth_header] = rules.auth_prefix + rules.key
            end = time.monotonic() + rules.timeout
            try:
                response = self._pool.handle_request(request)
            except httpx2.HTTPError as exc:
                raise failure_of(rules, endpoint, exc) from None
            status = response.status_code
            if 300 <= status < 400:
                response.close()
                raise _redirected(rules, endpoint, request.url, status, response.headers.get("location", ""))
            ok = 200 <= status < 300
            encodings = [
                e.strip().lower() for e in response.headers.get("content-encoding", "").split(",") if e.strip()
            ]
            encodings = [e for e in encodings if e != "identity"]
            declared = response.headers.get("content-length", "")
            if ok and not encodings and declared.isdigit() and int(declared) > rules.max_body:
                response.close()
                raise _too_large(rules, endpoint)
            assert isinstance(response.stream, httpx2.SyncByteStream)
            response.stream = GuardedStream(response.stream, rules, endpoint, encodings, ok, end)
            # What is handed on is the decompressed body: nothing above decompresses it again.
            for name in ("content-encoding", "content-length"):
                response.headers.pop(name, None)
            if ok:
                return response
            try:
                raw = response.read()
            finally:
                response.close()
            raise refusal(rules, endpoint, status, raw, {k.lower(): v for k, v in response.headers.items()})

    return GuardedTransport


def _only_to_loopback(transport: httpx2.HTTPTransport) -> None:
    """Plain http is allowed only to this machine, and that is checked on the address each connection really
    reached (whatever resolved `localhost`), before a byte of the request, key included, is written."""
    pool = getattr(transport, "_pool", None)
    inner = getattr(pool, "_network_backend", None)
    if inner is None:  # httpx2 changed its insides: no plain http at all rather than an unchecked one
        raise ProviderError(
            ErrorKind.CONFIG,
            tr("Request refused"),
            tr("Plain http cannot be checked to stay on this machine with this version of httpx2; use https."),
        )
    pool._network_backend = _loopback_backend()(inner)  # type: ignore[union-attr]


@cache
def _loopback_backend() -> Callable[[Any], Any]:
    import httpcore2

    class LoopbackOnly(httpcore2.NetworkBackend):
        def __init__(self, inner: httpcore2.NetworkBackend) -> None:
            self._inner = inner

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> httpcore2.NetworkStream:
            stream = self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
            peer = stream.get_extra_info("server_addr")
            address = str(peer[0]) if isinstance(peer, tuple) and peer else ""
            if not is_loopback_address(address):
                stream.close()
                raise NotLoopback(address or "?")
            return stream

        def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
            raise NotLoopback(path)

        def sleep(self, seconds: float) -> None:
            self._inner.sleep(seconds)

    class NotLoopback(httpcore2.ConnectError):
        """A plain-http connection that reached another machine; httpx2 wraps it (as its __cause__)."""

        def __init__(self, address: str) -> None:
            super().__init__(f"connected to {address}, which is not this machine")
            self.not_loopback = address

    return LoopbackOnly


def _not_loopback(rules: Rules, endpoint: str, exc: BaseException) -> HttpFailure | None:
    """The failure of a plain-http connection that reached another machine, or None if `exc` is not that."""
    address = getattr(exc.__cause__, "not_loopback", None)
    if not isinstance(address, str):
        return None
    return _not_sent(
        rules,
        endpoint,
        tr(
            "plain http to {address}, which is not this machine ({host} led there)",
            address=rules.quote(address, 60),
            host=rules.host,
        ),
    )


# ---------------------------------------------------------------- failures, worded once


def _not_sent(rules: Rules, endpoint: str, why: str) -> HttpFailure:
    return rules.fail(
        ErrorKind.CONFIG,
        tr("Request refused"),
        tr("{endpoint}: not sent, because it would be {refused}.", endpoint=endpoint, refused=why),
        endpoint=endpoint,
    )


def _timed_out(rules: Rules, endpoint: str) -> HttpFailure:
    return rules.fail(
        ErrorKind.TIMEOUT,
        tr("No answer in time"),
        tr(
            "{provider} did not answer {endpoint} within {seconds} s.",
            provider=rules.info.display_name,
            endpoint=endpoint,
            seconds=f"{rules.timeout:g}",
        ),
        endpoint=endpoint,
    )


def _too_large(rules: Rules, endpoint: str) -> HttpFailure:
    return rules.fail(
        ErrorKind.BAD_RESPONSE,
        tr("Unexpected answer from {provider}", provider=rules.info.display_name),
        tr(
            "{endpoint} answered more than {size} KiB, far more than a balance takes; it was not read.",
            endpoint=endpoint,
            size=rules.max_body // 1024,
        ),
        endpoint=endpoint,
    )


def _redirected(rules: Rules, endpoint: str, url: httpx2.URL, status: int, location: str) -> HttpFailure:
    import httpx2

    try:
        target = url.join(location) if location else None
    except httpx2.InvalidURL:
        target = None
    where = rules.quote(target.host, 80) if target is not None and target.host else tr("an unknown address")
    return rules.fail(
        ErrorKind.CONFIG,
        tr("Redirected"),
        tr(
            "{provider} redirected {endpoint} ({status}) to {where}. Redirects are not followed, so the key was "
            "not sent there; check the account's base URL.",
            provider=rules.info.display_name,
            endpoint=endpoint,
            status=status,
            where=where,
        ),
        status=status,
        endpoint=endpoint,
    )


def failure_of(rules: Rules, endpoint: str, exc: BaseException) -> HttpFailure:
    """A transport error (httpx2's, or anything a client library wrapped) as the failure people are shown."""
    import httpx2

    name, host = rules.info.display_name, rules.host
    if isinstance(exc, HttpFailure):
        return exc
    if (refused := _not_loopback(rules, endpoint, exc)) is not None:
        return refused
    if isinstance(exc, httpx2.TimeoutException):
        return _timed_out(rules, endpoint)
    reason = str(exc)
    if isinstance(exc, httpx2.ConnectError) and "CERTIFICATE" in reason.upper():
        return rules.fail(
            ErrorKind.NETWORK,
            tr("Certificate problem"),
            tr(
                "The certificate of {host} could not be verified, so nothing was sent to it ({reason}).",
                host=host,
                reason=rules.quote(reason, 100),
            ),
            endpoint=endpoint,
        )
    if isinstance(exc, httpx2.ConnectError) and ("SSL" in reason.upper() or "TLS" in reason.upper()):
        return rules.fail(
            ErrorKind.NETWORK,
            tr("Secure connection failed"),
            tr(
                "No secure connection could be made to {host}, so nothing was sent to it ({reason}).",
                host=host,
                reason=rules.quote(reason, 100),
            ),
            endpoint=endpoint,
        )
    if isinstance(exc, httpx2.ConnectError):
        return rules.fail(
            ErrorKind.NETWORK,
            tr("No connection"),
            tr(
                "Could not reach {provider} at {host}: {reason}.",
                provider=name,
                host=host,
                reason=rules.quote(reason, 100) or tr("connection failed"),
            ),
            endpoint=endpoint,
        )
    # Only the type and a scrubbed reason: the text of a transport error is not trusted.
    return rules.fail(
        ErrorKind.NETWORK,
        tr("Connection failed"),
        tr(
            "The connection to {provider} at {host} failed ({error}: {reason}).",
            provider=name,
            host=host,
            error=type(exc).__name__,
            reason=rules.quote(reason, 100),
        ),
        endpoint=endpoint,
    )


def refusal(rules: Rules, endpoint: str, status: int, raw: bytes, headers: Mapping[str, str]) -> HttpFailure:
    """An HTTP error status as a failure: its kind, title and message from the status and the provider's
    own words (quoted, scrubbed); "no credit left" recognised whatever the status that carries it."""
    name, key_label = rules.info.display_name, rules.key_label
    text = raw.decode("utf-8", errors="replace")
    try:
        body: Any = json.loads(text)
    except ValueError:
        body = None
    said = _error_message(body)
    if said is None:
        match = _HTML_TITLE.search(text)
        if match:
            said = match.group(1)
        elif body is None and text.strip() and text.lstrip()[:1] != "<":
            said = text
    quoted = rules.quote(said) if said else ""
    quote = tr(": {said}", said=quoted) if quoted else ""
    codes = _error_codes(body)
    # The decoded message too: JSON may escape non-ASCII text (\u989d...).
    haystack = " ".join((text[:4096], said or "", *codes)).lower()
    quota = any(marker in haystack for marker in _QUOTA_MARKERS)
    retry = retry_after_of(headers)
    shared = (
        ErrorKind.QUOTA
        if status == 402 or (quota and status in (400, 401, 403, 429))
        else {401: ErrorKind.AUTH, 403: ErrorKind.PERMISSION, 429: ErrorKind.RATE_LIMITED, 404: ErrorKind.CONFIG}.get(
            status, ErrorKind.SERVER if status >= 500 else ErrorKind.BAD_RESPONSE
        )
    )
    own = rules.refine(Refusal(shared, status, codes, quoted, endpoint)) if rules.refine else None
    hint = own.hint if own else ""

    def fail(kind: ErrorKind, title: str, message: str) -> HttpFailure:
        return rules.fail(
            (own.kind if own else None) or kind,
            (own.title if own else None) or title,
            message,
            endpoint=endpoint,
            status=status,
            codes=codes,
            said=quoted,
            retry_after=retry,
        )

    if shared is ErrorKind.QUOTA:
        return fail(
            ErrorKind.QUOTA,
            tr("Out of credit"),
            tr(
                "{provider} says the credit is used up ({status}){quote}.{hint}",
                provider=name,
                status=status,
                quote=quote,
                hint=hint,
            ),
        )
    if shared is ErrorKind.AUTH:
        return fail(
            ErrorKind.AUTH,
            tr("Key rejected"),
            tr(
                "{provider} rejected the {key} ({status}){quote}. It may be mistyped, revoked or expired.{hint}",
                hint=hint,
                provider=name,
                key=key_label,
                status=status,
                quote=quote,
            ),
        )
    if shared is ErrorKind.PERMISSION:
        return fail(
            ErrorKind.PERMISSION,
            tr("Access refused"),
            tr(
                "{provider} refused {endpoint} to this {key} ({status}){quote}.{hint}",
                hint=hint,
                provider=name,
                endpoint=endpoint,
                key=key_label,
                status=status,
                quote=quote,
            ),
        )
    if shared is ErrorKind.RATE_LIMITED:
        wait = tr("; it asks to wait {seconds} s", seconds=f"{retry:g}") if retry is not None else ""
        return fail(
            ErrorKind.RATE_LIMITED,
            tr("Rate limited"),
            tr(
                "{provider} asks to slow down ({status}){wait}{quote}.{hint}",
                hint=hint,
                provider=name,
                status=status,
                wait=wait,
                quote=quote,
            ),
        )
    if shared is ErrorKind.CONFIG:
        return fail(
            ErrorKind.CONFIG,
            tr("Not found"),
            tr(
                "{provider} has no {endpoint} at this address ({status}){quote}; check the account's base URL.{hint}",
                hint=hint,
                provider=name,
                endpoint=endpoint,
                status=status,
                quote=quote,
            ),
        )
    if shared is ErrorKind.SERVER:
        return fail(
            ErrorKind.SERVER,
            tr("Provider error"),
            tr(
                "{provider} had a server error ({status}) on {endpoint}{quote}. The last good data is kept.{hint}",
                hint=hint,
                provider=name,
                endpoint=endpoint,
                status=status,
                quote=quote,
            ),
        )
    return fail(
        ErrorKind.BAD_RESPONSE,
        tr("Request refused"),
        tr(
            "{provider} answered {status} on {endpoint}{quote}.{hint}",
            hint=hint,
            provider=name,
            status=status,
            endpoint=endpoint,
            quote=quote,
        ),
    )


def business_error(
    info: ProviderInfo, endpoint: str, code: object, message: str | None, secrets: Sequence[str]
) -> ProviderError:
    """An HTTP 200 whose JSON says the call failed (SiliconFlow's code != 20000, Moonshot's status false)."""
    said = in_sentence(scrub(message, secrets)) if message else ""
    text = f"{said} {code}".lower()
    quota = any(marker in text for marker in _QUOTA_MARKERS)
    return ProviderError(
        ErrorKind.QUOTA if quota else ErrorKind.BAD_RESPONSE,
        tr("Out of credit") if quota else tr("{provider} reported an error", provider=info.display_name),
        tr(
            "{endpoint} answered code {code}{quote}.",
            endpoint=endpoint,
            code=scrub(str(code), secrets, 40),
            quote=tr(": {said}", said=said) if said else "",
        ),
        provider=info.name,
    )


# ---------------------------------------------------------------- a JSON answer


@dataclass(frozen=True)
class JsonAnswer:
    provider: ProviderInfo
    endpoint: str  # e.g. "GET /user/balance", for messages
    body: Any
    headers: Mapping[str, str]
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def root(self) -> Fields:
        if not isinstance(self.body, Mapping):
            raise bad_response(
                self.provider, self.endpoint, "(body)", tr("is {kind}, not an object", kind=_kind(self.body))
            )
        return Fields(self.provider, self.endpoint, self.body, secrets=self.secrets)


def parse_json(
    info: ProviderInfo, endpoint: str, status: int, raw: bytes, content_type: str, secrets: Sequence[str]
) -> Any:
    """The body as JSON, numbers as Decimal (NaN and Infinity refused); what it is instead, said for people."""
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except ValueError:
        pass
    stripped = text.lstrip()
    what: str
    if "html" in content_type.lower() or stripped[:1] == "<":
        match = _HTML_TITLE.search(text)
        what = (
            tr("an HTML page: '{title}'", title=scrub(match.group(1), secrets))
            if match and match.group(1).strip()
            else tr("an HTML page")
        )
    elif not stripped:
        what = tr("an empty body")
    else:
        what = tr("text that is not JSON ('{text}')", text=scrub(stripped, secrets, 60))
    raise ProviderError(
        ErrorKind.BAD_RESPONSE,
        tr("Unexpected answer from {provider}", provider=info.display_name),
        tr(
            "{endpoint} answered {what} instead of JSON (HTTP {status}). "
            "The base URL may point at a web page rather than the API. The last good data is kept.",
            endpoint=endpoint,
            what=what,
            status=status,
        ),
        provider=info.name,
    )


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def json_of(response: httpx2.Response, info: ProviderInfo, endpoint: str, secrets: Sequence[str]) -> Any:
    """A response's body as parse_json reads it."""
    return parse_json(
        info, endpoint, response.status_code, response.content, response.headers.get("content-type", ""), secrets
    )


def get_json(
    request: FetchRequest,
    info: ProviderInfo,
    path: str,
    *,
    secret_kind: str = "api",
    secret_label: str = KEY_LABEL,
    params: Mapping[str, str] | None = None,
    max_body: int = MAX_BODY,
    headers: Mapping[str, str] | None = None,
    auth: tuple[str, str] = ("Authorization", "Bearer "),
) -> JsonAnswer:
    """GET base_url + path with `Authorization: Bearer <secret>` (or `auth`: another header, another prefix);
    the parsed JSON, or a ProviderError. `secret_label` names the key in messages: a tr() noun such as
    tr("management key"). `headers`: more request headers (never the key: the transport sets it)."""
    import httpx2

    base = base_url_of(request, info)
    url = base.rstrip("/") + "/" + path.lstrip("/")
    endpoint = f"GET {urlsplit(url).path}"
    key = usable_key(info, request.secrets.get(secret_kind), secret_label)
    secrets = tuple(secret_values(request))
    rules = Rules(
        info, base, key, secrets, request.timeout, secret_label, max_body, auth_header=auth[0], auth_prefix=auth[1]
    )
    sent = {**(headers or {}), "Accept": "application/json", "User-Agent": USER_AGENT}
    try:
        with http_client(rules) as client:
            response = client.get(url, headers=sent, params=params)
    except httpx2.HTTPError as exc:  # raised outside the transport (a URL httpx2 cannot build, say)
        raise failure_of(rules, endpoint, exc) from None
    answer_headers = {k.lower(): v for k, v in response.headers.items()}
    body = json_of(response, info, endpoint, secrets)
    return JsonAnswer(info, endpoint, body, answer_headers, secrets)
