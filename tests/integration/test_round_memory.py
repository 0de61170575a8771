"""Memory over many real rounds against local DNS and HTTPS servers: a long healthy run must not
grow. The growth that was found: reading `SSLSocket.session` after every HTTPS probe leaked the
OpenSSL session it copies (python/cpython#116810, not fixed in 3.11), ~150 KB a round of ten
HTTPS targets, ~55 MB an hour at a check every 10 s. It is OpenSSL's memory, invisible to
tracemalloc, so it is measured as the process's resident memory."""

from __future__ import annotations

import gc
from pathlib import Path

from tests.integration.conftest import LocalInternet
from traywatch.core.engine import Engine
from traywatch.core.models import Verdict

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
