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
from ..core.models import ErrorKind
from ..secrets.secret import Secret, mask_fragments
from .http import MAX_BODY, ssl_context

PROVIDER = "OpenAI"
ROLE_LABELS = {"api": "API key", "session": "session key", "admin": "admin key"}
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
        self.refused: str | None = None
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
            self.refused = "a request to another address than the account's base URL"
            raise _Refused(self.refused)
        if self.role == "admin" and not url.path.startswith(self._prefix + "/organization/"):
            self.refused = "the admin key may be sent only to /organization/ endpoints"
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
                "No answer in time",
                f"OpenAI did not answer {endpoint} within {self.timeout:g} s. Will retry.",
            ) from None
        except openai.APIConnectionError:
            raise OpenAIFailure(
                ErrorKind.NETWORK,
                "Cannot reach OpenAI",
                f"{endpoint}: the connection failed (offline, DNS, proxy or TLS problem). Will retry.",
            ) from None
        except _TooLarge:
            raise OpenAIFailure(
                ErrorKind.BAD_RESPONSE,
                "Unexpected answer from OpenAI",
                f"{endpoint}: the answer is larger than {MAX_BODY // 1024} KiB, more than any balance or identity "
                "answer; it was not read.",
            ) from None
        except _Refused:
            raise OpenAIFailure(
                ErrorKind.CONFIG,
                "Request refused",
                f"{endpoint}: not sent, because it would be {self.refused}.",
            ) from None
        except openai.OpenAIError as exc:
            raise OpenAIFailure(
                ErrorKind.BAD_RESPONSE,
                "OpenAI could not be read",
                f"{endpoint}: {type(exc).__name__}.",
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
        quoted = f" OpenAI said: “{said}”" if said else ""

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
                "Redirect refused",
                f"OpenAI answered {endpoint} with a redirect ({status}). It is not followed, so the key is "
                "never sent to another address; check the account's base URL.",
            )
        if status == 401:
            extra = (
                " A session key stops working when you log out of platform.openai.com."
                if self.role == "session"
                else ""
            )
            return fail(
                ErrorKind.AUTH,
                "Key rejected",
                f"OpenAI answered 401 to {endpoint}: the {self.label} is invalid or was revoked.{extra} "
                "Create a new key and edit the account.",
            )
        if status == 403:
            text = f"{said} {code or ''}".lower()
            if "country" in text or "region" in text or "territory" in text:
                why = "OpenAI does not serve the country or region this request comes from."
            elif self.role == "admin":
                why = f"the admin key may not read {endpoint} (admin keys need the organization Owner role)."
            else:
                why = (
                    f"the {self.label} may not read {endpoint}: a project or restricted key without "
                    "billing access, or a key whose project cannot use this."
                )
            return fail(ErrorKind.PERMISSION, "Access denied", f"OpenAI answered 403: {why}{quoted}")
        if status == 429:
            if code == "insufficient_quota" or etype == "insufficient_quota":
                return fail(
                    ErrorKind.QUOTA,
                    "Out of credit",
                    f"OpenAI refused {endpoint} for lack of credit (insufficient_quota). "
                    "Add credit on the billing page.",
                )
            if code == "billing_not_active" or etype == "billing_not_active":
                return fail(
                    ErrorKind.QUOTA,
                    "Billing not active",
                    f"OpenAI refused {endpoint}: billing is not active for this organization.",
                )
            wait = retry_after_seconds(exc.response.headers)
            when = f" Next try in {wait:.0f} s." if wait is not None else ""
            return fail(
                ErrorKind.RATE_LIMITED,
                "Rate limited",
                f"OpenAI is throttling requests to {endpoint} (429); this is not a lack of credit.{when}",
                retry_after=wait,
            )
        if status >= 500:
            return fail(
                ErrorKind.SERVER,
                "OpenAI is having trouble",
                f"OpenAI answered {status} to {endpoint}. Will retry.",
            )
        if status == 404:
            return fail(
                ErrorKind.CONFIG,
                "Not found",
                f"{endpoint} was not found (404): check the account's base URL (normally https://api.openai.com/v1).",
            )
        return fail(ErrorKind.BAD_RESPONSE, "Request refused", f"OpenAI answered {status} to {endpoint}.{quoted}")


def decode(response: httpx2.Response, endpoint: str) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise BadResponse(PROVIDER, endpoint, "(body)", "is not JSON") from None
