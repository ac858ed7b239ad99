"""A loopback server answering like every provider, counting requests per account and path.

Each account gets its own base URL `http://127.0.0.1:PORT/<tag>/...`: the first path segment names the
account, so requests are counted per account and per provider. Tags starting with `slow` answer after
`SLOW_SECONDS`. `GET /_bench/counts` returns the counts (for the in-process harness, another process).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from http import HTTPStatus
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
    """An HTTP/1.1 server on 127.0.0.1 with a port of its own, on one asyncio loop in a thread of this process;
    `start()`, `url(tag, suffix)`, `stop()`.

    Not http.server's ThreadingHTTPServer: it started a thread per connection and parsed headers with the
    email package, ~1.1 ms of CPU a request, which a 500-account refresh (~600 requests) took from the two
    cores that the app under measurement runs on, while a provider's server is another machine. Here a
    request costs ~0.5 ms (docs/PERFORMANCE.md, how it is measured)."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()  # (tag, route) -> requests
        self.unknown: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._connection, "127.0.0.1", 0, backlog=1024)
        )
        self.thread = threading.Thread(target=self._loop.run_forever, name="bench-server", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.sockets[0].getsockname()[1])

    def url(self, tag: str, suffix: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{tag}{suffix}"

    def start(self) -> LoopbackServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        async def close() -> None:
            self._server.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self.thread.join(5)

    def snapshot(self) -> dict[str, dict[str, int]]:
        with self._lock:
            out: dict[str, dict[str, int]] = {}
            for (tag, route), n in self.counts.items():
                out.setdefault(tag, {})[route] = n
            return out

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """One connection's requests, kept alive until the client closes it (or asks to)."""
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                headers = {}
                for line in header_lines:
                    name, _, value = line.partition(":")
                    if name:
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length") or 0)
                if length:
                    await reader.readexactly(length)
                path = request_line.split(" ")[1].split("?", 1)[0]
                status, body, extra = await self._answer(path)
                data = json.dumps(body).encode()
                lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", "Content-Type: application/json"]
                lines += [f"{name}: {value}" for name, value in extra.items()]
                lines.append(f"Content-Length: {len(data)}")
                writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, IndexError, ValueError):
            pass  # the client closed the connection (or sent what this server does not read)
        finally:
            writer.close()

    async def _answer(self, path: str) -> tuple[int, Any, dict[str, str]]:
        if path == "/_bench/counts":
            return 200, self.snapshot(), {}
        _, tag, route = [*path.split("/", 2), ""][:3]
        route = "/" + route
        with self._lock:
            self.counts[(tag, route)] += 1
        if tag.startswith("slow"):
            await asyncio.sleep(SLOW_SECONDS)
        answer = ROUTES.get(route)
        if answer is None:
            with self._lock:
                self.unknown[route] += 1
            return 404, {"error": {"message": f"no route {route}"}}, {}
        return answer


def fetch_counts(port: int) -> dict[str, dict[str, int]]:
    """The counts, from another process."""
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
    with opener.open(f"http://127.0.0.1:{port}/_bench/counts", timeout=5) as answer:
        data: dict[str, dict[str, int]] = json.loads(answer.read())
    return data
