"""End to end: the deadline bounds the whole `traywatch check` command (issue 11, part 4).

Every packet to Meta's addresses (its services and metastatus.com alike) is silently dropped
while the names still resolve and the references answer. The round's probes use the whole
budget, and Meta Status, asked once our own internet is known to work, never answers either:
the command must still end within `[check] timeout` + 1 s of wall time, start-up included.
At the default 8 s deadline this took 16 s before (the round, then a second budget waiting for
Meta Status).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_netns_check import check, write_config
from tests.support.netns import FakeInternet, skip_unless_netns
from tests.support.web_routes import Reply

pytestmark = pytest.mark.netns

DEFAULT_TIMEOUT_S = 8.0  # [check] timeout's default: the figure the issue was reported at
STATUS_HOST = "metastatus.com"
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def internet() -> Iterator[FakeInternet]:
    skip_unless_netns()
    with FakeInternet(extra_hosts=[STATUS_HOST]) as net:
        yield net


def test_check_ends_within_its_deadline_while_meta_and_meta_status_drop_every_packet(
    internet: FakeInternet, traywatch_home: Path
) -> None:
    # the default deadline; Meta Status at its real name (resolving to the fake internet)
    write_config(traywatch_home, f'[network]\nca_file = "{internet.ca_file}"\n')
    internet.drop(["meta", STATUS_HOST])
    try:
        data, code, elapsed = check(internet, traywatch_home)
    finally:
        internet.reset()
    assert data["verdict"] == "meta_down", data["summary"]
    assert code == 1
    assert data["internet"]["state"] == "up"
    assert data["official"]["state"] == "unavailable"
    assert "did not answer" in data["official"]["detail"], data["official"]
    assert elapsed < DEFAULT_TIMEOUT_S + 1, f"check ended after {elapsed:.1f} s (deadline 8 s)"


def test_with_meta_status_answering_the_reading_is_shown_within_the_deadline(
    internet: FakeInternet, traywatch_home: Path
) -> None:
    """The early start costs nothing when all is well: Meta Status is read and shown."""
    service = {"name": "Graph API", "status": "No known issues"}
    orgs = [{"id": "graph-api", "name": "Graph API", "services": [service]}]
    write_config(traywatch_home, f'[check]\ntimeout = 3\n[network]\nca_file = "{internet.ca_file}"\n')
    internet.set_route(STATUS_HOST, "/data/orgs.json", Reply(200, JSON, json.dumps(orgs)))
    try:
        data, _, elapsed = check(internet, traywatch_home)
    finally:
        internet.reset()
    assert data["verdict"] == "ok", data["summary"]
    assert data["official"]["state"] == "ok", data["official"]
    assert elapsed < 3 + 1


def test_a_watch_round_ends_by_its_deadline_while_meta_and_meta_status_drop_every_packet(
    internet: FakeInternet, traywatch_home: Path
) -> None:
    """`watch` (the tray runs the same Watcher): no round runs past `[check] timeout`, Meta Status
    and the signed-in check included; each round's line comes out by its deadline."""
    timeout = 3
    write_config(traywatch_home, f'[check]\ntimeout = {timeout}\n[network]\nca_file = "{internet.ca_file}"\n')
    internet.drop(["meta", STATUS_HOST])
    proc = internet.popen(
        [sys.executable, "-m", "traywatch", "watch", "--json", "--interval", "4"],
        env={"TRAYWATCH_HOME": str(traywatch_home), "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        stdout=subprocess.PIPE,
        text=True,
    )
    gaps: list[float] = []
    try:
        assert proc.stdout is not None
        last = time.monotonic()
        while len(gaps) < 2:
            line = proc.stdout.readline()
            assert line, "watch ended early"
            if '"type": "round"' in line:
                now = time.monotonic()
                gaps.append(now - last)
                last = now
                assert json.loads(line)["verdict"] == "meta_down"
    finally:
        proc.terminate()
        proc.wait(10)
        internet.reset()
    assert gaps[0] < timeout + 1.5, gaps  # start-up + the first round
    assert gaps[1] < 4 + timeout + 1, gaps  # the interval, then a round no longer than its deadline
