"""The one HTTP layer every balance provider uses: GET a JSON document with a key, safely.

Rules it enforces, so that no provider has to remember them:
- the key goes only to the account's configured host (or the provider's default), over https;
  plain http only to this machine (tests, local relays);
- redirects are never followed (a redirect could carry the Authorization header elsewhere): a redirect
  is an error that names the target host;
- one short timeout for the whole call, no retries (the scheduler owns backoff);
- the body is read streaming and capped; only JSON is accepted;
- every failure is a ProviderError with a message written for people (i18n.tr: English, translatable), and
  any text quoted from an answer is scrubbed of the account's keys and truncated before it goes into one;
- amounts are parsed as Decimal and checked (no bool, NaN, infinity, impossible negatives, absurd sizes).

Imported only when an account is polled (httpx2 is the transport the openai SDK uses).
"""

from __future__ import annotations

import json
import re
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any, NoReturn
from urllib.parse import urlsplit

import httpx2

from .. import __version__
from ..core.errors import BadResponse, ConfigError, ProviderError
from ..core.i18n import tr
from ..core.models import ErrorKind
from ..core.validation import is_loopback_host, validate_base_url
from ..secrets.secret import mask_fragments
from .base import FetchRequest, ProviderInfo

MAX_BODY = 1024 * 1024  # bytes of a JSON answer
MAX_ERROR_BODY = 64 * 1024  # bytes read of an error answer, to quote its message
MAX_QUOTE = 160  # characters of provider text shown to people
MAX_AMOUNT = Decimal("1e12")  # larger than any real balance: a broken answer, not money
MAX_RETRY_AFTER = 24 * 3600.0  # seconds

USER_AGENT = f"credit-tray/{__version__}"
KEY_LABEL = tr("key")  # how messages name the account's main key

_SSL_LOCK = threading.Lock()
_SSL_CONTEXTS: dict[bool, ssl.SSLContext] = {}


def ssl_context(trust_env: bool = True) -> ssl.SSLContext:
    """httpx2's default verifying context, built once per process and shared by every client.

    Building one loads the CA bundle: 25-40 ms of CPU, and a poll makes one client per request, in
    parallel threads that would otherwise queue on the GIL for it (issue 9: 50 accounts took 3.5 s).
    """
    with _SSL_LOCK:
        ctx = _SSL_CONTEXTS.get(trust_env)
        if ctx is None:
            ctx = _SSL_CONTEXTS[trust_env] = httpx2.create_ssl_context(trust_env=trust_env)
        return ctx


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
    "额度已用尽",
    "余额不足",
)

# Anything shaped like a key that a provider might echo back in part (the exact keys are replaced too).
_KEYLIKE = re.compile(r"\b(?:sk|sess|key)-[A-Za-z0-9_\-]{8,}|[A-Za-z0-9_\-]{40,}")
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


# ---------------------------------------------------------------- text safe to show


def scrub(text: str, secrets: Sequence[str], limit: int = MAX_QUOTE) -> str:
    """Provider text made safe to show: keys removed, control characters and runs of space folded, cut."""
    for secret in secrets:
        text = mask_fragments(text, secret)
    text = _KEYLIKE.sub("***", text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


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


def _error_codes(body: Any) -> str:
    """Machine codes in an error answer (e.g. insufficient_quota), lower-cased, for classifying it."""
    found: list[str] = []
    if isinstance(body, Mapping):
        err = body.get("error")
        if isinstance(err, Mapping):
            found += [str(err.get(k, "")) for k in ("code", "type")]
        found += [str(body.get(k, "")) for k in ("code", "type")]
    return " ".join(found).lower()


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


# ---------------------------------------------------------------- the request


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


def base_url_of(request: FetchRequest, info: ProviderInfo) -> str:
    raw = request.account.base_url or info.default_base_url
    if not raw:
        raise ProviderError(
            ErrorKind.CONFIG,
            tr("Base URL needed"),
            tr("{provider} has no default address: set the account's base URL.", provider=info.display_name),
            provider=info.name,
        )
    try:
        return validate_base_url(raw)
    except ConfigError as exc:
        raise ProviderError(ErrorKind.CONFIG, exc.title, exc.message, provider=info.name) from None


def get_json(
    request: FetchRequest,
    info: ProviderInfo,
    path: str,
    *,
    secret_kind: str = "api",
    secret_label: str = KEY_LABEL,
    params: Mapping[str, str] | None = None,
    max_body: int = MAX_BODY,
) -> JsonAnswer:
    """GET base_url + path with `Authorization: Bearer <secret>`; the parsed JSON, or a ProviderError.
    `secret_label` names the key in messages: a tr() noun such as tr("management key")."""
    name = info.display_name
    base = base_url_of(request, info)
    url = base.rstrip("/") + "/" + path.lstrip("/")
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    endpoint = f"GET {parts.path}"
    secret = request.secrets.get(secret_kind)
    if secret is None or not secret.reveal():
        raise ProviderError(
            ErrorKind.SECRET,
            tr("Key missing"),
            tr("No {key} for this {provider} account in the secret store.", key=secret_label, provider=name),
            provider=info.name,
        )
    key = secret.reveal()
    if not key.isascii() or any(c.isspace() or not c.isprintable() for c in key):
        raise ProviderError(
            ErrorKind.CONFIG,
            tr("Invalid key"),
            tr("The {key} contains spaces or characters a key cannot have; enter it again.", key=secret_label),
            provider=info.name,
        )
    secrets = [s.reveal() for s in request.secrets.values()]
    loopback = is_loopback_host(host)
    headers = {
        "Authorization": f"Bearer {key}",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
    }
    deadline = time.monotonic() + request.timeout

    def timeout_error() -> ProviderError:
        return ProviderError(
            ErrorKind.TIMEOUT,
            tr("No answer in time"),
            tr(
                "{provider} did not answer {endpoint} within {seconds} s.",
                provider=name,
                endpoint=endpoint,
                seconds=f"{request.timeout:g}",
            ),
            provider=info.name,
        )

    try:
        # Proxies from the environment are honoured for real hosts, never for this machine.
        with (
            httpx2.Client(
                timeout=httpx2.Timeout(request.timeout),
                follow_redirects=False,
                trust_env=not loopback,
                verify=ssl_context(not loopback),
            ) as client,
            client.stream("GET", url, headers=headers, params=params) as response,
        ):
            status = response.status_code
            if 300 <= status < 400:
                _redirect(info, endpoint, response, secrets)
            limit = max_body if 200 <= status < 300 else MAX_ERROR_BODY
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit and 200 <= status < 300:
                raise _too_large(info, endpoint, limit)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    if 200 <= status < 300:
                        raise _too_large(info, endpoint, limit)
                    break  # an error page: its beginning is enough to quote
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise timeout_error()
            raw = b"".join(chunks)[:limit]
            answer_headers = {k.lower(): v for k, v in response.headers.items()}
            content_type = answer_headers.get("content-type", "")
    except ProviderError:
        raise
    except httpx2.TimeoutException:
        raise timeout_error() from None
    except httpx2.TooManyRedirects:  # pragma: no cover - redirects are never followed
        raise ProviderError(
            ErrorKind.CONFIG,
            tr("Redirected"),
            tr("{provider} redirected {endpoint}.", provider=name, endpoint=endpoint),
            provider=info.name,
        ) from None
    except httpx2.ConnectError as exc:
        reason = str(exc)
        if "CERTIFICATE" in reason.upper():
            raise ProviderError(
                ErrorKind.NETWORK,
                tr("Certificate problem"),
                tr(
                    "The certificate of {host} could not be verified, so nothing was sent to it ({reason}).",
                    host=host,
                    reason=scrub(reason, secrets, 100),
                ),
                provider=info.name,
            ) from None
        if "SSL" in reason.upper() or "TLS" in reason.upper():
            raise ProviderError(
                ErrorKind.NETWORK,
                tr("Secure connection failed"),
                tr(
                    "No secure connection could be made to {host}, so nothing was sent to it ({reason}).",
                    host=host,
                    reason=scrub(reason, secrets, 100),
                ),
                provider=info.name,
            ) from None
        raise ProviderError(
            ErrorKind.NETWORK,
            tr("No connection"),
            tr(
                "Could not reach {provider} at {host}: {reason}.",
                provider=name,
                host=host,
                reason=scrub(reason, secrets, 100) or tr("connection failed"),
            ),
            provider=info.name,
        ) from None
    except httpx2.HTTPError as exc:
        # Only the type and a scrubbed reason: the text of a transport error is not trusted.
        raise ProviderError(
            ErrorKind.NETWORK,
            tr("Connection failed"),
            tr(
                "The connection to {provider} at {host} failed ({error}: {reason}).",
                provider=name,
                host=host,
                error=type(exc).__name__,
                reason=scrub(str(exc), secrets, 100),
            ),
            provider=info.name,
        ) from None

    if not 200 <= status < 300:
        _refused(info, endpoint, status, raw, answer_headers, secrets, secret_label)
    body = _parse(info, endpoint, status, raw, content_type, secrets)
    return JsonAnswer(info, endpoint, body, answer_headers, tuple(secrets))


def _too_large(info: ProviderInfo, endpoint: str, limit: int) -> ProviderError:
    return ProviderError(
        ErrorKind.BAD_RESPONSE,
        tr("Unexpected answer from {provider}", provider=info.display_name),
        tr(
            "{endpoint} answered more than {size} KiB, far more than a balance takes; it was not read.",
            endpoint=endpoint,
            size=limit // 1024,
        ),
        provider=info.name,
    )


def _redirect(info: ProviderInfo, endpoint: str, response: httpx2.Response, secrets: Sequence[str]) -> NoReturn:
    location = response.headers.get("location", "")
    try:
        target = response.url.join(location) if location else None
    except httpx2.InvalidURL:
        target = None
    where = scrub(target.host, secrets, 80) if target is not None and target.host else tr("an unknown address")
    raise ProviderError(
        ErrorKind.CONFIG,
        tr("Redirected"),
        tr(
            "{provider} redirected {endpoint} ({status}) to {where}. Redirects are not followed, so the key was "
            "not sent there; check the account's base URL.",
            provider=info.display_name,
            endpoint=endpoint,
            status=response.status_code,
            where=where,
        ),
        provider=info.name,
    )


def _parse(
    info: ProviderInfo, endpoint: str, status: int, raw: bytes, content_type: str, secrets: Sequence[str]
) -> Any:
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


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    seconds: float
    if re.fullmatch(r"\d+(\.\d+)?", value):
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _refused(
    info: ProviderInfo,
    endpoint: str,
    status: int,
    raw: bytes,
    headers: Mapping[str, str],
    secrets: Sequence[str],
    secret_label: str,
) -> NoReturn:
    name = info.display_name
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
    quoted = scrub(said, secrets) if said else ""
    quote = tr(": {said}", said=quoted) if quoted else ""
    # The decoded message too: JSON may escape non-ASCII text (\u989d...).
    haystack = " ".join((text[:4096], said or "", _error_codes(body))).lower()
    quota = any(marker in haystack for marker in _QUOTA_MARKERS)
    retry = retry_after_seconds(headers.get("retry-after"))

    def fail(kind: ErrorKind, title: str, message: str) -> NoReturn:
        raise ProviderError(kind, title, message, provider=info.name, retry_after=retry)

    if status == 402 or (quota and status in (400, 401, 403, 429)):
        fail(
            ErrorKind.QUOTA,
            tr("Out of credit"),
            tr("{provider} says the credit is used up ({status}){quote}.", provider=name, status=status, quote=quote),
        )
    if status == 401:
        fail(
            ErrorKind.AUTH,
            tr("Key rejected"),
            tr(
                "{provider} rejected the {key} ({status}){quote}. It may be mistyped, revoked or expired.",
                provider=name,
                key=secret_label,
                status=status,
                quote=quote,
            ),
        )
    if status == 403:
        fail(
            ErrorKind.PERMISSION,
            tr("Access refused"),
            tr(
                "{provider} refused {endpoint} to this {key} ({status}){quote}.",
                provider=name,
                endpoint=endpoint,
                key=secret_label,
                status=status,
                quote=quote,
            ),
        )
    if status == 429:
        wait = tr("; it asks to wait {seconds} s", seconds=f"{retry:g}") if retry is not None else ""
        fail(
            ErrorKind.RATE_LIMITED,
            tr("Rate limited"),
            tr(
                "{provider} asks to slow down ({status}){wait}{quote}.",
                provider=name,
                status=status,
                wait=wait,
                quote=quote,
            ),
        )
    if status == 404:
        fail(
            ErrorKind.CONFIG,
            tr("Not found"),
            tr(
                "{provider} has no {endpoint} at this address ({status}){quote}; check the account's base URL.",
                provider=name,
                endpoint=endpoint,
                status=status,
                quote=quote,
            ),
        )
    if status >= 500:
        fail(
            ErrorKind.SERVER,
            tr("Provider error"),
            tr(
                "{provider} had a server error ({status}) on {endpoint}{quote}. The last good data is kept.",
                provider=name,
                endpoint=endpoint,
                status=status,
                quote=quote,
            ),
        )
    fail(
        ErrorKind.BAD_RESPONSE,
        tr("Request refused"),
        tr(
            "{provider} answered {status} on {endpoint}{quote}.",
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
    said = scrub(message, secrets) if message else ""
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


def secret_values(request: FetchRequest) -> list[str]:
    return [s.reveal() for s in request.secrets.values()]
