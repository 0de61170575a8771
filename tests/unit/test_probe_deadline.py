"""One deadline for a probe's whole answer (net.deadline_io): each read waits only for the
time left, so a server that trickles bytes cannot stretch the probe. A socket pair stands in for
the server (the end-to-end case with a real trickling server: integration/test_audit_drip_feed)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from traywatch.core.net.deadline_io import DeadlineSocket


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        yield ours, theirs


def test_bytes_that_arrive_in_time_are_read(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    theirs.sendall(b"HTTP/1.1 200 OK\r\n\r\nhello")
    theirs.shutdown(socket.SHUT_WR)
    reader = DeadlineSocket(ours, time.monotonic() + 5.0).makefile("rb")
    assert reader.readline() == b"HTTP/1.1 200 OK\r\n"
    assert reader.read() == b"\r\nhello"


def test_a_trickle_is_cut_at_the_deadline_not_after_each_quiet_spell(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, theirs = pair
    stop = threading.Event()

    def trickle() -> None:
        while not stop.is_set():
            try:
                theirs.sendall(b"x")
            except OSError:
                return
            time.sleep(0.1)

    sender = threading.Thread(target=trickle, daemon=True)
    sender.start()
    started = time.monotonic()
    reader = DeadlineSocket(ours, started + 0.6).makefile("rb")
    try:
        with pytest.raises(TimeoutError):
            while reader.read1(1):
                pass
    finally:
        stop.set()
        sender.join(2)
    assert time.monotonic() - started < 1.2


def test_a_deadline_already_past_reads_nothing(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    theirs.sendall(b"late")
    with pytest.raises(TimeoutError):
        DeadlineSocket(ours, time.monotonic() - 1.0).makefile("rb").read(4)


def test_closing_leaves_the_socket_to_the_probe(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, _ = pair
    DeadlineSocket(ours, time.monotonic() + 1.0).close()
    assert ours.fileno() != -1
