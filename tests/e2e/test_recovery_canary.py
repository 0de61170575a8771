"""End to end: "Meta is back" arrives within interval + 20 s although the full checks back off.

`traywatch watch --interval 10` and the tray app are started while every Meta address is silently
dropped in a fake internet of our own (an app started during the outage). Once the outage is
confirmed and the back-off has grown (the next full check is 40 s or more away), Meta comes back;
the recovery alert must follow within interval + 20 s: the cheap canary made each interval sees
the return and the full check runs at once.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.netns import FakeInternet, skip_unless_netns
from tests.ui.helpers.xsession import app_command, app_env, log_text, stop_group, wait_for, write_config

pytestmark = [pytest.mark.netns, pytest.mark.timeout(300)]

INTERVAL_S = 10.0
TARGET_S = INTERVAL_S + 20.0
BACKED_OFF_S = 30.0  # Meta comes back when the next full check is at least this far away
FAR_CHECK = re.compile(r"facebook is still down: next full check in (\d+) s")
RECHECK = re.compile(r"next re-check in (\d+) (s|min)")
CONFIG = "[check]\ntimeout = 2\n[official]\nenabled = false\n"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def internet() -> Iterator[FakeInternet]:
    skip_unless_netns()
    with FakeInternet() as net:
        yield net


class Lines:
    """A process's JSON output lines, each with the monotonic time it arrived."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.items: list[tuple[float, dict[str, Any]]] = []
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                self.items.append((time.monotonic(), json.loads(line)))
            except ValueError:
                continue

    def backed_off(self) -> bool:
        """The last round carried Facebook's result with its next full check far away."""
        rounds = [x for _, x in list(self.items) if x.get("type") == "round"]
        if not rounds:
            return False
        facebook = next(s for s in rounds[-1]["services"] if s["id"] == "facebook")
        match = RECHECK.search(facebook["detail"])
        return bool(match) and int(match[1]) * (60 if match[2] == "min" else 1) >= BACKED_OFF_S

    def alerts(self, kind: str) -> list[tuple[float, dict[str, Any]]]:
        return [(t, x) for t, x in list(self.items) if x.get("type") == "alert" and x.get("kind") == kind]


def far_check(log: str) -> bool:
    """The last back-off step logged for Facebook puts its next full check far away."""
    steps = FAR_CHECK.findall(log)
    return bool(steps) and int(steps[-1]) >= BACKED_OFF_S


def wait_until(predicate: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def test_watch_started_during_an_outage_tells_metas_return_within_interval_plus_20_s(
    internet: FakeInternet, traywatch_home: Path
) -> None:
    write_config(traywatch_home, f'{CONFIG}[network]\nca_file = "{internet.ca_file}"\n')
    internet.drop("meta")
    proc = internet.popen(
        [sys.executable, "-m", "traywatch", "watch", "--json", "--interval", str(INTERVAL_S)],
        env={"TRAYWATCH_HOME": str(traywatch_home), "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines = Lines(proc)
    try:
        wait_until(lambda: lines.alerts("meta_down"), 60, "the outage alert")
        wait_until(lines.backed_off, 120, f"a full check {BACKED_OFF_S:.0f} s or more away")
        internet.undrop()
        back_at = time.monotonic()
        recovered = wait_until(lambda: lines.alerts("meta_recovered"), TARGET_S + 60, "the recovery alert")
    finally:
        proc.terminate()
        proc.wait(15)
    latency = recovered[0][0] - back_at
    assert latency <= TARGET_S, f"recovery told {latency:.1f} s after Meta came back"
    assert recovered[0][1]["title"].endswith("are back")
    assert len(lines.alerts("meta_recovered")) == 1


def test_the_tray_started_during_an_outage_tells_metas_return_within_interval_plus_20_s(
    internet: FakeInternet, traywatch_home: Path
) -> None:
    """The real tray app (offscreen Qt: no desktop needed; its notifier logs every notice it lets
    through, the monitor each back-off step). Meta comes back when the next full check is at
    least 30 s away."""
    write_config(traywatch_home, f'{CONFIG}[network]\nca_file = "{internet.ca_file}"\n')
    internet.drop("meta")
    env = {**app_env(traywatch_home), "QT_QPA_PLATFORM": "offscreen"}
    proc = internet.popen(
        app_command("--interval", f"{INTERVAL_S:g}"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: "notification: traywatch started: Meta is down" in log_text(traywatch_home),
            60,
            "the outage notice",
        )
        wait_for(lambda: far_check(log_text(traywatch_home)), 150, f"a full check {BACKED_OFF_S:.0f} s away")
        assert "canary for facebook got through" not in log_text(traywatch_home)
        internet.undrop()
        back_at = time.monotonic()
        wait_for(lambda: " are back — " in log_text(traywatch_home), TARGET_S + 60, "the recovery notice")
        latency = time.monotonic() - back_at
    finally:
        stop_group(proc)
    text = log_text(traywatch_home)
    assert latency <= TARGET_S, f"recovery told {latency:.1f} s after Meta came back"
    assert "canary for facebook got through: full check now" in text
    assert text.count(" are back — ") == 1
