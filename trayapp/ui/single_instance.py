"""One tray per user and config dir: a second start asks the first to show its details, then exits."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket


class SingleInstance(QObject):
    activated = Signal(str)  # what the second start asked for ("details")

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self._server: QLocalServer | None = None

    def ask_running(self, request: str = "details", timeout_ms: int = 500) -> bool:
        """True if another instance is running (and was told `request`)."""
        socket = QLocalSocket(self)
        try:
            socket.connectToServer(self.name)
            if not socket.waitForConnected(timeout_ms):
                return False
            socket.write(request.encode() + b"\n")
            socket.flush()
            socket.waitForBytesWritten(timeout_ms)
            socket.disconnectFromServer()
            if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
                socket.waitForDisconnected(timeout_ms)
            return True
        finally:
            socket.abort()
            socket.deleteLater()

    def listen(self) -> bool:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # A stale socket of a crashed instance: nobody answered ask_running, so it is safe to remove.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def close(self) -> None:
        if self._server is not None:
            self._server.close()

    @Slot()
    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(self._on_ready_read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    @Slot()
    def _on_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        data = bytes(socket.readAll().data()).decode(errors="replace").strip()
        if data:
            self.activated.emit(data.splitlines()[0])
