"""Stopping a headless `watch` cleanly: Ctrl-C, SIGTERM (systemd, `kill`) and SIGHUP (a closed
terminal) are all a normal stop.

The rounds run in a worker thread while the main thread only waits, so the interruption always
lands in that wait, never inside a listener writing the history. The watcher is then asked to
stop: the round in flight finishes and is recorded, and the caller ends the history session.
Further SIGTERM/SIGHUP during that clean-up are ignored (SIGKILL still works).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from traywatch.core.watcher import Watcher

_NAMES = ("SIGTERM", "SIGHUP")  # SIGHUP does not exist on Windows
_POLL_S = 0.5


class StopSignal(KeyboardInterrupt):
    """A stop signal arrived; carries its number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM/SIGHUP raise StopSignal (in the main thread); restored after."""
    signums = [getattr(signal, name) for name in _NAMES if hasattr(signal, name)]

    def handler(signum: int, frame: FrameType | None) -> None:
        for other in signums:
            signal.signal(other, signal.SIG_IGN)
        raise StopSignal(signum)

    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def run_until_stopped(watcher: Watcher) -> None:
    """watcher.run() until Ctrl-C, SIGTERM or SIGHUP (call from the main thread). An error in
    the rounds is raised here."""
    failure: list[BaseException] = []

    def rounds() -> None:
        try:
            watcher.run()
        except KeyboardInterrupt:  # a stop, as when it reaches the main thread
            watcher.stop()
        except BaseException as exc:  # handed to the main thread
            failure.append(exc)

    worker = threading.Thread(target=rounds, name="traywatch-watch")
    with stop_on_signals():
        worker.start()
        try:
            while worker.is_alive():
                worker.join(_POLL_S)
        except KeyboardInterrupt:
            watcher.stop()
        worker.join()
    if failure:
        raise failure[0]
