"""Audit of issues 11 and 16, end to end in a fake internet: the summary a shop owner reads is one
plain sentence, right about whose fault it is. Three summaries that are not, on main:

- every Meta service answering 429 (an office, VPN or datacenter address Meta limits as a whole):
  "Your internet and all 7 Meta services are working." and then "X is limiting requests from
  your address (HTTP 429) — not an outage." once per service: eight sentences;
- every service disabled in the config: "Your internet and all 0 Meta services are working.";
- one service watched, and failing: "Meta is down: Graph API answer with server errors …"
  (a plural verb for one service).
"""

# audit: fails on main at e298e8b (the fix makes it pass)

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fake_web import Reply
from tests.support.netns import FakeInternet

pytestmark = pytest.mark.netns

REPO = Path(__file__).resolve().parents[2]
ALL = ["facebook", "instagram", "whatsapp", "messenger", "threads", "ads_manager", "graph_api"]


@pytest.fixture
def fake(internet: FakeInternet) -> Iterator[FakeInternet]:
    yield internet
    internet.reset()


def check(net: FakeInternet, home: Path, extra: str = "") -> tuple[str, str]:
    """(summary or "", everything the command printed)."""
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(
        f'[check]\ntimeout = 3\n[network]\nca_file = "{net.ca_file}"\n[official]\nenabled = false\n{extra}',
        "utf-8",
    )
    result = net.run(
        [sys.executable, "-m", "traywatch", "check", "--json"],
        env={"TRAYWATCH_HOME": str(home), "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert "Traceback" not in result.stderr, result.stderr
    summary = json.loads(result.stdout)["summary"] if result.stdout.strip() else ""
    return summary, result.stdout + result.stderr


def disabled(ids: list[str]) -> str:
    return "[services]\ndisabled = [" + ", ".join(f'"{i}"' for i in ids) + "]\n"


def test_every_meta_service_answering_429_is_said_once_in_a_short_summary(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    for host in fake.groups["meta"]:
        fake.set_host(host, Reply(429, {"Retry-After": "60"}, ""))
    summary, _ = check(fake, traywatch_home)
    assert summary.count("limiting requests from your address") == 1, summary
    assert summary.count(". ") <= 1, summary  # one sentence, or the verdict and one note


def test_a_config_watching_no_service_does_not_say_all_0_services_are_working(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    _, shown = check(fake, traywatch_home, disabled(ALL))
    assert "all 0" not in shown, shown


def test_one_watched_service_failing_is_said_with_a_singular_verb(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    fake.set_host("graph.facebook.com", Reply(500, {"Content-Type": "text/html"}, "<title>x</title>"))
    summary, _ = check(fake, traywatch_home, disabled([s for s in ALL if s != "graph_api"]))
    assert "Graph API" in summary
    assert "Graph API answer " not in summary and "Graph API don't" not in summary, summary
