"""New settings applied to a running watcher: confirmed states kept, timing and recorder updated,
the engine rebuilt only when its network settings changed, services no longer watched forgotten."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.unit.history.synthetic import Driver
from traywatch.core.history import HistoryStore, IncidentKind, Recorder
from traywatch.core.history.records import EndReason
from traywatch.core.models import ServiceState, Verdict
from traywatch.core.settings.config import Config, parse_config
from traywatch.core.settings.live_config import apply_config
from traywatch.core.watch.engine import Engine
from traywatch.core.watch.watcher import Watcher


class FakeEngine:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.closed = False

    def close(self) -> None:
        self.closed = True


def never(config: Config) -> Engine:
    raise AssertionError("the engine must not be rebuilt")


def setup(tmp_path: Path, raw: dict[str, object] | None = None) -> tuple[Driver, Recorder, Watcher]:
    driver = Driver()
    recorder = Recorder(tmp_path / "history.sqlite3", interval_s=60, clock=driver.clock)
    recorder.start()
    driver.listeners.append(recorder)
    config = parse_config(raw or {}, "test")
    watcher = Watcher(FakeEngine(config), driver.monitor, [recorder])  # type: ignore[arg-type]
    return driver, recorder, watcher


def test_interval_and_timeout_apply_and_confirmed_states_stay(tmp_path: Path) -> None:
    driver, recorder, watcher = setup(tmp_path)
    driver.rounds(3, down=["instagram"])
    engine = watcher.engine
    new = parse_config({"check": {"interval": 300, "timeout": 5}}, "test")
    applied = apply_config(watcher, new, make_engine=never)
    assert watcher.engine is engine and engine.config is new and not applied.engine_rebuilt
    assert applied.interval_changed and applied.added == applied.removed == ()
    assert watcher.monitor.settings.interval_s == 300
    assert watcher.monitor.confirmed_states()["instagram"] is ServiceState.DOWN
    assert watcher.monitor.confirmed_verdict() is Verdict.META_PARTIAL
    assert recorder.interval_s == 300 and recorder.gap_s == 900
    driver.interval = 300
    update = driver.round(down=["instagram"])
    assert update.alerts == ()  # nothing re-announced: the state was kept
    recorder.stop()


def test_engine_is_rebuilt_when_its_network_settings_change(tmp_path: Path) -> None:
    _driver, recorder, watcher = setup(tmp_path)
    old = watcher.engine
    new = parse_config({"network": {"nameservers": ["192.0.2.53"]}}, "test")
    applied = apply_config(watcher, new, make_engine=FakeEngine)  # type: ignore[arg-type]
    assert applied.engine_rebuilt and old.closed and watcher.engine is not old  # type: ignore[attr-defined]
    assert watcher.engine.config is new
    recorder.stop()


def test_a_service_no_longer_watched_is_forgotten_and_its_incident_closed(tmp_path: Path) -> None:
    driver, recorder, watcher = setup(tmp_path)
    driver.rounds(2)
    driver.rounds(3, down=["threads"])
    assert watcher.monitor.confirmed_verdict() is Verdict.META_PARTIAL
    applied = apply_config(watcher, parse_config({"services": {"disabled": ["threads"]}}, "test"))
    assert applied.removed == ("threads",)
    assert "threads" not in watcher.monitor.confirmed_states()
    assert watcher.monitor.confirmed_verdict() is Verdict.OK
    assert recorder.settle()  # the recorder writes in its own thread
    with HistoryStore.open(tmp_path / "history.sqlite3") as store:
        (incident,) = store.incidents(driver.at(0), driver.now + timedelta(hours=1))
    assert incident.kind is IncidentKind.SERVICE and incident.services == ("threads",)
    assert incident.end_reason is EndReason.NOT_WATCHING and incident.ended_at is not None
    recorder.stop()
