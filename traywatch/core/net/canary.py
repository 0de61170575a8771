"""The canary: one cheap look at a service that is backing off, to see its return within a round.

A canary is a name lookup plus a TCP connect and, for https, the TLS handshake (a resumed session
when we have one): no HTTP request, no body, a few hundred bytes. It is made only for services
confirmed down at one of those layers (the scheduler decides), and when it gets through, the
service's full check runs at once in the same round; the monitor then confirms the return as usual.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from traywatch.core.catalogue import ServiceSpec, TargetSpec
from traywatch.core.models import Layer, ProbeResult, ServiceResult
from traywatch.core.net.probe import ProbeContext, ProbeFailure, Progress, open_connection, run_probe

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CanaryResult:
    target: str
    ok: bool
    failed_layer: Layer | None = None
    detail: str = ""


def canary_target(spec: ServiceSpec, carried: ServiceResult) -> TargetSpec:
    """The target whose failure put the service down (the first failed probe), else its first."""
    failed = [p.target for p in carried.probes if not p.ok]
    for target in spec.targets:
        if target.url in failed:
            return target
    return spec.targets[0]


def run_canary(target: TargetSpec, ctx: ProbeContext, deadline: float) -> CanaryResult:
    """Look up, connect, shake hands; never raises for network trouble."""
    try:
        sock = open_connection(target, ctx, deadline, Progress())
    except ProbeFailure as failure:
        return CanaryResult(target.url, False, failure.layer, failure.detail)
    except OSError as exc:  # anything the layered steps did not name
        return CanaryResult(target.url, False, None, str(exc))
    sock.close()
    return CanaryResult(target.url, True)


def canary_then_check(
    spec: ServiceSpec, carried: ServiceResult, ctx: ProbeContext, deadline: float
) -> tuple[ProbeResult, ...] | None:
    """The canary, and when it gets through the service's full check (its probes' results);
    None while the canary still fails (the carried result stands)."""
    canary = run_canary(canary_target(spec, carried), ctx, deadline)
    if not canary.ok:
        log.debug("canary for %s still fails at %s: %s", spec.id, canary.failed_layer, canary.detail)
        return None
    log.info("canary for %s got through: full check now", spec.id)
    return tuple(run_probe(target, ctx, deadline, Progress()) for target in spec.targets)
