"""One Meta service's state from its probes this round: up, slow, partly failing or down.

Two failures are facts about this address or network, not about Meta, and become a note beside
the state instead of trouble: an HTTP 429 (Meta limiting requests from this address — shared,
office, datacenter and VPN addresses meet it while the service works for everyone else), and an
app port the network blocks while the service's web front answers (hotel and office Wi-Fi block
WhatsApp's chat port 5222; the app falls back to 443). A 429 counts as trouble again when most
of the other Meta services fail too: then Meta is turning everyone away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from traywatch.core.models import Hint, Layer, ProbeResult, ServiceResult, ServiceState
from traywatch.core.verdict import wording
from traywatch.i18n import Decimal, Message, Template

_TROUBLE = (ServiceState.DOWN, ServiceState.DEGRADED)
PARTLY_FAILING = Template("service.partly_failing", "partly failing: {detail}")
SLOW = Template("service.slow", "slow: {seconds} s to answer")


@dataclass(frozen=True)
class ServiceProbes:
    """A service's probes this round, or its carried-over result when it was not re-checked.
    `fallback_ports`: target URL -> the port its app falls back to when that one is blocked."""

    id: str
    name: str
    probes: tuple[ProbeResult, ...] = ()
    carried: ServiceResult | None = None
    fallback_ports: Mapping[str, int] = field(default_factory=dict)


def rate_limited_only(result: ServiceResult) -> bool:
    """The service is up but a 429 kept (part of) it from answering: a note, not trouble."""
    return result.state is ServiceState.UP and any(p.has(Hint.RATE_LIMITED) for p in result.probes)


def judge_service(s: ServiceProbes, slow_ms: float) -> ServiceResult:
    if s.carried is not None:
        return s.carried
    ok = [p for p in s.probes if p.ok]
    failed = [p for p in s.probes if not p.ok]
    limited = [p for p in failed if p.has(Hint.RATE_LIMITED)]
    fronts = [p for p in s.probes if p.target not in s.fallback_ports]
    front_answers = any(p.ok or p.has(Hint.RATE_LIMITED) for p in fronts)
    blocked = [p for p in failed if front_answers and _port_blocked(p, s.fallback_ports)]
    notes = ([wording.rate_limited_note(s.name)] if limited else []) + [
        wording.port_blocked_note(s.name, p, s.fallback_ports[p.target]) for p in blocked
    ]
    note: str = wording.semicolons(notes) if notes else ""
    real = [p for p in failed if p not in limited and p not in blocked]
    slowest = max((p.latency_ms or 0.0 for p in ok), default=None)
    if real:
        first = real[0]
        if ok or limited or blocked:
            detail = PARTLY_FAILING(detail=first.detail)
            return _result(s, ServiceState.DEGRADED, first.failed_layer, slowest, detail, note)
        return _result(s, ServiceState.DOWN, first.failed_layer, None, first.detail, note)
    if slowest is not None and slowest > slow_ms:
        detail = _with_note(SLOW(seconds=Decimal(slowest / 1000, 1)), note)
        return _result(s, ServiceState.DEGRADED, None, slowest, detail, note)
    if ok:
        detail = _with_note(wording.answers_normally(ok), note)
        return _result(s, ServiceState.UP, None, slowest, detail, note)
    return _result(s, ServiceState.UP, None, None, wording.rate_limited_detail(note), note)


def _result(
    s: ServiceProbes, state: ServiceState, layer: Layer | None, latency: float | None, detail: str, note: str
) -> ServiceResult:
    return ServiceResult(s.id, s.name, state, layer, latency, detail, s.probes, note=note)


def _with_note(detail: str, note: str) -> Message:
    return wording.semicolons([detail, note])


def _port_blocked(p: ProbeResult, fallback_ports: Mapping[str, int]) -> bool:
    """A connect to an app port with a fallback failed at the connection itself (refused,
    unreachable or silently dropped): a name lookup failing is not the network's port block."""
    return (
        p.target in fallback_ports
        and urlsplit(p.target).scheme == "tcp"
        and p.failed_layer is Layer.TCP
        and not p.has(Hint.BLOCKED_ADDRESS)
    )


def meta_turning_away(results: Sequence[ServiceResult]) -> tuple[ServiceResult, ...]:
    """A 429 is about this address unless most of the other Meta services fail too: then it is
    Meta turning requests away, and the service counts as trouble (degraded, not down)."""
    out = []
    for result in results:
        if rate_limited_only(result):
            others = [r for r in results if r is not result and r.state is not ServiceState.UNKNOWN]
            failing = [r for r in others if r.state in _TROUBLE]
            if failing and len(failing) * 2 > len(others):
                limited = next(p for p in result.probes if p.has(Hint.RATE_LIMITED))
                result = replace(
                    result,
                    state=ServiceState.DEGRADED,
                    failed_layer=limited.failed_layer,
                    detail=wording.turning_away(limited),
                    note="",
                )
        out.append(result)
    return tuple(out)
