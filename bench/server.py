"""A loopback server answering like every provider, counting requests per account and path.

Each account gets its own base URL `http://127.0.0.1:PORT/<tag>/...`: the first path segment names the
account, so requests are counted per account and per provider. Tags starting with `slow` answer after
`SLOW_SECONDS`. `GET /_bench/counts` returns the counts (for the in-process harness, another process).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SLOW_SECONDS = 0.3

ME = {
    "object": "user",
    "id": "user-bench0000000000000000",
    "email": "bench.user@example.com",
    "name": "Bench User",
    "created": 1_780_000_000,
    "phone_number": "+1 555 0100 200",
    "orgs": {
        "object": "list",
        "data": [
            {
                "object": "organization",
                "id": "org-bench000000000000000000",
                "created": 1_780_000_000,
                "title": "Personal",
                "name": "user-bench0000000000000000",
                "personal": True,
                "is_default": True,
                "role": "owner",
            }
        ],
    },
}
SESSION_KEY_ONLY = {
    "error": {
        "message": "Your request to GET /dashboard/billing/credit_grants must be made with a session key (that is, "
        "it can only be made from the browser). You made it with the following key type: secret.",
        "type": "server_error",
        "param": None,
        "code": None,
    }
}

# (route after the tag) -> (status, JSON body, extra headers)
ROUTES: dict[str, tuple[int, Any, dict[str, str]]] = {
    # DeepSeek (base URL without /v1)
    "/user/balance": (
        200,
        {
            "is_available": True,
            "balance_infos": [
                {"currency": "CNY", "total_balance": "10.00", "granted_balance": "4.00", "topped_up_balance": "6.00"}
            ],
        },
        {},
    ),
    # Moonshot
    "/v1/users/me/balance": (
        200,
        {
            "code": 0,
            "status": True,
            "scode": "0x0",
            "data": {"available_balance": 12.5, "voucher_balance": 2.5, "cash_balance": 10.0},
        },
        {},
    ),
    # SiliconFlow
    "/v1/user/info": (
        200,
        {
            "code": 20000,
            "message": "OK",
            "status": True,
            "data": {
                "id": "sf-bench",
                "email": "sf@example.com",
                "balance": "1.5",
                "chargeBalance": "8.5",
                "totalBalance": "10",
            },
        },
        {},
    ),
    # OpenRouter (base URL .../api/v1)
    "/api/v1/key": (
        200,
        {"data": {"limit": 20, "limit_remaining": 7.5, "usage": 12.5, "is_free_tier": False, "limit_reset": None}},
        {},
    ),
    # OpenAI-compatible relay
    "/v1/dashboard/billing/subscription": (
        200,
        {"object": "billing_subscription", "hard_limit_usd": 50, "access_until": 0},
        {},
    ),
    "/v1/dashboard/billing/usage": (200, {"object": "list", "total_usage": 1250}, {}),
    # OpenAI, normal key
    "/v1/me": (200, ME, {}),
    "/v1/models": (
        200,
        {"object": "list", "data": [{"id": "gpt-4.1-nano", "object": "model", "owned_by": "system"}]},
        {"openai-organization": "user-bench0000000000000000"},
    ),
    "/v1/dashboard/billing/credit_grants": (403, SESSION_KEY_ONLY, {}),
}


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 with a port of its own; `start()`, `url(tag, suffix)`, `stop()`."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()  # (tag, route) -> requests
        self.unknown: Counter[str] = Counter()
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                owner._serve(self)

            do_POST = do_GET

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256  # 50 accounts connect at once: the default backlog of 5 drops SYNs

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.5,), daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, tag: str, suffix: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{tag}{suffix}"

    def start(self) -> LoopbackServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def snapshot(self) -> dict[str, dict[str, int]]:
        with self._lock:
            out: dict[str, dict[str, int]] = {}
            for (tag, route), n in self.counts.items():
                out.setdefault(tag, {})[route] = n
            return out

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        if length:
            handler.rfile.read(length)
        path = handler.path.split("?", 1)[0]
        if path == "/_bench/counts":
            self._send(handler, 200, self.snapshot(), {})
            return
        _, tag, route = [*path.split("/", 2), ""][:3]
        route = "/" + route
        with self._lock:
            self.counts[(tag, route)] += 1
        if tag.startswith("slow"):
            time.sleep(SLOW_SECONDS)
        answer = ROUTES.get(route)
        if answer is None:
            with self._lock:
                self.unknown[route] += 1
            self._send(handler, 404, {"error": {"message": f"no route {route}"}}, {})
            return
        status, body, headers = answer
        self._send(handler, status, body, headers)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


def fetch_counts(port: int) -> dict[str, dict[str, int]]:
    """The counts, from another process."""
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
    with opener.open(f"http://127.0.0.1:{port}/_bench/counts", timeout=5) as answer:
        data: dict[str, dict[str, int]] = json.loads(answer.read())
    return data
