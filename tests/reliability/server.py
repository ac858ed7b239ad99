"""A loopback HTTP server whose every answer is chosen by a function: JSON, raw bytes, silence, a trickle.

Only 127.0.0.1. Every request is recorded (path, Authorization, Host), so tests can check which key went
where. Faults it can play: never answering, answering one byte at a time, closing the connection.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None  # JSON-serialisable, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # read the request, then never answer
    trickle: float = 0.0  # seconds between single bytes of the body (headers sent at once)
    length: int | None = None  # Content-Length to declare (None: the real one; -1: none, close to end)
    trickle_headers: bool = False  # the status line and headers themselves one byte at a time, forever


@dataclass(frozen=True)
class Seen:
    path: str
    authorization: str | None
    host: str | None


Handler = Callable[[Seen], Reply]


def json_reply(body: Any, status: int = 200, **headers: str) -> Reply:
    return Reply(status, body, dict(headers))


class LoopServer:
    def __init__(self, handler: Handler | None = None, ssl_context: Any = None, port: int = 0) -> None:
        self.handler: Handler = handler or (lambda seen: Reply(404, {"error": {"message": "no route"}}))
        self.seen: list[Seen] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                seen = Seen(self.path.split("?")[0], self.headers.get("Authorization"), self.headers.get("Host"))
                with outer._lock:
                    outer.seen.append(seen)
                reply = outer.handler(seen)
                if reply.hang:
                    outer._stop.wait(30)
                    return
                if reply.trickle_headers:
                    for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 100_000:
                        if outer._stop.wait(reply.trickle or 0.2):
                            return
                        try:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                        except OSError:
                            return
                    return
                data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Type": "application/json", **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if reply.length is None:
                        self.send_header("Content-Length", str(len(data)))
                    elif reply.length >= 0:
                        self.send_header("Content-Length", str(reply.length))
                    else:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    if reply.trickle:
                        for i in range(len(data)):
                            if outer._stop.wait(reply.trickle):
                                return
                            self.wfile.write(data[i : i + 1])
                            self.wfile.flush()
                    else:
                        self.wfile.write(data)
                except (TimeoutError, BrokenPipeError, ConnectionResetError):
                    pass

            do_POST = do_GET

        class _Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that gave up (timeout, refused certificate) is expected here

        self.server = _Server(("127.0.0.1", port), _Handler)
        if ssl_context is not None:
            self.server.socket = ssl_context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str = "", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def start(self) -> LoopServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    def authorizations(self) -> list[str | None]:
        with self._lock:
            return [s.authorization for s in self.seen]


def serve(handler: Handler | None = None) -> Iterator[LoopServer]:
    server = LoopServer(handler).start()
    try:
        yield server
    finally:
        server.stop()


def free_port() -> int:
    """A port nothing listens on (bound, then released): connecting to it is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
