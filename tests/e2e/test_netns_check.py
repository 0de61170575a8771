"""End to end in real broken networks: `traywatch check` run inside network namespaces that
these tests create (no route at all; a fake internet of our own whose Meta addresses we drop)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.catalogue import meta_hostnames
from tests.support.netns import FakeInternet, NoRouteNamespace, skip_unless_netns

pytestmark = pytest.mark.netns

TIMEOUT_S = 3.0


def check(ns: FakeInternet | NoRouteNamespace, home: Path) -> tuple[dict, int, float]:  # type: ignore[type-arg]
    started = time.monotonic()
    result: subprocess.CompletedProcess[str] = ns.run(
        [sys.executable, "-m", "traywatch", "check", "--json"],
        env={"TRAYWATCH_HOME": str(home), "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=60,
    )
    elapsed = time.monotonic() - started
    assert result.stderr.strip() == "" or "WARNING" in result.stderr, result.stderr
    return json.loads(result.stdout), result.returncode, elapsed


def write_config(home: Path, text: str) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(text, "utf-8")


@pytest.fixture
def fake(internet: FakeInternet, traywatch_home: Path) -> Iterator[FakeInternet]:
    write_config(
        traywatch_home,
        f'[check]\ntimeout = {TIMEOUT_S}\n[network]\nca_file = "{internet.ca_file}"\n',
    )
    yield internet
    internet.reset()


def test_no_route_means_internet_down_and_every_service_unknown(traywatch_home: Path) -> None:
    skip_unless_netns()
    with NoRouteNamespace() as ns:
        data, code, elapsed = check(ns, traywatch_home)
    assert data["verdict"] == "internet_down"
    assert code == 3
    assert data["internet"]["state"] == "down"
    assert {s["state"] for s in data["services"]} == {"unknown"}
    assert len(data["services"]) == 7
    assert "not Meta" in data["summary"]
    assert elapsed < 5


def test_fake_internet_healthy_is_ok(fake: FakeInternet, traywatch_home: Path) -> None:
    data, code, _ = check(fake, traywatch_home)
    assert data["verdict"] == "ok", data["summary"]
    assert code == 0
    assert {s["state"] for s in data["services"]} == {"up"}
    assert data["duration_ms"] < 1000


def test_meta_silently_dropped_is_meta_down_within_the_deadline(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    fake.drop("meta")
    data, code, _ = check(fake, traywatch_home)
    assert data["verdict"] == "meta_down", data["summary"]
    assert code == 1
    assert {s["state"] for s in data["services"]} == {"down"}
    assert {s["failed_layer"] for s in data["services"]} == {"tcp"}
    assert "Google" in data["summary"]
    assert data["duration_ms"] < (TIMEOUT_S + 1) * 1000


def test_meta_names_servfailing_is_the_october_2021_pattern(fake: FakeInternet, traywatch_home: Path) -> None:
    for host in meta_hostnames():
        fake.set_dns(host, "servfail")
    data, code, _ = check(fake, traywatch_home)
    assert data["verdict"] == "meta_down"
    assert code == 1
    assert "October 2021" in data["summary"]
    assert {s["failed_layer"] for s in data["services"]} == {"dns"}


def test_dns_filter_answering_0000_for_instagram_is_network_limited(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    fake.set_dns("www.instagram.com", ["0.0.0.0"])
    data, code, _ = check(fake, traywatch_home)
    assert data["verdict"] == "network_limited", data["summary"]
    assert code == 3
    states = {s["id"]: s["state"] for s in data["services"]}
    assert states["instagram"] == "unknown"
    assert states["facebook"] == "up"
    assert "blocks Instagram" in data["summary"]


def test_resolver_silent_means_internet_down(fake: FakeInternet, traywatch_home: Path) -> None:
    fake.drop("dns")
    data, code, _ = check(fake, traywatch_home)
    assert data["verdict"] == "internet_down", data["summary"]
    assert code == 3
    assert {s["state"] for s in data["services"]} == {"unknown"}
