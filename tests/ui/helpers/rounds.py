"""Build the core's frozen objects for UI tests: rounds per verdict, and real monitor updates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from traywatch.core.models import (
    Hint,
    InternetState,
    InternetStatus,
    Layer,
    MonitorSnapshot,
    ProbeResult,
    RoundResult,
    ServiceResult,
    ServiceState,
    Verdict,
)
from traywatch.core.settings.config import CheckSettings
from traywatch.core.watch.monitor import Monitor, MonitorUpdate

SERVICES = (
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("whatsapp", "WhatsApp"),
    ("messenger", "Messenger"),
)
T0 = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
SUMMARIES = {
    Verdict.OK: "Everything works: your internet and Meta's services answer normally.",
    Verdict.META_PARTIAL: "Facebook is down (its name no longer resolves) while your internet works.",
    Verdict.META_DOWN: "Meta is down: Facebook, Instagram, WhatsApp and Messenger do not answer.",
    Verdict.INTERNET_DOWN: "Your internet is down: neither Meta nor Google can be reached. This is not Meta.",
    Verdict.NETWORK_LIMITED: "Your network wants you to sign in first. Open a browser and sign in.",
}
_DEFAULT_STATES = {
    Verdict.OK: {},
    Verdict.META_PARTIAL: {"facebook": ServiceState.DOWN},
    Verdict.META_DOWN: {sid: ServiceState.DOWN for sid, _ in SERVICES},
    Verdict.INTERNET_DOWN: {sid: ServiceState.UNKNOWN for sid, _ in SERVICES},
    Verdict.NETWORK_LIMITED: {sid: ServiceState.UNKNOWN for sid, _ in SERVICES},
}


def service(sid: str, name: str, state: ServiceState, checked: bool = True) -> ServiceResult:
    if state is ServiceState.DOWN:
        probe = ProbeResult(
            f"https://{sid}.example/",
            False,
            Layer.DNS,
            None,
            "SERVFAIL",
            hints=frozenset({Hint.DNS_SERVFAIL}),
        )
        return ServiceResult(sid, name, state, Layer.DNS, None, "name lookup: SERVFAIL", (probe,), checked)
    if state is ServiceState.UNKNOWN:
        return ServiceResult(sid, name, state, None, None, "not judged", (), checked)
    latency = 4200.0 if state is ServiceState.DEGRADED else 120.0
    return ServiceResult(sid, name, state, None, latency, "answers normally", (), checked)


def make_round(
    verdict: Verdict,
    states: Mapping[str, ServiceState] | None = None,
    at: datetime = T0,
    unchecked: Iterable[str] = (),
) -> RoundResult:
    wanted = {**_DEFAULT_STATES[verdict], **(states or {})}
    skipped = set(unchecked)
    services = tuple(
        service(sid, name, wanted.get(sid, ServiceState.UP), sid not in skipped) for sid, name in SERVICES
    )
    internet = {
        Verdict.INTERNET_DOWN: InternetState.DOWN,
        Verdict.NETWORK_LIMITED: InternetState.LIMITED,
    }.get(verdict, InternetState.UP)
    return RoundResult(verdict, SUMMARIES[verdict], InternetStatus(internet, ""), services, (), at, 50.0)


def snapshot(verdict: Verdict, pending: bool = False, **states: ServiceState) -> MonitorSnapshot:
    rnd = make_round(verdict, states)
    confirmed = {s.id: s.state for s in rnd.services if s.state is not ServiceState.UNKNOWN}
    return MonitorSnapshot(verdict, rnd.summary, rnd, confirmed, pending)


class Feed:
    """A real Monitor fed with synthetic rounds, one minute apart."""

    def __init__(self) -> None:
        self.monitor = Monitor(CheckSettings(interval_s=60, confirm_delay_s=5))
        self.at = T0

    def round(self, verdict: Verdict, **kw: object) -> MonitorUpdate:
        self.at += timedelta(minutes=1)
        return self.monitor.observe(make_round(verdict, at=self.at, **kw))  # type: ignore[arg-type]

    def confirm(self, verdict: Verdict, **kw: object) -> list[MonitorUpdate]:
        return [self.round(verdict, **kw), self.round(verdict, **kw)]
