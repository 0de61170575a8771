"""When the next round runs and what it checks: one pure scheduler for `watch` and the tray.

No threads and no sleeping in here: every call takes the clocks' readings (`Now`) and returns a
decision. `core/watch/watcher.py` (`traywatch watch`) turns a decision into a wait on an Event, the
tray's worker (`ui/worker.py`) into a single-shot QTimer; both ask this object what to do next.

What it decides:
- the pace: the monitor's next delay after each round (the interval with jitter; the quick
  confirmation re-check while a change is pending);
- the round plan: services backing off are carried (the monitor keeps their back-off), and each
  of them whose failure a connection can disprove (name lookup, connect, TLS) gets one cheap
  canary per round, so Meta's return is seen within an interval, not at the end of the back-off;
- sleep/resume: a wall-clock jump bigger than the interval (at least `MIN_SLEEP_S`) means the
  machine slept: half-seen changes are forgotten and nothing is judged for a grace period, during
  which "check now" requests (a reconnecting network sends them) are ignored;
- "check now": a round at once, unless a round started after the request;
- stop: nothing more once stopped.
Pausing notifications does not change the schedule: checks and history go on meanwhile.
"""

from __future__ import annotations

import enum
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass

from traywatch.core.models import Hint, Layer, ServiceResult, ServiceState
from traywatch.core.watch.monitor import Monitor

log = logging.getLogger(__name__)

RESUME_GRACE_S = 10.0
MIN_SLEEP_S = 30.0  # smaller wall-clock jumps are clock corrections, not sleep
GRACE_ENV = "TRAYWATCH_RESUME_GRACE"  # seconds; tests and demos shorten the grace period
# A canary (lookup + connect + TLS, no HTTP) can only disprove failures at these layers.
CANARY_LAYERS = frozenset({Layer.DNS, Layer.TCP, Layer.TLS})


def resume_grace_s() -> float:
    try:
        return max(0.0, float(os.environ.get(GRACE_ENV, RESUME_GRACE_S)))
    except ValueError:
        return RESUME_GRACE_S


@dataclass(frozen=True)
class Now:
    """One reading of both clocks: the wall clock runs on during suspend, the monotonic one not."""

    wall: float
    mono: float

    @classmethod
    def read(cls) -> Now:
        return cls(time.time(), time.monotonic())


class Action(enum.Enum):
    RUN = "run a round now"
    WAIT = "wait, then ask again (timer_fired)"
    IGNORE = "nothing to do; a wait already running goes on"
    STOP = "stopped: no more rounds"


@dataclass(frozen=True)
class Decision:
    action: Action
    delay_s: float = 0.0  # WAIT: seconds until timer_fired
    slept_s: float | None = None  # set when the machine was found to have slept (a grace begins)


RUN = Decision(Action.RUN)
IGNORE = Decision(Action.IGNORE)
STOP = Decision(Action.STOP)


@dataclass(frozen=True)
class RoundPlan:
    """What the next round checks: services in `skip` keep their carried result, except those in
    `canaries`, which get a canary and, when it gets through, their full check in that round."""

    skip: Mapping[str, ServiceResult]
    canaries: frozenset[str]


class ResumeGuard:
    """Tells a machine that slept from one that merely waited: the wall clock runs on during
    suspend, the monotonic clock does not. After a resume, nothing is judged for a grace period
    (the network is still reconnecting), so the reconnect phase never raises an alert."""

    def __init__(self, grace_s: float | None = None, now: Now | None = None) -> None:
        self.grace_s = resume_grace_s() if grace_s is None else grace_s
        start = now or Now.read()
        self._anchor = start
        self._grace_until = float("-inf")

    def mark(self, now: Now) -> None:
        """Remember 'now' on both clocks (call when a wait begins)."""
        self._anchor = now

    def slept(self, now: Now, interval_s: float) -> float | None:
        """Seconds asleep since mark() when it exceeds the interval, starting the grace period."""
        asleep = (now.wall - self._anchor.wall) - (now.mono - self._anchor.mono)
        if asleep <= max(interval_s, MIN_SLEEP_S):
            return None
        self._grace_until = now.mono + self.grace_s
        return asleep

    def in_grace(self, now: Now) -> bool:
        return now.mono < self._grace_until


def wants_canary(carried: ServiceResult, confirmed: ServiceState | None) -> bool:
    """A service backing off because it is confirmed down at a layer a connection can disprove;
    never one that asked us to wait (Retry-After) or was told off for rate (429)."""
    if confirmed is not ServiceState.DOWN or carried.failed_layer not in CANARY_LAYERS:
        return False
    return not any(p.retry_after_s or Hint.RATE_LIMITED in p.hints for p in carried.probes)


class Scheduler:
    """The decisions of one checking loop; the caller owns the waiting."""

    def __init__(self, monitor: Monitor, grace_s: float | None = None, now: Now | None = None) -> None:
        self.monitor = monitor
        self._guard = ResumeGuard(grace_s, now)
        self.grace_s = self._guard.grace_s
        self._last_round_started = float("-inf")
        self._due: float | None = None  # monotonic time the current wait ends
        self._stopped = False

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self) -> None:
        self._stopped = True

    # -- the round ------------------------------------------------------------------------
    def round_starting(self, now: Now) -> None:
        """A round begins (the wait is over; "check now" requests before this are served)."""
        self._last_round_started = now.mono
        self._due = None

    def plan(self) -> RoundPlan:
        """What the round about to run checks."""
        skip = self.monitor.skip_map()
        confirmed = self.monitor.confirmed_states()
        canaries = frozenset(sid for sid, r in skip.items() if wants_canary(r, confirmed.get(sid)))
        return RoundPlan(skip, canaries)

    def round_finished(self, now: Now) -> Decision:
        """A round ended: wait the monitor's next delay."""
        if self._stopped:
            return STOP
        return self._wait(now, self.monitor.next_delay())

    # -- events between rounds ------------------------------------------------------------
    def timer_fired(self, now: Now) -> Decision:
        """The wait ended: a round, or (the machine slept meanwhile) a grace period first."""
        if self._stopped:
            return STOP
        slept = self._slept(now)
        return slept or RUN

    def check_requested(self, requested_at: float, now: Now) -> Decision:
        """ "Check now" (the menu, a reachability change), asked at monotonic `requested_at`."""
        if self._stopped:
            return STOP
        slept = self._slept(now)
        if slept is not None:
            return slept
        if self._guard.in_grace(now):
            log.info("check request ignored: waiting for the network after sleep")
            return IGNORE
        if requested_at < self._last_round_started:
            log.debug("check request already served by a newer round")
            return IGNORE
        return RUN

    def settings_changed(self, now: Now, engine_rebuilt: bool) -> Decision:
        """New settings between rounds: the next round comes after the new delay at most (at
        once after it when the engine was rebuilt); IGNORE when the current wait is shorter."""
        if self._stopped:
            return STOP
        delay = self.monitor.next_delay()
        if self._due is None:
            return IGNORE  # a round is running: it schedules the next with the new settings
        if engine_rebuilt or self._due - now.mono > delay:
            return self._wait(now, delay)
        return IGNORE

    def remaining_s(self, now: Now) -> float:
        """Seconds left of the current wait (0 when none)."""
        return 0.0 if self._due is None else max(0.0, self._due - now.mono)

    # -- internals ------------------------------------------------------------------------
    def _wait(self, now: Now, delay_s: float, slept_s: float | None = None) -> Decision:
        self._guard.mark(now)
        self._due = now.mono + delay_s
        return Decision(Action.WAIT, delay_s, slept_s)

    def _slept(self, now: Now) -> Decision | None:
        asleep = self._guard.slept(now, self.monitor.settings.interval_s)
        if asleep is None:
            return None
        log.info("resumed after about %.0f s asleep; %.0f s grace before judging", asleep, self.grace_s)
        self.monitor.suspend_confirmation()
        return self._wait(now, self.grace_s, asleep)
