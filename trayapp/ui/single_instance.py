"""One tray per user and config dir: a second start asks the first to show its details, then exits.

Where the OS has Unix sockets (Linux, macOS) this is a socket file of the user's alone, served on the Qt loop
through a QSocketNotifier: the stdlib socket the tray has anyway, not QtNetwork, which would cost the start
~15 ms and the tray ~3 MiB of memory for this one socket. Elsewhere (Windows) QLocalServer's named pipe.
The socket is where QLocalServer put it (the temp folder, by its name), so either side finds the other.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

MAX_REQUEST = 4096  # bytes a request may have; it is one word ("details")
READ_TIMEOUT = 0.2  # seconds a connection's request may take to arrive


class SingleInstance(QObject):
    activated = Signal(str)  # what the second start asked for ("details")

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.path = Path(tempfile.gettempdir()) / name
        self._server: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._qt: _QtSingleInstance | None = None
        self._inode: int | None = None
        if not hasattr(socket, "AF_UNIX"):
            self._qt = _QtSingleInstance(name, self.activated.emit)

    def ask_running(self, request: str = "details", timeout_ms: int = 500) -> bool:
        """True if another instance is running (and was told `request`)."""
        if self._qt is not None:
            return self._qt.ask_running(request, timeout_ms)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(timeout_ms / 1000)
            try:
                client.connect(str(self.path))
                client.sendall(request.encode() + b"\n")
            except OSError:  # no socket file, nobody listening on it (a crashed instance's), or no answer in time
                return False
        return True

    def listen(self) -> bool:
        if self._qt is not None:
            return self._qt.listen()
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                server.bind(str(self.path))
            except OSError:
                # A stale socket of a crashed instance: nobody answered ask_running, so it is safe to remove.
                with contextlib.suppress(OSError):
                    self.path.unlink()
                server.bind(str(self.path))
            os.chmod(self.path, 0o600)  # the user's alone, whatever the umask
            server.listen(8)
            server.setblocking(False)
            self._inode = self.path.stat().st_ino
        except OSError:
            server.close()
            return False
        self._server = server
        self._notifier = QSocketNotifier(server.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return True

    def close(self) -> None:
        if self._qt is not None:
            self._qt.close()
            return
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        if self._server is not None:
            self._server.close()
            self._server = None
            with contextlib.suppress(OSError):  # only our own socket file, not one a newer instance made since
                if self.path.stat().st_ino == self._inode:
                    self.path.unlink()

    def _accept(self) -> None:
        assert self._server is not None
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:  # BlockingIOError: no more waiting
                return
            with conn:
                request = _read_request(conn)
            if request:
                self.activated.emit(request)


def _read_request(conn: socket.socket) -> str:
    """The first line a second start sent. It sends it at once and closes (ask_running), so this waits a moment
    at most; only the user can connect (0600)."""
    conn.settimeout(READ_TIMEOUT)
    data = bytearray()
    with contextlib.suppress(OSError):
        while len(data) < MAX_REQUEST and b"\n" not in data and (chunk := conn.recv(MAX_REQUEST)):
            data.extend(chunk)
    text = bytes(data[:MAX_REQUEST]).decode(errors="replace").strip()
    return text.splitlines()[0] if text else ""


class _QtSingleInstance:
    """QLocalServer's named pipe, where there are no Unix sockets."""

    def __init__(self, name: str, emit: Callable[[str], object]) -> None:
        self.name = name
        self.emit = emit
        self._server: Any = None  # a QLocalServer once listening

    def ask_running(self, request: str, timeout_ms: int) -> bool:
        from PySide6.QtNetwork import QLocalSocket

        sock = QLocalSocket()
        try:
            sock.connectToServer(self.name)
            if not sock.waitForConnected(timeout_ms):
                return False
            sock.write(request.encode() + b"\n")
            sock.flush()
            sock.waitForBytesWritten(timeout_ms)
            sock.disconnectFromServer()
            if sock.state() != QLocalSocket.LocalSocketState.UnconnectedState:
                sock.waitForDisconnected(timeout_ms)
            return True
        finally:
            sock.abort()

    def listen(self) -> bool:
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer()
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)  # a stale one: nobody answered ask_running
            if not server.listen(self.name):
                return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def close(self) -> None:
        if self._server is not None:
            self._server.close()

    def _on_connection(self) -> None:
        assert self._server is not None
        while (sock := self._server.nextPendingConnection()) is not None:
            sock.readyRead.connect(lambda sock=sock: self._read(sock))
            sock.disconnected.connect(sock.deleteLater)
            if sock.bytesAvailable():
                self._read(sock)

    def _read(self, sock: Any) -> None:
        data = bytes(sock.readAll().data()).decode(errors="replace").strip()
        if data:
            self.emit(data.splitlines()[0])
