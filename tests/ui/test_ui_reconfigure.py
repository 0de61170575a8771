"""New settings reach the checking thread as a queued call: applied there between rounds, the
monitor's confirmed state kept, the next round rescheduled to the new interval; start-up jobs
(the history recorder opening its file) run in that thread too."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from tests.ui.helpers.rounds import Feed, make_round
from traywatch.core.models import Verdict
from traywatch.core.settings.config import Config, parse_config
from traywatch.core.settings.live_config import Applied
from traywatch.core.watch.monitor import MonitorUpdate
from traywatch.core.watch.watcher import Watcher
from traywatch.ui.worker import CheckService


class FakeEngine:
    def __init__(self, config: Config) -> None:
        self.config = config

    def close(self) -> None:
        pass


class ScriptedWatcher(Watcher):
    """Rounds from a script (no network); notes the thread each round runs in."""

    def __init__(self, config: Config) -> None:
        self.feed = Feed()
        super().__init__(engine=FakeEngine(config), monitor=self.feed.monitor)  # type: ignore[arg-type]
        self.threads: list[int] = []

    def run_once(self) -> MonitorUpdate:
        self.threads.append(threading.get_ident())
        self.feed.at = self.feed.at.replace(microsecond=len(self.threads))
        return self.monitor.observe(make_round(Verdict.META_DOWN, at=self.feed.at))


def test_settings_are_applied_in_the_checking_thread_and_keep_the_confirmed_state(qtbot: QtBot) -> None:
    slow = parse_config({"check": {"interval": 3600, "confirm_delay": 0}}, "test")
    watcher = ScriptedWatcher(slow)
    started_in: list[int] = []
    service = CheckService(watcher, on_start=[lambda: started_in.append(threading.get_ident())])
    updates: list[MonitorUpdate] = []
    service.updated.connect(updates.append)
    try:
        service.start()
        qtbot.waitUntil(lambda: len(updates) >= 2, timeout=10_000)  # confirmed: Meta is down
        assert watcher.monitor.confirmed_verdict() is Verdict.META_DOWN
        worker_thread = watcher.threads[0]
        assert started_in == [worker_thread] != [threading.get_ident()]
        rounds = len(watcher.threads)
        fast = parse_config({"check": {"interval": 10, "timeout": 3}}, "test")
        with qtbot.waitSignal(service.reconfigured, timeout=10_000) as blocker:
            service.reconfigure(fast)
        applied = blocker.args[0]
        assert isinstance(applied, Applied) and applied.interval_changed and not applied.engine_rebuilt
        assert watcher.engine.config is fast and watcher.monitor.settings.interval_s == 10
        assert watcher.monitor.confirmed_verdict() is Verdict.META_DOWN  # kept, not re-learnt
        scheduled = service.worker.scheduled_s
        assert scheduled is not None and scheduled <= 11  # the next round: no longer an hour away
        assert len(watcher.threads) == rounds and set(watcher.threads) == {worker_thread}
    finally:
        assert service.stop(wait_s=5)
