"""Memory over many real rounds against local DNS and HTTPS servers: a long healthy run must not
grow. The growth that was found: reading `SSLSocket.session` after every HTTPS probe leaked the
OpenSSL session it copies (python/cpython#116810, not fixed in 3.11), ~150 KB a round of ten
HTTPS targets, ~55 MB an hour at a check every 10 s. It is OpenSSL's memory, invisible to
tracemalloc, so it is measured as the process's resident memory."""

from __future__ import annotations

import gc
import socket
import ssl
import threading
import time
from pathlib import Path

from tests.integration.conftest import LocalInternet
from tests.support.web_tls import server_context
from traywatch.core.catalogue import TargetSpec
from traywatch.core.models import Verdict
from traywatch.core.net.probe import MAX_REFUSED, Progress, run_probe
from traywatch.core.watch.engine import Engine

WARM_UP = 10  # first rounds fill caches, the TLS session store and the pool's threads
ROUNDS = 60
MAX_GROWTH_KB_PER_ROUND = 40  # measured: ~2 KB a round now, ~150 KB with the leak


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


def test_a_resumed_tls_session_is_kept_not_read_again(net: LocalInternet) -> None:
    """While the server resumes it, the stored session object stays the same one: the leaking
    `SSLSocket.session` getter (which returns a new copy each time) is not read again."""
    with Engine(net.config()) as engine:
        assert engine.run_round().verdict is Verdict.OK
        first = dict(engine._ctx.sessions)
        assert any(key.startswith("www.facebook.com:") for key in first)
        for _ in range(3):
            assert engine.run_round().verdict is Verdict.OK
        kept = engine._ctx.sessions
        assert kept.keys() == first.keys()
        assert all(kept[key] is first[key] for key in first), "a session was read again"


def test_many_healthy_rounds_do_not_grow_the_process(net: LocalInternet) -> None:
    config = net.config()
    https = sum(1 for s in config.catalogue.services for t in s.targets if t.scheme == "https")
    assert https >= 5, "the catalogue must keep enough HTTPS targets for the leak to show"
    with Engine(config) as engine:
        for _ in range(WARM_UP):
            assert engine.run_round().verdict is Verdict.OK
        gc.collect()
        before = rss_kb()
        for _ in range(ROUNDS):
            engine.run_round()
        gc.collect()
        growth = (rss_kb() - before) / ROUNDS
    assert growth < MAX_GROWTH_KB_PER_ROUND, f"{growth:.1f} KB a round over {ROUNDS} rounds"


class NoResumption:
    """A TLS server that never resumes a session: its sessions are stateful (OP_NO_TICKET, kept
    in its cache) and it closes without a TLS shutdown, so OpenSSL drops each from the cache.
    Answers every request with 204 and counts handshakes and resumed ones."""

    def __init__(self, certfile: Path) -> None:
        self._ctx = server_context(certfile)
        self._ctx.options |= ssl.OP_NO_TICKET
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.handshakes = self.resumed = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> NoResumption:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.close()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:  # closed
                return
            try:
                with self._ctx.wrap_socket(conn, server_side=True) as tls:
                    self.handshakes += 1
                    self.resumed += tls.session_reused
                    tls.recv(4096)
                    tls.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            except OSError:
                conn.close()


def test_a_server_refusing_kept_sessions_gets_full_handshakes_and_none_is_read(
    net: LocalInternet,
) -> None:
    with Engine(net.config()) as engine, NoResumption(net.certs.trusted.server_file) as server:
        ctx = engine._ctx
        target = TargetSpec(f"https://www.facebook.com:{server.port}/", expect_status=(204,))
        key = f"www.facebook.com:{server.port}"
        kept = []
        for _ in range(6):
            result = run_probe(target, ctx, time.monotonic() + 3.0, Progress())
            assert result.ok, result.detail
            kept.append(ctx.sessions.get(key))
    assert (server.handshakes, server.resumed) == (6, 0)
    assert ctx.refused[key] == MAX_REFUSED
    # a session read after the first full handshake and after each refusal but the last
    assert all(s is not None for s in kept[:MAX_REFUSED]) and set(kept[MAX_REFUSED:]) == {None}
