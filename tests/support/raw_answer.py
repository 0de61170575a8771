"""A server that answers every request with exactly the bytes it is given: for answers no
well-behaved server would send (broken status lines, headers and chunking), which the fake web's
`Reply` cannot express on purpose.

    with RawAnswerServer() as server:
        server.answer = b"HTTP/1.1 302 Found\\r\\nLocation: http://[x]/\\r\\n\\r\\n"
        ... probe http://127.0.0.1:{server.port}/ ...

Each connection reads the request head (up to a blank line, a size cap or a short timeout),
sends the current `answer`, then closes (with a TCP reset when `reset` is set).
"""

from __future__ import annotations

import socket
import struct
import threading
from types import TracebackType

from tests.support._control import close_quietly

_HEAD_CAP = 64 * 1024


class RawAnswerServer:
    def __init__(self, bind: str = "127.0.0.1") -> None:
        self.answer = b""
        self.reset = False
        self.requests = 0
        self._listener = socket.create_server((bind, 0))
        self._listener.settimeout(0.2)  # so that the serving thread sees a stop soon
        self.port: int = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="RawAnswerServer", daemon=True)

    def __enter__(self) -> RawAnswerServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(5)
        close_quietly(self._listener)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                self._answer(conn)
            except OSError:
                pass  # the client gave up first: its business
            finally:
                close_quietly(conn)

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(2.0)
        head = b""
        while b"\r\n\r\n" not in head and len(head) < _HEAD_CAP:
            chunk = conn.recv(65536)
            if not chunk:
                break
            head += chunk
        self.requests += 1
        answer, reset = self.answer, self.reset
        conn.sendall(answer)
        if reset:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            conn.shutdown(socket.SHUT_WR)
