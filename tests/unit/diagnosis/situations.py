"""A situation the diagnosis must judge: the probe results, the verdict and states expected,
and the words its summary must hold; shared by the diagnosis test files."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.unit.factories import fail, service_ids
from traywatch.core.models import (
    Hint,
    InternetState,
    Layer,
    OsHint,
    ProbeResult,
    ReferenceResult,
    ServiceState,
    Verdict,
)
from traywatch.core.verdict.diagnosis import ServiceProbes, diagnose

UP, DEGRADED, DOWN, UNKNOWN = ServiceState.UP, ServiceState.DEGRADED, ServiceState.DOWN, ServiceState.UNKNOWN
SLOW_MS = 3000.0


def states(default: ServiceState, **overrides: ServiceState) -> dict[str, ServiceState]:
    return {sid: overrides.get(sid, default) for sid in service_ids()}


@dataclass(frozen=True)
class Case:
    name: str
    refs: tuple[ReferenceResult, ...]
    svcs: tuple[ServiceProbes, ...]
    verdict: Verdict
    internet: InternetState
    states: Mapping[str, ServiceState]
    words: tuple[str, ...] = ()
    os_hint: OsHint = OsHint.UNKNOWN
    slow_ms: float = SLOW_MS
    internet_words: tuple[str, ...] = field(default=())


def garbage(url: str) -> ProbeResult:
    return fail(url, Layer.CONTENT, Hint.GARBAGE, status=200, detail="not Meta's usual JSON error")


def each_case(cases: Sequence[Case]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Parametrize a test over `cases`, each named after its situation."""
    return pytest.mark.parametrize("case", cases, ids=[c.name for c in cases])


def check_situation(case: Case) -> None:
    """The diagnosis of `case` has the verdict, states and words the case expects."""
    d = diagnose(case.refs, case.svcs, case.slow_ms, case.os_hint)

    assert d.verdict is case.verdict, d.summary
    assert d.internet.state is case.internet
    assert {s.id: s.state for s in d.services} == dict(case.states), d.summary
    assert [s.id for s in d.services] == list(service_ids())  # catalogue order kept
    for word in case.words:
        assert word in d.summary
    for word in case.internet_words:
        assert word in d.internet.detail
    assert d.summary.endswith(".")
