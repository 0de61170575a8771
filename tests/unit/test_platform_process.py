"""wait_for_exit: a process still running, one that ended (reaped or not), and no process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from traywatch.platform.process import wait_for_exit

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the Windows path is run in the Wine smoke")


def test_a_running_process_is_waited_for_until_the_timeout() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        started = time.monotonic()
        assert wait_for_exit(child.pid, 0.3) is False
        assert 0.25 <= time.monotonic() - started < 5
    finally:
        child.kill()
        child.wait()


def test_an_ended_process_counts_as_gone_even_before_its_parent_reaps_it() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child.pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
        assert time.monotonic() < deadline, "the child never ended"
        time.sleep(0.02)
    try:
        assert wait_for_exit(child.pid, 5) is True  # a zombie: ended, not yet reaped
    finally:
        child.wait()
    assert wait_for_exit(child.pid, 5) is True  # reaped: no such process


def test_ending_while_waited_for_returns_at_once() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.5)"])
    started = time.monotonic()
    assert wait_for_exit(child.pid, 20) is True
    assert time.monotonic() - started < 10
    child.wait()


def test_no_process_and_this_process() -> None:
    assert wait_for_exit(0, 1) is True
    assert wait_for_exit(os.getpid(), 1) is False  # never waits for itself
