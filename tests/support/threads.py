"""Waiting on threads in tests: the live threads of one name prefix, and polling a condition."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def named_threads(prefix: str) -> list[threading.Thread]:
    """The live threads whose names start with `prefix`."""
    return [t for t in threading.enumerate() if t.name.startswith(prefix)]


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll `condition` every 10 ms; fail the test when it is still false after `timeout` s."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)
