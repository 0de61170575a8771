"""Meta is never blamed when our internet is down: thousands of random worlds, judged by
rules independent of the code under test."""

from __future__ import annotations

import random

from tests.unit.diagnosis.situations import DEGRADED, DOWN, SLOW_MS, UP, garbage
from tests.unit.factories import (
    Maker,
    blocked,
    dns_no_answer,
    dns_servfail,
    ok,
    portal,
    rate_limited,
    references,
    server_error,
    service_ids,
    service_result,
    services,
    slow,
    tcp_timeout,
    tcp_unreachable,
    tls_clock,
    tls_timeout,
    tls_untrusted,
)
from traywatch.core.models import Hint, InternetState, OsHint, ProbeResult, ReferenceResult, Verdict
from traywatch.core.verdict.diagnosis import ServiceProbes, diagnose

# -- "Meta is never blamed when our internet is down" ---------------------------------------------
_REF_OUTCOMES: list[Maker] = [
    ok,
    ok,
    ok,
    dns_no_answer,
    dns_servfail,
    tcp_timeout,
    tcp_unreachable,
    tls_untrusted,
    tls_clock,
    tls_timeout,
    portal,
    blocked("10.1.2.3"),
]
_META_OUTCOMES: list[Maker] = [
    ok,
    slow(9000),
    dns_servfail,
    dns_no_answer,
    tcp_timeout,
    tcp_unreachable,
    tls_untrusted,
    tls_clock,
    tls_timeout,
    server_error,
    rate_limited(60),
    portal,
    blocked("0.0.0.0"),
    garbage,
]


def _answered(p: ProbeResult) -> bool:
    """Independent of the code under test: a peer sent a real HTTP answer (not a sign-in page)."""
    return p.ok or (p.status is not None and not p.has(Hint.PORTAL))


def _random_world(
    rng: random.Random,
) -> tuple[tuple[ReferenceResult, ...], tuple[ServiceProbes, ...], OsHint]:
    ref_default = rng.choice(_REF_OUTCOMES)
    ref_overrides = {
        rid: rng.choice(_REF_OUTCOMES)
        for rid in rng.sample(
            ["google", "cloudflare", "microsoft", "apple", "google_tls", "cloudflare_tls"], 2
        )
    }
    svc_default = rng.choice(_META_OUTCOMES)
    svc_overrides: dict[str, object] = {}
    for sid in rng.sample(list(service_ids()), rng.randint(0, 4)):
        if rng.random() < 0.2:
            svc_overrides[sid] = service_result(sid, rng.choice([UP, DEGRADED, DOWN]), checked=False)
        else:
            svc_overrides[sid] = rng.choice(_META_OUTCOMES)
    refs = references(ref_default, **ref_overrides)
    svcs = services(svc_default, **svc_overrides)  # type: ignore[arg-type]
    return refs, svcs, rng.choice(list(OsHint))


def test_meta_is_never_blamed_when_our_internet_is_down() -> None:
    rng = random.Random(20211004)
    seen: set[Verdict] = set()
    for _ in range(4000):
        refs, svcs, os_hint = _random_world(rng)
        d = diagnose(refs, svcs, SLOW_MS, os_hint)
        seen.add(d.verdict)
        world = f"refs={[(r.id, r.probe.detail) for r in refs]} services={svcs} os={os_hint}"
        down = [s for s in d.services if s.state is DOWN]

        if d.verdict in (Verdict.INTERNET_DOWN, Verdict.NETWORK_LIMITED):
            assert not down, f"{d.verdict}: {[s.id for s in down]} blamed\n{world}"
        if down:
            someone_answered = any(r.probe.ok for r in refs) or any(
                _answered(p) for s in svcs for p in s.probes
            )
            assert someone_answered, world

        expected_internet = {
            Verdict.INTERNET_DOWN: InternetState.DOWN,
            Verdict.NETWORK_LIMITED: InternetState.LIMITED,
        }.get(d.verdict, InternetState.UP)
        assert d.internet.state is expected_internet
        assert [s.id for s in d.services] == [s.id for s in svcs]
        if d.verdict is Verdict.OK:
            assert all(s.state is UP for s in d.services), world
        if d.verdict is Verdict.META_DOWN:
            assert len(down) * 2 > len(d.services), world
        assert d.summary
    assert seen == set(Verdict)  # the random worlds really covered every verdict
