"""OpenAI's requests on the shared HTTP layer's transport (http.http_client): the same address check, no
redirects, the same cap after decompression, proxies and TLS trust, timeout, scrubbing and status mapping as
every other provider.

A normal or session key's endpoints are plain GETs (and the probe a plain POST): `Client` sends them itself, so a
poll without an admin key never imports the openai SDK (~0.5-0.75 s of CPU and ~50 MB per fetch child; see
docs/PERFORMANCE.md). `AdminClient` keeps the SDK for the organization endpoints (costs, spend limit), on the
same transport, with nothing from the environment (OPENAI_CUSTOM_HEADERS, OPENAI_ORG_ID, ...) riding along.

What is OpenAI's own is layered on the shared failures here: which key kind a refusal concerns, and the
reasons only OpenAI's codes tell (insufficient_quota, billing_not_active, a region OpenAI does not serve).
Imported only when an OpenAI account is polled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2

from ...core.i18n import tr
from ...core.models import ErrorKind
from ...secrets.secret import Secret
from ..ahead import Ahead
from ..base import ProviderInfo
from ..http import USER_AGENT, HttpFailure, Refinement, Refusal, Rules, failure_of, http_client, json_of
from .parse import SUPPORTED_COUNTRIES, is_region, missing_scopes

if TYPE_CHECKING:
    import openai

ROLE_LABELS = {"api": tr("API key"), "session": tr("session key"), "admin": tr("admin key")}
_T = TypeVar("_T")

# The only headers a request may carry: everything else the SDK adds (OPENAI_CUSTOM_HEADERS, OPENAI_ORG_ID,
# OPENAI_PROJECT_ID from the environment, its telemetry) is dropped before the request leaves. The SDK reads its
# raw-response marker back from the request it sent, so that one stays.
_SDK_HEADERS = frozenset(
    (
        *("accept", "accept-encoding", "authorization", "connection", "content-length", "content-type", "host"),
        *("user-agent", "x-stainless-raw-response"),
    )
)


def _only_own_headers(request: httpx2.Request) -> None:
    for name in [n for n in request.headers if n.lower() not in _SDK_HEADERS]:
        del request.headers[name]
    request.headers["User-Agent"] = USER_AGENT


class Client:
    """Polling one key of one account: plain requests on the shared transport, no SDK."""

    def __init__(
        self, info: ProviderInfo, base_url: str, key: str, role: str, timeout: float, scrub_also: Secret | None
    ) -> None:
        self.info = info
        self.role = role
        self._settings = (info, base_url, key, role, timeout, scrub_also)  # for a sibling (get_json_ahead)
        self.label = ROLE_LABELS[role]
        self.base_url = base_url.rstrip("/")
        self.rules = Rules(
            info,
            base_url,
            key,
            tuple(s for s in (key, scrub_also.reveal() if scrub_also else "") if s),
            timeout,
            self.label,
            only_under="organization" if role == "admin" else None,
            refine=self._refine,
        )
        self._http = http_client(
            self.rules,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            event_hooks={"request": [_only_own_headers]},
        )

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------ requests

    def call(self, endpoint: str, send: Callable[[], _T]) -> _T:
        try:
            return send()
        except HttpFailure as exc:
            raise self._own_words(exc) from None
        except httpx2.HTTPError as exc:  # raised outside the transport (a URL httpx2 cannot build, say)
            raise failure_of(self.rules, endpoint, exc) from None

    def get(self, path: str, endpoint: str, params: Mapping[str, Any] | None = None) -> httpx2.Response:
        url = self.base_url + path
        return self.call(endpoint, lambda: self._http.get(url, params=dict(params) if params else None))

    def post(self, path: str, endpoint: str, body: Mapping[str, Any]) -> httpx2.Response:
        url = self.base_url + path
        return self.call(endpoint, lambda: self._http.post(url, json=dict(body)))

    def get_json(self, path: str, endpoint: str) -> tuple[Any, httpx2.Response]:
        response = self.get(path, endpoint)
        return self.json(response, endpoint), response

    def get_json_ahead(self, path: str, endpoint: str) -> Ahead[tuple[Any, httpx2.Response]]:
        """`get_json` sent now, on its own thread and on a client of its own (one httpx2 client is not used by
        two threads at once); its answer or error is taken with `result()` where it used to be asked."""

        def send() -> tuple[Any, httpx2.Response]:
            sibling = Client(*self._settings)
            try:
                return sibling.get_json(path, endpoint)
            finally:
                sibling.close()

        return Ahead(send, "openai-ahead")

    def json(self, response: httpx2.Response, endpoint: str) -> Any:
        return json_of(response, self.info, endpoint, self.rules.secrets)

    def _refine(self, refusal: Refusal) -> Refinement | None:
        """OpenAI's own reasons, added to the shared reading where its codes and the key kind say more.

        The refusals whose shared wording would mislead (a deactivated account is not a bad key, a restricted
        key is not a dead one) get their kind and title here and their whole message in _own_words."""
        codes = refusal.codes
        if refusal.status in (401, 403) and missing_scopes(refusal.said):
            return Refinement(kind=ErrorKind.PERMISSION, title=tr("Missing permission"))
        if refusal.status == 403 and is_region(codes, refusal.said):
            return Refinement(title=tr("Access denied"))
        if refusal.status == 401 and "mismatched_organization" in codes:
            return Refinement(kind=ErrorKind.PERMISSION, title=tr("Wrong organization"))
        if refusal.status == 401 and "account_deactivated" in codes:
            return Refinement(title=tr("Account deactivated"))
        if refusal.status == 401 and "no_organization" in codes:
            return Refinement(title=tr("No organization"))
        if refusal.kind is ErrorKind.AUTH and self.role == "session":
            return Refinement(tr(" A session key stops working when you log out of platform.openai.com."))
        if refusal.kind is ErrorKind.PERMISSION:
            if self.role == "admin":
                return Refinement(tr(" Admin keys need the organization Owner role."))
            return Refinement(
                tr(" A project or restricted key may have no billing access, or its project may not use this.")
            )
        if refusal.kind is ErrorKind.QUOTA and "billing_not_active" in codes:
            return Refinement(tr(" Billing is not active for this organization."), title=tr("Billing not active"))
        if refusal.kind is ErrorKind.QUOTA:
            return Refinement(tr(" Add credit on the billing page."))
        if refusal.kind is ErrorKind.RATE_LIMITED:
            return Refinement(tr(" This is throttling, not a lack of credit (that would be insufficient_quota)."))
        return None

    def _own_words(self, exc: HttpFailure) -> HttpFailure:
        """The message of a refusal whose shared wording ("may be mistyped, revoked or expired") would give
        advice that cannot help, in OpenAI's terms; any other failure as it came."""
        if exc.status not in (401, 403):
            return exc
        said = exc.said.rstrip().rstrip(".") or ", ".join(exc.codes)  # the template ends the sentence
        key, status, codes = self.label, exc.status, exc.codes
        scopes = missing_scopes(exc.said)
        if scopes:
            message = tr(
                "OpenAI refused {endpoint} to this restricted {key} ({status}): {said}. The key is valid but lacks "
                "the scope {scopes}; what it may read is still shown. To read this too, give the key that "
                "permission on platform.openai.com (API keys → Edit → Permissions).",
                endpoint=exc.endpoint,
                key=key,
                status=status,
                said=said,
                scopes=scopes,
            )
        elif status == 403 and is_region(codes, exc.said):
            message = tr(
                "Access denied: the country or region is not served. OpenAI refuses requests from where this "
                "one comes from ({status}): {said}. The key is not at fault; OpenAI lists the countries it "
                "serves at {url}.",
                status=status,
                said=said,
                url=SUPPORTED_COUNTRIES,
            )
        elif status == 401 and "account_deactivated" in codes:
            message = tr(
                "OpenAI says the account this {key} belongs to is deactivated ({status}): {said}. A new key will "
                "not help: read OpenAI's email to the account's owner, contact OpenAI through help.openai.com if "
                "it is a mistake, or use another account.",
                key=key,
                status=status,
                said=said,
            )
        elif status == 401 and "mismatched_organization" in codes:
            message = tr(
                "OpenAI refused the {key} for the organization named with the request ({status}): {said}. Credit "
                "Tray sends no OpenAI-Organization header itself, so a proxy on the way adds one; a new key will "
                "not help: check the account's base URL and proxy.",
                key=key,
                status=status,
                said=said,
            )
        elif status == 401 and "no_organization" in codes:
            message = tr(
                "OpenAI says the owner of this {key} is not a member of any organization ({status}): {said}. A new "
                "key will not help: ask the organization's owner to invite you again, or contact OpenAI through "
                "help.openai.com.",
                key=key,
                status=status,
                said=said,
            )
        elif status == 401 and "invalid_api_key" in codes:
            message = tr(
                "OpenAI does not know this {key} ({status}): {said}. It was mistyped, revoked, or its project was "
                "deleted: create a new key on platform.openai.com (API keys) and enter it with Edit account.{hint}",
                key=key,
                status=status,
                said=said,
                hint=tr(" A session key stops working when you log out of platform.openai.com.")
                if self.role == "session"
                else "",
            )
        else:
            return exc
        return self.rules.fail(
            exc.kind,
            exc.title,
            message,
            endpoint=exc.endpoint,
            status=status,
            codes=codes,
            said=exc.said,
            retry_after=exc.retry_after,
        )


class AdminClient(Client):
    """An admin key's client: the SDK's typed organization endpoints, on this client's transport. The SDK is
    imported here, so only a poll with an admin key pays for it."""

    def __init__(self, info: ProviderInfo, base_url: str, key: str, timeout: float, scrub_also: Secret | None) -> None:
        super().__init__(info, base_url, key, "admin", timeout, scrub_also)
        import openai

        self._openai = openai
        self.sdk: openai.OpenAI = openai.OpenAI(
            api_key=key,
            admin_api_key=key,
            base_url=base_url,
            max_retries=0,
            timeout=timeout,
            http_client=self._http,
        )
        # Nothing from the environment (OPENAI_ORG_ID, OPENAI_PROJECT_ID) rides along; the request hook drops
        # whatever else the SDK took from it.
        self.sdk.organization = None
        self.sdk.project = None

    def call(self, endpoint: str, send: Callable[[], _T]) -> _T:
        openai = self._openai
        try:
            return super().call(endpoint, send)
        except openai.OpenAIError as exc:
            # The transport turns every failure into an HttpFailure; what the SDK still raises on its own
            # (a timeout or connection error outside the transport, an answer it cannot read) is worded the same.
            cause = exc.__cause__
            if cause is not None and isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError)):
                raise failure_of(self.rules, endpoint, cause) from None
            raise self.rules.fail(
                ErrorKind.BAD_RESPONSE,
                tr("OpenAI could not be read"),
                tr("{endpoint}: {error}.", endpoint=endpoint, error=type(exc).__name__),
                endpoint=endpoint,
            ) from None

    def spend_limit(self) -> httpx2.Response:
        return self.sdk.admin.organization.spend_limit.with_raw_response.retrieve().http_response

    def costs_page(self, start: datetime, page: str | None) -> httpx2.Response:
        return self.sdk.admin.organization.usage.with_raw_response.costs(
            start_time=int(start.timestamp()),
            bucket_width="1d",
            limit=180,
            page=page if page else self._openai.omit,
        ).http_response
