"""A fake OpenAI on 127.0.0.1: a real threaded HTTP server serving the documented shapes and errors.

Routes answer with JSON (or raw bytes), a status and headers; a route may be a list (one answer per
request, the last repeated) or a function of the request. Every request is recorded with its path,
query and Authorization header, so tests can count requests and check which key went where.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: Any = None  # JSON-serialisable, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # never answer (until the server stops)


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str | None
    headers: dict[str, str]
    body: bytes


Route = Answer | list[Answer] | Callable[[Seen], Answer]


def error(status: int, message: str, type_: str | None = None, code: str | None = None, **headers: str) -> Answer:
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return Answer(status, body, dict(headers))


class FakeOpenAI:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    self.headers.get("Authorization"),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                answer = fake._answer(seen)
                if answer.hang:
                    fake._stop.wait(10)
                    return
                data = (
                    answer.body
                    if isinstance(answer.body, bytes)
                    else json.dumps(answer.body if answer.body is not None else {}).encode()
                )
                self.send_response(answer.status)
                headers = {"Content-Type": "application/json", **answer.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def route(self, method: str, path: str, answer: Route) -> None:
        self.routes[(method, path)] = answer

    def _answer(self, seen: Seen) -> Answer:
        with self._lock:
            self.seen.append(seen)
            route = self.routes.get((seen.method, seen.path))
            if route is None:
                return error(404, f"Unknown request URL: {seen.method} {seen.path}", "invalid_request_error")
            if callable(route):
                return route(seen)
            if isinstance(route, list):
                return route.pop(0) if len(route) > 1 else route[0]
            return route

    def count(self, path: str, method: str = "GET") -> int:
        return sum(1 for s in self.seen if s.path == path and s.method == method)

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]

    def start(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()


def serve() -> Iterator[FakeOpenAI]:
    """For a fixture: `yield from serve()`."""
    server = FakeOpenAI().start()
    try:
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------- documented shapes (provider-apis.md)

EMAIL = "pat.example+api@gmail.com"
PHONE = "+1 555 0100 200"


def me(user_id: str = "user-ohfap0ky8lkatw97iskuhghv", created: int = 1_780_000_000, **extra: Any) -> dict[str, Any]:
    return {
        "object": "user",
        "id": user_id,
        "email": EMAIL,
        "name": "Pat Example",
        "picture": "https://example.invalid/p.png",
        "created": created,
        "phone_number": PHONE,
        "mfa_flag_enabled": True,
        "amr": [],
        "orgs": {
            "object": "list",
            "data": [
                {
                    "object": "organization",
                    "id": "org-S2T2qOGM1KofMLUxb9rt7eV0",
                    "created": created,
                    "title": "Personal",
                    "name": user_id,
                    "description": f"Personal org for {EMAIL}",
                    "personal": True,
                    "is_default": True,
                    "role": "owner",
                    "settings": {"disable_user_api_keys": False},
                    "projects": {"object": "list", "data": []},
                }
            ],
        },
        **extra,
    }


SESSION_KEY_ONLY = error(
    403,
    "Your request to GET /dashboard/billing/credit_grants must be made with a session key (that is, it can "
    "only be made from the browser). You made it with the following key type: secret.",
    "server_error",
)

INSUFFICIENT_QUOTA = error(
    429,
    "You exceeded your current quota, please check your plan and billing details. For more information on "
    "this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
    "insufficient_quota",
    "insufficient_quota",
)


def models(org: str = "user-ohfap0ky8lkatw97iskuhghv") -> Answer:
    return Answer(
        200,
        {"object": "list", "data": [{"id": "gpt-4.1-nano", "object": "model", "owned_by": "system"}]},
        {"openai-organization": org, "openai-version": "2020-10-01", "x-request-id": "req_1"},
    )


def grant(amount: float, used: float, effective: float, expires: float, gid: str = "g") -> dict[str, Any]:
    return {
        "object": "credit_grant",
        "id": gid,
        "grant_amount": amount,
        "used_amount": used,
        "effective_at": effective,
        "expires_at": expires,
    }


def credit_summary(*grants: dict[str, Any]) -> dict[str, Any]:
    total = sum(g["grant_amount"] for g in grants)
    used = sum(g["used_amount"] for g in grants)
    return {
        "object": "credit_summary",
        "total_granted": total,
        "total_used": used,
        "total_available": total - used,
        "grants": {"object": "list", "data": list(grants)},
    }


SUBSCRIPTION = {
    "object": "billing_subscription",
    "has_payment_method": False,
    "canceled": False,
    "access_until": 1_800_000_000,
    "soft_limit_usd": 14.4,
    "hard_limit_usd": 18.0,
    "plan": {"id": "free", "title": "Explore"},
    "account_name": "Pat",
}


def costs_page(buckets: list[tuple[int, float]], next_page: str | None = None) -> dict[str, Any]:
    return {
        "object": "page",
        "data": [
            {
                "object": "bucket",
                "start_time": start,
                "end_time": start + 86400,
                "results": [
                    {
                        "object": "organization.costs.result",
                        "amount": {"value": value, "currency": "usd"},
                        "line_item": None,
                        "project_id": None,
                    }
                ],
            }
            for start, value in buckets
        ],
        "has_more": next_page is not None,
        "next_page": next_page,
    }


def spend_limit(status: str = "inactive", cents: int = 12_000) -> dict[str, Any]:
    return {
        "object": "organization.spend_limit",
        "threshold_amount": cents,
        "currency": "USD",
        "interval": "month",
        "enforcement": {"status": status},
    }


# ---------------------------------------------------------------- refusals as OpenAI words them (real bodies)

# 401 account_deactivated: the wording since 2023-09 (ChatGPTNextWeb/NextChat#2782, 2023-09-07; nat/openplayground#143,
# 2024-11-25); before it "This key is associated with a deactivated account. …" (Zero6992/chatGPT-discord-bot#442).
ACCOUNT_DEACTIVATED = error(
    401,
    "The OpenAI account associated with this API key has been deactivated. If you are the developer for this OpenAI "
    "app, please check your email for more information. If you are seeing this error while using another app or "
    "site, please reach out to them for more help.",
    "invalid_request_error",
    "account_deactivated",
)

# 401 mismatched_organization (microsoft/foundry-dev-tools#262, 2025-09-05; Realiserad/fish-ai#62).
MISMATCHED_ORGANIZATION = error(
    401,
    "OpenAI-Organization header should match organization for API key",
    "invalid_request_error",
    "mismatched_organization",
)

# 401 no_organization (OpenHands/OpenHands#2562, 2024-06-21; abi/screenshot-to-code#9, 2023-11-17).
NO_ORGANIZATION = error(
    401,
    "You must be a member of an organization to use the API. Please contact us through our help center at "
    "help.openai.com.",
    "invalid_request_error",
    "no_organization",
)

# 401 of a restricted key on GET /v1/models, `error` as a bare string (marcusquinn/aidevops#24564, 2026-06-08); the
# object form with code null is in continuedev/continue#10059 (2026-01-31, api.responses.write).
MISSING_MODEL_READ = Answer(
    401,
    {
        "error": "You have insufficient permissions for this operation. Missing scopes: api.model.read. Check that "
        "you have the correct role in your organization (Reader, Writer, Owner) and project (Viewer, Member, Owner), "
        "and if you're using a restricted API key, that it has the necessary scopes."
    },
)
MISSING_RESPONSES_WRITE = error(
    401,
    "You have insufficient permissions for this operation. Missing scopes: api.responses.write. Check that you have "
    "the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using "
    "a restricted API key, that it has the necessary scopes.",
    "invalid_request_error",
)

# 403 on every endpoint from a country OpenAI does not serve (home-assistant/core#120072, 2024-06-21;
# continuedev/continue#11449, 2026-03-15): type request_forbidden.
REGION_NOT_SERVED = error(
    403,
    "Country, region, or territory not supported",
    "request_forbidden",
    "unsupported_country_region_territory",
)
