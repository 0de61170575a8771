"""Checks run off the GUI thread: the desktop keeps turning while probes time out; sleep/resume."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QThread, QTimer
from pytestqt.qtbot import QtBot

from tests.support.dns_server import LocalDNSServer
from tests.ui.helpers.rounds import Feed, make_round
from traywatch.core.models import Verdict
from traywatch.core.settings.config import load_config
from traywatch.core.watch.engine import Engine
from traywatch.core.watch.monitor import Monitor, MonitorUpdate
from traywatch.core.watch.scheduler import Now, Scheduler
from traywatch.core.watch.watcher import Watcher
from traywatch.ui.worker import CheckService, CheckWorker


def test_event_loop_keeps_turning_during_a_round_whose_probes_all_time_out(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with LocalDNSServer({}, default="timeout") as dns:  # every name lookup hangs until the deadline
        host, port = dns.address[:2]
        config_file = tmp_path / "config.toml"
        config_file.write_text(f'[check]\ntimeout = 2\n[network]\nnameservers = ["{host}:{port}"]\n')
        config = load_config(config_file).with_interval(3600)
        watcher = Watcher(Engine(config), Monitor(config.check))
        service = CheckService(watcher)
        gaps: list[float] = []
        clock = QElapsedTimer()
        ticker = QTimer()
        ticker.setInterval(10)

        def tick() -> None:
            gaps.append(clock.restart())

        ticker.timeout.connect(tick)
        try:
            with qtbot.waitSignal(service.updated, timeout=10_000) as blocker:
                clock.start()
                ticker.start()
                started = time.monotonic()
                service.start()
            elapsed = time.monotonic() - started
        finally:
            ticker.stop()
            assert service.stop(wait_s=5)
    update = blocker.args[0]
    assert isinstance(update, MonitorUpdate)
    assert update.snapshot.round.verdict is Verdict.INTERNET_DOWN  # nothing answered
    assert elapsed >= 1.8, "the probes really waited for their deadline"
    assert len(gaps) >= elapsed * 1000 / 10 * 0.5, f"the GUI loop stalled: only {len(gaps)} ticks"
    assert max(gaps) < 250, f"the GUI loop was blocked for {max(gaps)} ms"


class FakeWatcher(Watcher):
    """A Watcher whose rounds come from a script (no network), counting the calls."""

    def __init__(self, clock: Callable[[], Now] = Now.read, grace_s: float | None = None) -> None:
        self.feed = Feed()
        scheduler = Scheduler(self.feed.monitor, grace_s, now=clock())
        super().__init__(engine=None, monitor=self.feed.monitor, scheduler=scheduler, clock=clock)  # type: ignore[arg-type]
        self.rounds = 0

    def run_once(self) -> MonitorUpdate:
        self.rounds += 1
        return self.monitor.observe(make_round(Verdict.OK))


def test_sleep_resume_forgets_half_seen_changes_and_waits_a_grace_period(qapp: object) -> None:
    wall, mono = [1_000_000.0], [500.0]
    watcher = FakeWatcher(clock=lambda: Now(wall[0], mono[0]), grace_s=10)
    worker = CheckWorker(watcher)
    worker.start()
    assert watcher.rounds == 1
    suspended: list[bool] = []
    watcher.monitor.suspend_confirmation = lambda: suspended.append(True)  # type: ignore[method-assign]
    resumed: list[float] = []
    worker.resumed.connect(resumed.append)
    wall[0] += 3600 + 5  # an hour asleep: the wall clock jumped, the monotonic one barely moved
    mono[0] += 5
    worker.check_now(mono[0])  # e.g. the network came back and the OS said so
    assert suspended == [True] and resumed and resumed[0] > 3000
    assert watcher.rounds == 1, "no round during the reconnect phase"
    mono[0] += 3
    wall[0] += 3
    worker.check_now(mono[0])
    assert watcher.rounds == 1, "check requests are ignored during the grace period"
    mono[0] += 8
    wall[0] += 8
    worker._on_timer()  # the grace period is over
    assert watcher.rounds == 2
    worker.shutdown()


def test_check_now_requests_older_than_the_last_round_are_served_already(qapp: object) -> None:
    mono = [100.0]
    watcher = FakeWatcher(clock=lambda: Now(1e6 + mono[0], mono[0]), grace_s=0)
    worker = CheckWorker(watcher)
    worker.start()
    worker.check_now(99.0)  # asked before the round that just ran
    assert watcher.rounds == 1
    mono[0] += 1
    worker.check_now(mono[0])
    assert watcher.rounds == 2
    worker.shutdown()


def test_updates_reach_the_gui_thread_as_frozen_core_objects(qtbot: QtBot) -> None:
    watcher = FakeWatcher()
    service = CheckService(watcher)
    threads: list[QThread] = []
    service.updated.connect(lambda _u: threads.append(QThread.currentThread()))
    with qtbot.waitSignal(service.updated, timeout=5000) as blocker:
        service.start()
    watcher.engine = type(
        "E", (), {"config": load_config(Path("/nonexistent")), "close": lambda self: None}
    )()
    assert service.stop(wait_s=5)
    assert isinstance(blocker.args[0], MonitorUpdate)
    assert threads == [QThread.currentThread()]
    assert service.worker.thread() is not QThread.currentThread()
