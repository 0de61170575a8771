"""Reading a socket under one deadline: http.client gives every read the socket's timeout afresh,
so a server sending a byte now and then could hold a probe for ever; here each read waits only
for what is left of the probe's time, for the status line, the headers and the body together.
"""

from __future__ import annotations

import io
import socket
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["DeadlineSocket"]


class _DeadlineReader(io.RawIOBase):
    """The socket's incoming bytes, each read given only the time left before `deadline`."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0.0:
            raise TimeoutError("the probe's deadline passed")
        self._sock.settimeout(left)
        return self._sock.recv_into(buffer)


class DeadlineSocket:
    """What http.client needs of a socket (send, makefile, close), reading under one deadline
    for the status line, the headers and the body together; closing is the probe's job."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        self._sock.sendall(data)

    def makefile(self, mode: str = "rb") -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def close(self) -> None:
        """The probe closes the real socket when it is done with it."""
