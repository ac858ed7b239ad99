"""One OpenAI SDK client per key: short timeout, no retries, no redirects, the key only where it belongs.

Every failure becomes an `OpenAIFailure` (a ProviderError with a kind, a title and a message people
understand), with the HTTP status and OpenAI's error code kept for the caller to tell cases apart.
Keys never appear in a message: quoted provider text is scrubbed of anything key-like.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx2
import openai

from ..core.errors import BadResponse, ProviderError
from ..core.i18n import tr
from ..core.models import ErrorKind
from ..secrets.secret import Secret, mask_fragments
from .http import MAX_BODY, ssl_context

PROVIDER = "OpenAI"
ROLE_LABELS = {"api": tr("API key"), "session": tr("session key"), "admin": tr("admin key")}
_KEYLIKE = re.compile(r"\b(sk-admin-|sk-proj-|sk-svcacct-|sk-|sess-)[A-Za-z0-9_\-*.]{3,}")
_T = TypeVar("_T")


def scrub(text: str, secrets: Iterable[Secret | None] = ()) -> str:
    """Provider text with every key (ours, and anything that looks like one) replaced."""
    for secret in secrets:
        if secret is not None:
            text = mask_fragments(text, secret.reveal())
    return _KEYLIKE.sub(lambda m: m.group(1) + "***", text)


class OpenAIFailure(ProviderError):
    """A request that failed; `status` is None when no HTTP answer came (network, timeout, refused)."""

    def __init__(
        self,
        kind: ErrorKind,
        title: str,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        provider_message: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(kind, title, message, provider=PROVIDER, retry_after=retry_after)
        self.status = status
        self.code = code
        self.provider_message = provider_message


class _Refused(openai.OpenAIError):
    """Raised by our request hook: the SDK lets OpenAIError through without wrapping it."""


class _TooLarge(openai.OpenAIError):
    """Raised while the body is read: an answer larger than any the app expects is not read further."""


class _CappedStream(httpx2.SyncByteStream):
    def __init__(self, inner: httpx2.SyncByteStream, cap: int) -> None:
        self._inner = inner
        self._cap = cap

    def __iter__(self) -> Iterator[bytes]:
        seen = 0
        for chunk in self._inner:
            seen += len(chunk)
            if seen > self._cap:
                raise _TooLarge(f"more than {self._cap} bytes")
            yield chunk

    def close(self) -> None:
        self._inner.close()


class _CappedTransport(httpx2.HTTPTransport):
    """The SDK reads answers itself: the cap the shared HTTP layer applies is applied here, while reading."""

    def __init__(self, cap: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._cap = cap

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = super().handle_request(request)
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > self._cap:
            response.close()
            raise _TooLarge(f"{length} bytes declared")
        assert isinstance(response.stream, httpx2.SyncByteStream)
        response.stream = _CappedStream(response.stream, self._cap)
        return response


def retry_after_seconds(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Client:
    """The SDK, configured for polling one key of one account."""

    def __init__(self, base_url: str, key: Secret, role: str, timeout: float, scrub_also: Secret | None) -> None:
        self.role = role
        self.label = ROLE_LABELS[role]
        self.timeout = timeout
        self._key = key
        self._secrets = (key, scrub_also)
        base = httpx2.URL(base_url.rstrip("/") + "/")
        self._origin = (base.scheme, base.host, base.port)
        self._prefix = base.path.rstrip("/")
        self.refused: str | None = None  # why a request was not sent (a tr() phrase)
        self._http = httpx2.Client(
            follow_redirects=False,
            timeout=timeout,
            event_hooks={"request": [self._on_request]},
            transport=_CappedTransport(MAX_BODY, verify=ssl_context()),  # one CA bundle load per process
        )
        self.sdk = openai.OpenAI(
            api_key=key.reveal(),
            admin_api_key=key.reveal() if role == "admin" else None,
            base_url=base_url,
            max_retries=0,
            timeout=timeout,
            http_client=self._http,
        )
        # Nothing from the environment (OPENAI_ADMIN_KEY, OPENAI_ORG_ID, OPENAI_PROJECT_ID) rides along.
        if role != "admin":
            self.sdk.admin_api_key = None
        self.sdk.organization = None
        self.sdk.project = None

    def close(self) -> None:
        self._http.close()

    def _on_request(self, request: httpx2.Request) -> None:
        url = request.url
        if (url.scheme, url.host, url.port) != self._origin:
            self.refused = tr("a request to another address than the account's base URL")
            raise _Refused(self.refused)
        if self.role == "admin" and not url.path.startswith(self._prefix + "/organization/"):
            self.refused = tr("the admin key may be sent only to /organization/ endpoints")
            raise _Refused(self.refused)
        # The account's key, whatever the environment (OPENAI_CUSTOM_HEADERS) says.
        request.headers["Authorization"] = f"Bearer {self._key.reveal()}"
        for name in ("OpenAI-Organization", "OpenAI-Project"):
            request.headers.pop(name, None)

    # ------------------------------------------------------------ requests

    def call(self, endpoint: str, send: Callable[[], _T]) -> _T:
        try:
            return send()
        except openai.APIStatusError as exc:
            raise self._status_failure(endpoint, exc) from None
        except openai.APITimeoutError:
            raise OpenAIFailure(
                ErrorKind.TIMEOUT,
                tr("No answer in time"),
                tr(
                    "OpenAI did not answer {endpoint} within {seconds} s. Will retry.",
                    endpoint=endpoint,
                    seconds=f"{self.timeout:g}",
                ),
            ) from None
        except openai.APIConnectionError:
            raise OpenAIFailure(
                ErrorKind.NETWORK,
                tr("Cannot reach OpenAI"),
                tr(
                    "{endpoint}: the connection failed (offline, DNS, proxy or TLS problem). Will retry.",
                    endpoint=endpoint,
                ),
            ) from None
        except _TooLarge:
            raise OpenAIFailure(
                ErrorKind.BAD_RESPONSE,
                tr("Unexpected answer from {provider}", provider=PROVIDER),
                tr(
                    "{endpoint}: the answer is larger than {size} KiB, more than any balance or identity answer; "
                    "it was not read.",
                    endpoint=endpoint,
                    size=MAX_BODY // 1024,
                ),
            ) from None
        except _Refused:
            raise OpenAIFailure(
                ErrorKind.CONFIG,
                tr("Request refused"),
                tr(
                    "{endpoint}: not sent, because it would be {refused}.",
                    endpoint=endpoint,
                    refused=self.refused or "",
                ),
            ) from None
        except openai.OpenAIError as exc:
            raise OpenAIFailure(
                ErrorKind.BAD_RESPONSE,
                tr("OpenAI could not be read"),
                tr("{endpoint}: {error}.", endpoint=endpoint, error=type(exc).__name__),
            ) from None

    def get(self, path: str, endpoint: str, params: Mapping[str, Any] | None = None) -> httpx2.Response:
        options: openai.RequestOptions = {"params": dict(params)} if params else {}
        return self.call(endpoint, lambda: self.sdk.get(path, cast_to=httpx2.Response, options=options))

    def get_json(self, path: str, endpoint: str) -> tuple[Any, httpx2.Response]:
        response = self.get(path, endpoint)
        return decode(response, endpoint), response

    def _status_failure(self, endpoint: str, exc: openai.APIStatusError) -> OpenAIFailure:
        status = exc.status_code
        body = exc.body if isinstance(exc.body, Mapping) else {}
        raw_message = body.get("message")
        said = scrub(str(raw_message), self._secrets)[:240] if isinstance(raw_message, str) else ""
        code = body.get("code") if isinstance(body.get("code"), str) else None
        etype = body.get("type") if isinstance(body.get("type"), str) else None
        quoted = tr(" OpenAI said: “{said}”", said=said) if said else ""

        def fail(kind: ErrorKind, title: str, message: str, retry_after: float | None = None) -> OpenAIFailure:
            return OpenAIFailure(
                kind,
                title,
                message,
                status=status,
                code=code or etype,
                provider_message=said,
                retry_after=retry_after,
            )

        if 300 <= status < 400:
            return fail(
                ErrorKind.CONFIG,
                tr("Redirect refused"),
                tr(
                    "OpenAI answered {endpoint} with a redirect ({status}). It is not followed, so the key is "
                    "never sent to another address; check the account's base URL.",
                    endpoint=endpoint,
                    status=status,
                ),
            )
        if status == 401:
            extra = (
                tr(" A session key stops working when you log out of platform.openai.com.")
                if self.role == "session"
                else ""
            )
            return fail(
                ErrorKind.AUTH,
                tr("Key rejected"),
                tr(
                    "OpenAI answered 401 to {endpoint}: the {key} is invalid or was revoked.{extra} "
                    "Create a new key and edit the account.",
                    endpoint=endpoint,
                    key=self.label,
                    extra=extra,
                ),
            )
        if status == 403:
            text = f"{said} {code or ''}".lower()
            if "country" in text or "region" in text or "territory" in text:
                why = tr("OpenAI does not serve the country or region this request comes from.")
            elif self.role == "admin":
                why = tr(
                    "the admin key may not read {endpoint} (admin keys need the organization Owner role).",
                    endpoint=endpoint,
                )
            else:
                why = tr(
                    "the {key} may not read {endpoint}: a project or restricted key without billing access, or a "
                    "key whose project cannot use this.",
                    key=self.label,
                    endpoint=endpoint,
                )
            return fail(
                ErrorKind.PERMISSION,
                tr("Access denied"),
                tr("OpenAI answered 403: {why}{quoted}", why=why, quoted=quoted),
            )
        if status == 429:
            if code == "insufficient_quota" or etype == "insufficient_quota":
                return fail(
                    ErrorKind.QUOTA,
                    tr("Out of credit"),
                    tr(
                        "OpenAI refused {endpoint} for lack of credit (insufficient_quota). "
                        "Add credit on the billing page.",
                        endpoint=endpoint,
                    ),
                )
            if code == "billing_not_active" or etype == "billing_not_active":
                return fail(
                    ErrorKind.QUOTA,
                    tr("Billing not active"),
                    tr("OpenAI refused {endpoint}: billing is not active for this organization.", endpoint=endpoint),
                )
            wait = retry_after_seconds(exc.response.headers)
            when = tr(" Next try in {seconds} s.", seconds=f"{wait:.0f}") if wait is not None else ""
            return fail(
                ErrorKind.RATE_LIMITED,
                tr("Rate limited"),
                tr(
                    "OpenAI is throttling requests to {endpoint} (429); this is not a lack of credit.{when}",
                    endpoint=endpoint,
                    when=when,
                ),
                retry_after=wait,
            )
        if status >= 500:
            return fail(
                ErrorKind.SERVER,
                tr("OpenAI is having trouble"),
                tr("OpenAI answered {status} to {endpoint}. Will retry.", status=status, endpoint=endpoint),
            )
        if status == 404:
            return fail(
                ErrorKind.CONFIG,
                tr("Not found"),
                tr(
                    "{endpoint} was not found (404): check the account's base URL (normally https://api.openai.com/v1).",
                    endpoint=endpoint,
                ),
            )
        return fail(
            ErrorKind.BAD_RESPONSE,
            tr("Request refused"),
            tr("OpenAI answered {status} to {endpoint}.{quoted}", status=status, endpoint=endpoint, quoted=quoted),
        )


def decode(response: httpx2.Response, endpoint: str) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise BadResponse(PROVIDER, endpoint, "(body)", tr("is not JSON")) from None
