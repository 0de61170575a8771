"""Stopping a headless `watch` cleanly: Ctrl-C, SIGTERM (systemd, `kill`) and SIGHUP (a closed
terminal) are all a normal stop.

The rounds run in a worker thread while the main thread waits for it. The signal handlers only
ask the watcher to stop; they never raise. (An exception raised into `Thread.join` can leave the
thread marked finished while it still runs, CPython 3.11's bpo-45274 path, and the history would
then be closed under the round in flight: seen here as the alerting round missing from the file.)
The round in flight finishes and is recorded, and the caller ends the history session.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from traywatch.core.watch.watcher import Watcher

log = logging.getLogger(__name__)

_NAMES = ("SIGINT", "SIGTERM", "SIGHUP")  # SIGHUP does not exist on Windows


@contextmanager
def stop_on_signals(on_stop: Callable[[], None]) -> Iterator[None]:
    """Within the block, Ctrl-C, SIGTERM and SIGHUP call `on_stop` (in the main thread) instead
    of raising or ending the process; the previous handlers come back afterwards."""
    signums = [getattr(signal, name) for name in _NAMES if hasattr(signal, name)]

    def handler(signum: int, frame: FrameType | None) -> None:
        log.info("%s received: stopping after the round in progress", signal.Signals(signum).name)
        on_stop()

    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def run_until_stopped(watcher: Watcher, on_start: Callable[[], None] | None = None) -> None:
    """watcher.run() until Ctrl-C, SIGTERM or SIGHUP (call from the main thread). `on_start`
    (e.g. the history recorder's start) runs first in the rounds' thread, once the signals are
    handled: a stop while it runs is a normal stop too. An error in the rounds is raised here."""
    failure: list[BaseException] = []

    def rounds() -> None:
        try:
            if on_start is not None:
                on_start()
            watcher.run()
        except KeyboardInterrupt:  # raised inside a round: a stop all the same
            watcher.stop()
        except BaseException as exc:  # handed to the main thread
            failure.append(exc)

    worker = threading.Thread(target=rounds, name="traywatch-watch")
    with stop_on_signals(watcher.stop):
        worker.start()
        while worker.is_alive():
            worker.join(0.5)  # the handlers run between these waits and never raise into them
    if failure:
        raise failure[0]
