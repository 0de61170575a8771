"""Changed settings applied to a running Watcher between two rounds, without a restart.

Call `apply_config` from the thread that runs the rounds (the tray's worker thread), so no round
is in progress. The monitor is kept, so every confirmed state stays (no "traywatch started"
alerts, no re-confirmation): its timing comes from the new settings, services added are picked up
by the next round, and services no longer watched are forgotten. The engine is rebuilt only when
its network, Meta Status or signed-in settings changed; otherwise it just takes the new config
(timeout and catalogue are read every round). Recorders learn the new interval and retention.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass

from traywatch.core.history.recorder import Recorder, gap_for
from traywatch.core.settings.config import Config
from traywatch.core.watch.engine import Engine
from traywatch.core.watch.monitor import Monitor
from traywatch.core.watch.watcher import Watcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Applied:
    """What applying the config changed (for the log and for tests)."""

    engine_rebuilt: bool
    added: tuple[str, ...]
    removed: tuple[str, ...]
    interval_changed: bool


def _ids(config: Config) -> list[str]:
    return [s.id for s in config.catalogue.services]


def apply_config(
    watcher: Watcher, config: Config, make_engine: Callable[[Config], Engine] = Engine
) -> Applied:
    old = watcher.engine.config
    rebuild = (old.network, old.official, old.account) != (config.network, config.official, config.account)
    if rebuild:
        engine = make_engine(config)
        watcher.engine.close()
        watcher.engine = engine
    else:
        watcher.engine.config = config
    interval_changed = watcher.monitor.settings.interval_s != config.check.interval_s
    watcher.monitor.settings = config.check
    old_ids, new_ids = _ids(old), _ids(config)
    added = tuple(s for s in new_ids if s not in old_ids)
    removed = tuple(s for s in old_ids if s not in new_ids)
    recorders = [r for r in watcher.listeners if isinstance(r, Recorder)]
    for recorder in recorders:
        recorder.interval_s = config.check.interval_s
        recorder.gap_s = gap_for(config.check.interval_s)
        recorder.set_retention(config.history.retention_days)
    if removed:
        forget_services(watcher.monitor, recorders, removed)
    applied = Applied(rebuild, added, removed, interval_changed)
    log.info(
        "settings applied: every %g s, timeout %g s, %d services%s%s%s",
        config.check.interval_s,
        config.check.timeout_s,
        len(new_ids),
        f", added {', '.join(added)}" if added else "",
        f", no longer watching {', '.join(removed)}" if removed else "",
        ", checking engine rebuilt" if rebuild else "",
    )
    return applied


def forget_services(monitor: Monitor, recorders: Collection[Recorder], service_ids: Collection[str]) -> None:
    """Services no longer watched: out of the monitor's confirmed states (so they no longer count
    in the verdict), and their open incidents closed at the last round ("stopped checking")."""
    monitor.forget(service_ids)
    for recorder in recorders:
        recorder.forget(service_ids)
