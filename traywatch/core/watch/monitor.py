"""The monitor: a state machine over rounds that confirms changes and turns them into alerts.

A change counts only when a quick re-check agrees (`confirm_rounds` rounds in a row). Alerts are
grouped (one per kind of change, never one per service), say nothing about Meta while our own
internet is down, and recoveries carry the outage's duration. Services confirmed down are probed
less often (exponential backoff with jitter, capped; Retry-After respected up to the cap, once the
state is confirmed) while the references keep their pace, so a million installs never become a
retry storm; so are services answering 429 (Meta limiting this address), whatever state they are
shown in.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from traywatch.core.models import (
    Alert,
    AlertKind,
    Hint,
    MonitorSnapshot,
    RoundResult,
    ServiceResult,
    ServiceState,
    Verdict,
)
from traywatch.core.settings.config import CheckSettings
from traywatch.core.verdict import wording
from traywatch.i18n import Duration, Template, join, names

INTERNET_DOWN = Template("alert.internet_down", "Your internet is down")
NETWORK_LIMITED = Template("alert.network_limited", "Your network is limiting the internet")
INTERNET_BACK = Template("alert.internet_back", "Your internet is back")
NETWORK_BACK = Template("alert.network_back", "Your network is back to normal")
OUT_FOR = Template("alert.out_for", "It was out for {duration}.")
META_DOWN = Template("alert.meta_down", "Meta is down: {names}")
SERVICES_DOWN = Template("alert.services_down", "{names} is down", "{names} are down", count="n")
SERVICES_BACK = Template("alert.services_back", "{names} is back", "{names} are back", count="n")
WORKING_AGAIN = Template("alert.working_again", "Working again after {duration} down.")
BLIND_FOR = Template(
    "alert.blind_for",
    "Your own internet was out for {duration} of that time, so it may have come back sooner.",
)
CHECKING = Template("verdict.checking", "Checking…")

log = logging.getLogger(__name__)

INTERNET = "internet"  # element id of our own connection
_NET_OK, _NET_DOWN, _NET_LIMITED = "ok", "down", "limited"
_DUE_WITHIN_S = 1.0  # a back-off ending this soon is over for the round about to run


@dataclass
class _Element:
    confirmed: str | None = None
    since: datetime | None = None
    pending: str | None = None
    pending_since: datetime | None = None
    pending_count: int = 0


@dataclass(frozen=True)
class Transition:
    """A confirmed change of one element (the internet or a service)."""

    element: str
    old: str | None
    new: str
    at: datetime  # when the new state was first seen (not when it was confirmed)
    old_since: datetime | None


@dataclass(frozen=True)
class MonitorUpdate:
    alerts: tuple[Alert, ...]
    transitions: tuple[Transition, ...]
    snapshot: MonitorSnapshot


@dataclass
class _Backoff:
    delay_s: float
    next_at: float  # monotonic


def _internet_of(verdict: Verdict) -> str:
    if verdict is Verdict.INTERNET_DOWN:
        return _NET_DOWN
    if verdict is Verdict.NETWORK_LIMITED:
        return _NET_LIMITED
    return _NET_OK


def verdict_of(states: dict[str, ServiceState]) -> Verdict:
    """The Meta verdict for a set of service states (the same rule the diagnosis uses)."""
    down = sum(1 for s in states.values() if s is ServiceState.DOWN)
    troubled = sum(1 for s in states.values() if s in (ServiceState.DOWN, ServiceState.DEGRADED))
    if down and down * 2 > len(states):
        return Verdict.META_DOWN
    return Verdict.META_PARTIAL if troubled else Verdict.OK


@dataclass
class Monitor:
    settings: CheckSettings
    confirm_rounds: int = 2
    rng: random.Random = field(default_factory=random.Random)
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._internet = _Element()
        self._services: dict[str, _Element] = {}
        self._names: dict[str, str] = {}
        self._last: dict[str, ServiceResult] = {}
        self._backoff: dict[str, _Backoff] = {}
        self._agreeing_round: RoundResult | None = None
        self._pending = False
        self._started = False
        # confirmed spells of our own internet down or limited: (start, end or None while on)
        self._net_out: list[tuple[datetime, datetime | None]] = []

    # -- what the runner asks between rounds -------------------------------------------------
    def next_delay(self) -> float:
        """Seconds until the next round: a quick re-check while a change awaits confirmation."""
        if self._pending:  # never slower than the normal pace (`watch --interval 2`)
            return min(self.settings.confirm_delay_s, self.settings.interval_s)
        return self._jittered(self.settings.interval_s)

    def skip_map(self) -> dict[str, ServiceResult]:
        """Services to leave out of the next round (backing off), with their carried results."""
        now = self.clock()
        carried = {}
        for sid, backoff in self._backoff.items():
            # due within a second: this round serves it (else it waits a whole round more,
            # its countdown reading "0 s")
            if backoff.next_at - now >= _DUE_WITHIN_S and sid in self._last:
                # the countdown is for the menus; the wording keeps it out of the summary
                detail = wording.with_recheck(self._last[sid].detail, backoff.next_at - now)
                carried[sid] = replace(self._last[sid], checked=False, detail=detail)
        return carried

    def forget(self, service_ids: Collection[str]) -> None:
        """Services no longer watched leave the confirmed states (and so the verdict)."""
        for sid in service_ids:
            for table in (self._services, self._last, self._backoff, self._names):
                table.pop(sid, None)

    def suspend_confirmation(self) -> None:
        """Forget unconfirmed changes (after sleep/resume: the reconnect phase proves nothing)."""
        for element in (self._internet, *self._services.values()):
            element.pending, element.pending_since, element.pending_count = None, None, 0
        self._pending = False

    # -- the state machine ---------------------------------------------------------------------
    def observe(self, rnd: RoundResult) -> MonitorUpdate:
        transitions: list[Transition] = []
        first_confirmation = self._internet.confirmed is None
        net = self._step(INTERNET, self._internet, _internet_of(rnd.verdict), rnd.checked_at)
        if net:
            transitions.append(net)
            self._note_net_out(net)

        # Services are judged only in rounds where our own internet works; otherwise any
        # half-seen service change is forgotten (it was not seen twice in a row).
        if _internet_of(rnd.verdict) == _NET_OK:
            for svc in rnd.services:
                self._names[svc.id] = svc.name
                if not svc.checked:
                    continue
                self._last[svc.id] = svc
                element = self._services.setdefault(svc.id, _Element())
                if svc.state is ServiceState.UNKNOWN:
                    continue
                change = self._step(svc.id, element, svc.state.value, rnd.checked_at)
                if change:
                    transitions.append(change)
            self._update_backoff(rnd)
        else:
            for element in self._services.values():
                element.pending, element.pending_since, element.pending_count = None, None, 0

        self._pending = self._internet.pending is not None or any(
            e.pending is not None and not self._backing_off(sid) for sid, e in self._services.items()
        )
        confirmed = self.confirmed_states()
        verdict = self.confirmed_verdict()
        if verdict is rnd.verdict and not self._pending:
            self._agreeing_round = rnd
        summary = (self._agreeing_round or rnd).summary if verdict is not None else CHECKING()
        alerts = self._alerts(transitions, rnd, startup=first_confirmation)
        snapshot = MonitorSnapshot(
            verdict=verdict or rnd.verdict,
            summary=summary,
            round=rnd,
            confirmed_states=confirmed,
            pending=self._pending or verdict is None,
        )
        return MonitorUpdate(tuple(alerts), tuple(transitions), snapshot)

    def confirmed_states(self) -> dict[str, ServiceState]:
        return {
            sid: ServiceState(e.confirmed) for sid, e in self._services.items() if e.confirmed is not None
        }

    def confirmed_verdict(self) -> Verdict | None:
        net = self._internet.confirmed
        if net is None:
            return None
        if net == _NET_DOWN:
            return Verdict.INTERNET_DOWN
        if net == _NET_LIMITED:
            return Verdict.NETWORK_LIMITED
        return verdict_of(self.confirmed_states())

    def _step(self, key: str, element: _Element, observed: str, at: datetime) -> Transition | None:
        if observed == element.confirmed:
            element.pending, element.pending_since, element.pending_count = None, None, 0
            return None
        if observed == element.pending:
            element.pending_count += 1
        else:
            element.pending, element.pending_since, element.pending_count = observed, at, 1
        if element.pending_count < self.confirm_rounds:
            return None
        change = Transition(key, element.confirmed, observed, element.pending_since or at, element.since)
        element.confirmed, element.since = observed, element.pending_since
        element.pending, element.pending_since, element.pending_count = None, None, 0
        return change

    def _note_net_out(self, change: Transition) -> None:
        """Remember when our own connection was out (recoveries say how much of an outage that
        hid); spells older than a week are dropped."""
        if change.new != _NET_OK and change.old in (_NET_OK, None):
            self._net_out.append((change.at, None))
        elif change.new == _NET_OK and self._net_out and self._net_out[-1][1] is None:
            self._net_out[-1] = (self._net_out[-1][0], change.at)
        horizon = change.at - timedelta(days=7)
        self._net_out = [s for s in self._net_out if s[1] is None or s[1] > horizon]

    def _net_out_within(self, start: datetime | None, end: datetime) -> float:
        """Seconds of [start, end] during which our own connection was out."""
        if start is None:
            return 0.0
        return sum(_overlap(start, end, spell) for spell in self._net_out)

    def _update_backoff(self, rnd: RoundResult) -> None:
        """Space out the full checks of services confirmed down or answering 429. A server's
        Retry-After is honoured up to the back-off cap, so no service goes unlooked-at longer than
        the cap (a real outage behind a long 429 is seen, and a return too). A change awaiting
        confirmation gets its quick re-check whatever a 503's Retry-After asks (an outage
        answering `Retry-After: 3600` must still be confirmed and alerted); only a 429, which is
        about this address, is slowed down before confirmation too."""
        now = self.clock()
        cap = self.settings.backoff_cap_s
        # One jitter draw per round, not per service: services that went down together are
        # re-checked together, so their recovery is confirmed in the same round (one alert).
        jitter = self._jittered(1.0)
        for svc in rnd.services:
            if not svc.checked:
                continue
            element = self._services.get(svc.id)
            retry_after = min(max((p.retry_after_s or 0.0 for p in svc.probes), default=0.0), cap)
            confirmed_down = element is not None and element.confirmed == ServiceState.DOWN.value
            # Asked to slow down (429): Meta limits this address, so our own checks of it are
            # spaced out too (doubling, capped, Retry-After respected), never kept at full pace.
            rate_limited = any(p.has(Hint.RATE_LIMITED) for p in svc.probes)
            if element is not None and element.pending is not None and not rate_limited:
                self._backoff.pop(svc.id, None)  # a change to confirm: re-checked at once
            elif (confirmed_down and svc.state is ServiceState.DOWN) or rate_limited:
                previous = self._backoff.get(svc.id)
                delay = self.settings.interval_s if previous is None else previous.delay_s * 2
                delay = min(delay, cap)
                wait = max(delay * jitter, retry_after)
                self._backoff[svc.id] = _Backoff(delay, now + wait)
                log.info("%s is still down: next full check in %.0f s", svc.id, wait)
            elif retry_after > 0:
                self._backoff[svc.id] = _Backoff(retry_after, now + retry_after)
            else:
                self._backoff.pop(svc.id, None)

    def _backing_off(self, sid: str) -> bool:
        """Left out of the next round: no quick confirmation re-check would see it anyway."""
        backoff = self._backoff.get(sid)
        return backoff is not None and backoff.next_at - self.clock() >= _DUE_WITHIN_S

    def _jittered(self, seconds: float) -> float:
        spread = self.settings.jitter * seconds
        return max(0.0, seconds + self.rng.uniform(-spread, spread))

    # -- alerts --------------------------------------------------------------------------------
    def _alerts(self, transitions: list[Transition], rnd: RoundResult, startup: bool) -> list[Alert]:
        alerts: list[Alert] = []
        at = rnd.checked_at
        for t in transitions:
            if t.element != INTERNET:
                continue
            if t.new == _NET_DOWN:
                alerts.append(
                    Alert(AlertKind.INTERNET_DOWN, INTERNET_DOWN(), rnd.summary, (), at, startup=startup)
                )
            elif t.new == _NET_LIMITED:
                alerts.append(
                    Alert(
                        AlertKind.NETWORK_LIMITED,
                        NETWORK_LIMITED(),
                        rnd.summary,
                        (),
                        at,
                        startup=startup,
                    )
                )
            elif t.old in (_NET_DOWN, _NET_LIMITED):
                gone = _seconds(t.at, t.old_since)
                kind = AlertKind.INTERNET_RESTORED if t.old == _NET_DOWN else AlertKind.NETWORK_RESTORED
                title = INTERNET_BACK() if t.old == _NET_DOWN else NETWORK_BACK()
                alerts.append(Alert(kind, title, OUT_FOR(duration=Duration(gone)), (), at, gone))

        if self._internet.confirmed != _NET_OK:
            return alerts  # never a word about Meta while our own connection is at fault
        services = [t for t in transitions if t.element != INTERNET]
        newly_down = [t.element for t in services if t.new == ServiceState.DOWN.value]
        recovered = [t for t in services if t.old == ServiceState.DOWN.value]
        shown = self._names
        if newly_down:
            all_down = [sid for sid, s in self.confirmed_states().items() if s is ServiceState.DOWN]
            if self.confirmed_verdict() is Verdict.META_DOWN:
                kind, title = (
                    AlertKind.META_DOWN,
                    META_DOWN(names=names(shown[s] for s in all_down)),
                )
            else:
                kind, title = (
                    AlertKind.META_PARTIAL,
                    SERVICES_DOWN(names=names(shown[s] for s in newly_down), n=len(newly_down)),
                )
            message = rnd.summary
            alerts.append(Alert(kind, title, message, tuple(newly_down), at, startup=startup))
        if recovered:
            longest = max(_seconds(t.at, t.old_since) for t in recovered)
            blind = max(self._net_out_within(t.old_since, t.at) for t in recovered)
            ids = tuple(t.element for t in recovered)
            title = SERVICES_BACK(names=names(shown[s] for s in ids), n=len(ids))
            message = WORKING_AGAIN(duration=Duration(longest))
            if blind >= 60:  # we could not see Meta meanwhile: it may have come back sooner
                message = join(message, BLIND_FOR(duration=Duration(blind)))
            alerts.append(Alert(AlertKind.META_RECOVERED, title, message, ids, at, longest))
        return alerts


def _overlap(start: datetime, end: datetime, spell: tuple[datetime, datetime | None]) -> float:
    spell_end = spell[1] or end
    return max(0.0, (min(end, spell_end) - max(start, spell[0])).total_seconds())


def _seconds(end: datetime, start: datetime | None) -> float:
    """Elapsed seconds, never negative (the wall clock may have gone backwards)."""
    if start is None:
        return 0.0
    return max(0.0, (end - start).total_seconds())
