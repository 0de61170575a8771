"""What escapes lands in the log file: an exception in the main thread and one in another thread,
each with its traceback (a real process, as the tray app and `watch` run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

ESCAPES = """
import sys, threading
from pathlib import Path
from traywatch.log import setup_logging

setup_logging(Path(sys.argv[1]))

def probe_worker():
    raise RuntimeError("lost in a thread")

t = threading.Thread(target=probe_worker, name="traywatch-probe-7")
t.start()
t.join()
threading.Thread(target=lambda: sys.exit(0), name="quiet").start()  # SystemExit: not an error
raise ValueError("escaped the main thread")
"""


def test_exceptions_that_escape_any_thread_go_to_the_log_file(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "traywatch.log"
    result = subprocess.run(
        [sys.executable, "-c", ESCAPES, str(log_file)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    text = log_file.read_text("utf-8")
    assert "CRITICAL traywatch: unexpected error in thread traywatch-probe-7" in text
    assert "RuntimeError: lost in a thread" in text and "in probe_worker" in text  # the traceback
    assert "CRITICAL traywatch: unexpected error\n" in text
    assert "ValueError: escaped the main thread" in text
    assert "quiet" not in text
