"""The watching machine assembled once, from a Config, for the tray and for `traywatch watch`.

`load_settings` reads the config file (or the defaults) and applies a command-line interval;
`assemble` builds the parts that watch: the engine (with the Meta Status and signed-in checks
the config asks for), the monitor, the scheduler (inside the watcher), the history recorder
listening to every round, and the notification policy's forwarding hooks (`forwarders_for`:
where alert forwarding plugs in). The tray turns the machine into its checking thread and shows
notices through its own notifier; `watch` prints every round and alert and runs the same policy
headless in front of the forwarding hooks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from traywatch.core.config import Config, load_config
from traywatch.core.engine import Engine
from traywatch.core.history import Recorder
from traywatch.core.models import OsHint
from traywatch.core.monitor import Monitor
from traywatch.core.notify_policy import Forwarder, HeadlessPolicy, NotificationPolicy
from traywatch.core.paths import AppPaths, app_paths
from traywatch.core.watcher import Listener, Watcher

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


def forwarders_for(config: Config) -> list[Forwarder]:
    """The alert forwarding hooks the config asks for (none exist yet: this is where they plug in)."""
    return []


@dataclass
class Machine:
    """Everything that watches, built from one Config."""

    config: Config
    engine: Engine
    monitor: Monitor
    recorder: Recorder
    watcher: Watcher
    forwarders: list[Forwarder] = field(default_factory=list)
    policy: NotificationPolicy | None = None  # headless only; the tray brings its notifier

    def start(self) -> None:
        """Open the history (lock, crash recovery, pruning); in the thread that runs the rounds."""
        self.recorder.start()

    def close(self) -> None:
        """After the last round: release the engine, end the history session."""
        self.engine.close()
        self.recorder.stop()


def assemble(
    config: Config,
    history_db: Path,
    *,
    listeners: Sequence[Listener] = (),
    os_hint: Callable[[], OsHint] = lambda: OsHint.UNKNOWN,
    headless: bool = False,
) -> Machine:
    """The machine for `config`. `listeners` hear every round before the recorder; `headless`:
    the notification policy listens to the rounds too (no desktop shows its notices: they go to
    the forwarding hooks). May raise ConfigError (a broken proxy or CA variable) before anything
    has been started."""
    engine = Engine(config)
    monitor = Monitor(config.check)
    recorder = Recorder(
        history_db, interval_s=config.check.interval_s, retention_days=config.history.retention_days
    )
    forwarders = forwarders_for(config)
    chain: list[Listener] = [*listeners, recorder]
    policy: NotificationPolicy | None = None
    if headless:
        headless_policy = HeadlessPolicy(config.notifications, forwarders=forwarders)
        chain.append(headless_policy)
        policy = headless_policy
    watcher = Watcher(engine, monitor, chain, os_hint=os_hint)
    return Machine(config, engine, monitor, recorder, watcher, forwarders, policy)
