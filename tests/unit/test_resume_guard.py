"""Sleep/resume: a wall-clock jump beyond the interval is sleep; a grace period follows."""

from __future__ import annotations

from traywatch.core.watch.scheduler import MIN_SLEEP_S, Now, ResumeGuard


class Clocks:
    def __init__(self) -> None:
        self.wall = 1_000_000.0
        self.mono = 50.0

    def wait(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds

    def sleep_machine(self, seconds: float) -> None:
        self.wall += seconds  # the monotonic clock stands still during suspend

    def now(self) -> Now:
        return Now(self.wall, self.mono)


class Guard:
    """The pure ResumeGuard read against the fake clocks at each call."""

    def __init__(self, clocks: Clocks, grace_s: float) -> None:
        self.clocks = clocks
        self.inner = ResumeGuard(grace_s, clocks.now())

    def mark(self) -> None:
        self.inner.mark(self.clocks.now())

    def slept(self, interval_s: float) -> float | None:
        return self.inner.slept(self.clocks.now(), interval_s)

    def in_grace(self) -> bool:
        return self.inner.in_grace(self.clocks.now())


def guard(clocks: Clocks, grace_s: float = 10.0) -> Guard:
    return Guard(clocks, grace_s)


def test_an_ordinary_wait_is_not_sleep() -> None:
    clocks = Clocks()
    g = guard(clocks)
    g.mark()
    clocks.wait(60)
    assert g.slept(60) is None
    assert not g.in_grace()


def test_a_wall_clock_jump_beyond_the_interval_is_sleep_and_starts_the_grace_period() -> None:
    clocks = Clocks()
    g = guard(clocks)
    g.mark()
    clocks.wait(5)
    clocks.sleep_machine(3600)
    assert g.slept(60) == 3600
    assert g.in_grace()
    clocks.wait(9)
    assert g.in_grace()
    clocks.wait(2)
    assert not g.in_grace()


def test_small_clock_corrections_are_not_sleep_even_with_a_short_interval() -> None:
    clocks = Clocks()
    g = guard(clocks)
    g.mark()
    clocks.sleep_machine(MIN_SLEEP_S - 1)  # e.g. NTP stepping the clock
    assert g.slept(2) is None


def test_the_clock_going_backwards_is_not_sleep() -> None:
    clocks = Clocks()
    g = guard(clocks)
    g.mark()
    clocks.wall -= 7200
    assert g.slept(60) is None
