"""Audit of issue 16 item 1 ("no answer from the network can end a round") and issue 11 part 4
(the deadline bounds everything): a server that trickles its answer, one byte or one header line
every half second, keeps a probe reading long past its deadline, because each socket read gets
the time left as its own timeout and every byte restarts it. `check` still ends on time (the
engine abandons the probe at the deadline), but the probe's thread and socket stay busy for as
long as the server trickles: seen 52 s for a 3 s deadline. A tarpit on Meta's addresses thus
piles stuck workers up round after round in `watch` and the tray (64 at most, then every probe
queues behind them). A probe must end by its deadline whatever the server does."""

# audit: fails on main at e298e8b (the fix makes it pass)

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from traywatch.core.catalogue import TargetSpec
from traywatch.core.net.probe import ProbeContext, Progress, run_probe
from traywatch.core.net.resolver import make_resolver
from traywatch.core.net.tls import make_ssl_context

DEADLINE_S = 2.0
TRICKLE_S = 12.0  # how long the server keeps trickling (the probe should give up long before)
HEADS = {
    "body": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n", b"x"),
    "headers": (b"HTTP/1.1 200 OK\r\n", b"X-Trickle: 1\r\n"),
}


@pytest.fixture(params=sorted(HEADS))
def trickler(request: pytest.FixtureRequest) -> Iterator[int]:
    head, drop = HEADS[request.param]
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def answer(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(head)
                until = time.monotonic() + TRICKLE_S
                while time.monotonic() < until and not stop.is_set():
                    conn.sendall(drop)
                    time.sleep(0.5)
            except OSError:
                pass

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    yield listener.getsockname()[1]
    stop.set()
    server.join(5)
    listener.close()


def test_a_probe_ends_by_its_deadline_while_the_server_trickles_its_answer(trickler: int) -> None:
    target = TargetSpec(f"http://127.0.0.1:{trickler}/", redirect_domains=("127.0.0.1",))
    resolver, tls = make_resolver(()), make_ssl_context(None)
    ctx = ProbeContext(resolver, tls, lambda url: None, allow_local_addresses=True)
    started = time.monotonic()
    run_probe(target, ctx, started + DEADLINE_S, Progress())
    took = time.monotonic() - started
    assert took < DEADLINE_S + 1.0, f"the probe read on for {took:.1f} s past a {DEADLINE_S:.0f} s deadline"
