"""Running `traywatch watch` and the local webhook inside a namespace, for the forwarding tests
and benchmark: start, wait for what was received, stop."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.support.netns_base import Namespace
from tests.support.webhook_server import read_received

REPO = Path(__file__).resolve().parents[2]


def env_for(home: Path) -> dict[str, str]:
    return {"TRAYWATCH_HOME": str(home), "PYTHONPATH": str(REPO)}


def start_webhook(ns: Namespace, port: int, out: Path) -> subprocess.Popen[Any]:
    proc = ns.popen(
        [sys.executable, "-m", "tests.support.webhook_server", str(port), str(out)],
        env={"PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def start_watch(ns: Namespace, home: Path, interval_s: float = 1.0) -> subprocess.Popen[Any]:
    return ns.popen(
        [sys.executable, "-m", "traywatch", "watch", "--json", "--interval", str(interval_s)],
        env=env_for(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def next_alert(proc: subprocess.Popen[Any], timeout_s: float = 30.0) -> tuple[dict[str, Any], float]:
    """The next alert line `watch` prints, and when it was read (time.time())."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"watch ended: {proc.stderr.read() if proc.stderr else ''}")
        data = json.loads(line)
        if data.get("type") == "alert":
            return data, time.time()
    raise AssertionError("no alert from watch in time")


def stop(proc: subprocess.Popen[Any]) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def wait_received(out: Path, count: int, timeout_s: float = 20.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        got = read_received(out)
        if len(got) >= count:
            return got
        time.sleep(0.05)
    return read_received(out)


def outbox_rows(home: Path) -> list[tuple[Any, ...]]:
    db = home / "data" / "history.sqlite3"
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT title, attempts, why FROM forward_outbox ORDER BY at").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()
