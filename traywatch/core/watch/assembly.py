"""The watching machine assembled once, from a Config, for the tray and for `traywatch watch`.

`load_settings` reads the config file (or the defaults) and applies a command-line interval;
`assemble` builds the parts that watch: the engine (with the Meta Status and signed-in checks
the config asks for), the monitor, the scheduler (inside the watcher), and the two listeners
every round reaches: the history recorder and the alert forwarder (`[forward]`: its own choice of
alerts and quiet hours, so it never depends on a desktop's pause). The tray turns the machine into
its checking thread and shows notices through its notifier (the core notification policy);
`watch` prints every round and alert.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from traywatch.core.forward.forwarder import Forwarder, build_forwarder
from traywatch.core.history import Recorder
from traywatch.core.models import OsHint
from traywatch.core.paths import AppPaths, app_paths
from traywatch.core.settings.config import Config, load_config
from traywatch.core.watch.engine import Engine
from traywatch.core.watch.monitor import Monitor
from traywatch.core.watch.watcher import Listener, Watcher

log = logging.getLogger(__name__)


def config_file(given: str | Path | None, paths: AppPaths) -> Path:
    """The config file in use: the one named (`--config`), else the platform's."""
    return Path(given) if given else paths.config_file


def load_settings(
    given: str | Path | None = None, interval_s: float | None = None
) -> tuple[AppPaths, Config]:
    """Resolve folders and read the config; ConfigError propagates. A file the user named must
    exist; the default location may be missing (defaults). `interval_s`: the command line's."""
    paths = app_paths()
    config = load_config(config_file(given, paths), required=bool(given))
    if interval_s is not None:
        config = config.with_interval(interval_s)
    return paths, config


@dataclass
class Machine:
    """Everything that watches, built from one Config."""

    config: Config
    engine: Engine
    monitor: Monitor
    recorder: Recorder
    watcher: Watcher
    forwarder: Forwarder

    def start(self) -> None:
        """Open the history (lock, crash recovery, pruning) and start delivering what waits in
        the forwarding outbox; in the thread that runs the rounds."""
        self.recorder.start()
        self.forwarder.start()

    def close(self) -> None:
        """After the last round: release the engine, stop forwarding, end the history session."""
        self.engine.close()
        self.forwarder.stop()
        self.recorder.stop()


def assemble(
    config: Config,
    history_db: Path,
    *,
    listeners: Sequence[Listener] = (),
    os_hint: Callable[[], OsHint] = lambda: OsHint.UNKNOWN,
) -> Machine:
    """The machine for `config`. `listeners` hear every round before the recorder and the
    forwarder. May raise ConfigError (a broken proxy or CA variable) before anything has been
    started."""
    engine = Engine(config)
    monitor = Monitor(config.check)
    recorder = Recorder(
        history_db, interval_s=config.check.interval_s, retention_days=config.history.retention_days
    )
    forwarder = build_forwarder(config.forward, config.notifications, history_db)
    watcher = Watcher(engine, monitor, [*listeners, recorder, forwarder.handle], os_hint=os_hint)
    return Machine(config, engine, monitor, recorder, watcher, forwarder)
