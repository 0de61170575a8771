"""Real processes against one history file: `traywatch watch` in a namespace without a route,
another process holding SQLite's exclusive lock, a check of the recorder lock from outside, and
a command prefix that runs as root without the right to ignore file permissions."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.netns import NoRouteNamespace

ROOT = Path(__file__).resolve().parents[3]

# Quick rounds in a namespace without a route: every probe fails at once.
WATCH_CONFIG = "[check]\ntimeout = 2\nconfirm_delay = 0\n[official]\nenabled = false\n"

HOLD_EXCLUSIVE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def write_watch_config(home: Path) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(WATCH_CONFIG, "utf-8")


def history_file(home: Path) -> Path:
    return home / "data" / "history.sqlite3"


def stored_round_times(path: Path) -> list[float]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [round(r[0], 3) for r in conn.execute("SELECT at FROM rounds ORDER BY at")]
    finally:
        conn.close()


def stored_sessions(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT started_at, ended_at, end_reason FROM sessions ORDER BY id").fetchall()
    finally:
        conn.close()


def round_time(line: dict[str, Any]) -> float:
    return round(datetime.fromisoformat(line["checked_at"].replace("Z", "+00:00")).timestamp(), 3)


class WatchProcess:
    """`traywatch watch --json` in the namespace; its rounds (with arrival times) and stderr."""

    def __init__(self, ns: NoRouteNamespace, home: Path, interval: float = 1.0) -> None:
        self.started = time.monotonic()
        self.proc = ns.popen(
            [sys.executable, "-m", "traywatch", "watch", "--json", "--interval", str(interval)],
            env={"TRAYWATCH_HOME": str(home), "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.rounds: list[dict[str, Any]] = []
        self.arrivals: list[float] = []
        self.err: list[str] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read_out, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read_out(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            data = json.loads(line)
            if data.get("type") == "round":
                with self._changed:
                    self.rounds.append(data)
                    self.arrivals.append(time.monotonic())
                    self._changed.notify_all()

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.err.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    def wait_rounds(self, count: int, timeout: float = 30.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: len(self.rounds) >= count, timeout)

    def stop(self, timeout: float = 40.0) -> tuple[int, float]:
        """SIGTERM; (exit code, seconds it took to exit)."""
        asked = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout)
        took = time.monotonic() - asked
        time.sleep(0.1)  # the readers drain the pipes
        return code, took

    def round_times(self) -> list[float]:
        return [round_time(r) for r in self.rounds]


class ExclusiveHolder:
    """Another process holding `BEGIN EXCLUSIVE` on the database until release()."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD_EXCLUSIVE, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            self.proc.wait(10)

    def __enter__(self) -> ExclusiveHolder:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.release()
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


def recorder_lock_taken(db: Path) -> bool:
    """A traywatch holds the recorder lock of this history file (checked without taking it)."""
    lock = db.with_name(db.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def wait_for(condition: Any, timeout: float, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


# Root without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH / CAP_FOWNER obeys file permissions like
# any user (our test files are root's own, so 0444 means "read-only" to it).
OBEY_PERMISSIONS = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def skip_unless_permissions_can_be_obeyed() -> None:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv (util-linux) to drop the right to ignore permissions")


def run_cli(
    args: list[str], home: Path, *, obey_permissions: bool = False
) -> subprocess.CompletedProcess[str]:
    prefix = OBEY_PERMISSIONS if obey_permissions else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "traywatch", *args],
        env={**os.environ, "TRAYWATCH_HOME": str(home), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@contextlib.contextmanager
def tiny_tmpfs(where: Path, size: str = "1m") -> Iterator[Path]:
    """A really small file system of our own (root only), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> Path:
    """Take every free byte of the file system with one file."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as fh, contextlib.suppress(OSError):
        while fh.write(b"\0" * 4096):
            pass
    return filler
