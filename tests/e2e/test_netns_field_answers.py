"""End to end in the fake internet: answers seen in the field that are not what they look like.
Meta's error page served with HTTP 200, Instagram answering 429 to this address (`check` and
`watch`: no alert, its checks spaced out), and WhatsApp's chat port 5222 refused or silently
dropped by the network (an nftables rule inside the client namespace) while WhatsApp Web answers.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.fake_web import Reply
from tests.support.meta_pages import edge_error_page, healthy_front_page
from tests.support.netns import FakeInternet
from tests.support.netns_base import run_command
from traywatch.core.net.probe import FALLBACK_CONNECT_S

pytestmark = pytest.mark.netns

TIMEOUT_S = 3.0
REPO = str(Path(__file__).resolve().parents[2])
HTML = {"Content-Type": "text/html; charset=utf-8"}
PORT_TABLE = "traywatch_test_port5222"  # apart from FakeInternet's own drop table


def env(home: Path) -> dict[str, str]:
    return {"TRAYWATCH_HOME": str(home), "PYTHONPATH": REPO}


def check(net: FakeInternet, home: Path) -> tuple[dict[str, Any], int]:
    result = net.run([sys.executable, "-m", "traywatch", "check", "--json"], env=env(home), timeout=60)
    assert result.stderr.strip() == "" or "WARNING" in result.stderr, result.stderr
    return json.loads(result.stdout), result.returncode


def by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in data["services"]}


def write_config(home: Path, net: FakeInternet, timeout: float = TIMEOUT_S) -> None:
    config = home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[check]\ntimeout = {timeout}\n[network]\nca_file = "{net.ca_file}"\n[official]\nenabled = false\n',
        "utf-8",
    )


@pytest.fixture
def fake(internet: FakeInternet, traywatch_home: Path) -> Iterator[FakeInternet]:
    write_config(traywatch_home, internet)
    yield internet
    internet.reset()
    port_rule(internet, None)


def port_rule(net: FakeInternet, verdict: str | None) -> None:
    """Every connection from the client to port 5222 meets `verdict` ("drop", "reject with tcp
    reset"); None removes the rule."""
    script = f"add table inet {PORT_TABLE}\ndelete table inet {PORT_TABLE}\n"
    if verdict is not None:
        script += (
            f"table inet {PORT_TABLE} {{\n  chain output {{\n"
            "    type filter hook output priority 0; policy accept;\n"
            f"    tcp dport 5222 {verdict}\n  }}\n}}\n"
        )
    run_command(["ip", "netns", "exec", net.client, "nft", "-f", "-"], input=script)


# -- 1. Meta's error page with HTTP 200 ----------------------------------------------------------------
def test_error_page_served_with_200_on_facebook_is_meta_partial_with_the_phrase(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    fake.set_host("www.facebook.com", Reply(200, HTML, edge_error_page()))
    data, code = check(fake, traywatch_home)
    assert data["verdict"] == "meta_partial", data["summary"]
    assert code == 1
    facebook = by_id(data)["facebook"]
    assert facebook["state"] == "down" and facebook["failed_layer"] == "content"
    assert '"Sorry, something went wrong"' in facebook["detail"]
    assert "Sorry, something went wrong" in data["summary"]
    assert {s["state"] for s in data["services"] if s["id"] != "facebook"} == {"up"}


def test_healthy_front_page_carrying_the_phrase_in_scripts_stays_up(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    fake.set_host("www.facebook.com", Reply(200, HTML, healthy_front_page(pad_to=30_000)))
    data, code = check(fake, traywatch_home)
    assert data["verdict"] == "ok", data["summary"]
    assert code == 0


def test_reading_to_the_cap_keeps_the_byte_budget_with_big_front_pages(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    big = Reply(200, HTML, healthy_front_page(pad_to=100_000))  # real front pages are this size
    hosts = ("www.facebook.com", "www.instagram.com", "web.whatsapp.com", "www.messenger.com")
    for host in hosts:
        fake.set_host(host, big)
    check(fake, traywatch_home)  # TLS sessions and caches warm
    before = fake.veth_bytes()
    data, _ = check(fake, traywatch_home)
    used = fake.veth_bytes() - before
    assert data["verdict"] == "ok", data["summary"]
    # Each page is cut off soon after the 16 KB read: far from the 400 KB the pages hold.
    assert used < 300 * 1024, used


# -- 2. answers about this address, not about Meta ---------------------------------------------------
def test_instagram_429_is_ok_with_a_note_not_meta_partial(fake: FakeInternet, traywatch_home: Path) -> None:
    fake.set_host("www.instagram.com", Reply(429, {"Retry-After": "60"}, ""))
    data, code = check(fake, traywatch_home)
    assert data["verdict"] == "ok", data["summary"]
    assert code == 0
    instagram = by_id(data)["instagram"]
    assert instagram["state"] == "up"
    assert instagram["note"] == "Instagram is limiting requests from your address (HTTP 429)"
    assert "Instagram is limiting requests from your address (HTTP 429) — not an outage." in data["summary"]


def test_watch_never_alerts_about_instagram_429_and_checks_it_less_often(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    fake.set_host("www.instagram.com", Reply(429, {"Retry-After": "30"}, ""))
    instagram_before = fake.web_requests("www.instagram.com")
    facebook_before = fake.web_requests("www.facebook.com")
    proc = fake.popen(
        [sys.executable, "-m", "traywatch", "watch", "--json", "--interval", "2"],
        env=env(traywatch_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(14)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    rounds = [x for x in lines if x["type"] == "round"]
    alerts = [x for x in lines if x["type"] == "alert"]
    assert len(rounds) >= 4, out
    assert alerts == []
    assert {r["verdict"] for r in rounds} == {"ok"}
    assert all(by_id(r)["instagram"]["state"] == "up" for r in rounds)
    assert all("limiting requests from your address" in by_id(r)["instagram"]["note"] for r in rounds)
    # Retry-After: 30 is obeyed (one request in 14 s); the other services keep their pace.
    assert fake.web_requests("www.instagram.com") - instagram_before == 1
    assert fake.web_requests("www.facebook.com") - facebook_before >= len(rounds)


@pytest.mark.parametrize(("rule", "how"), [("reject with tcp reset", "refused"), ("drop", "no answer")])
def test_whatsapp_chat_port_blocked_while_web_answers_is_a_note_not_degraded(
    fake: FakeInternet, traywatch_home: Path, rule: str, how: str
) -> None:
    port_rule(fake, rule)
    write_config(traywatch_home, fake, timeout=8.0)  # the default deadline
    before = fake.connections("g.whatsapp.net", "tcp:5222")
    data, code = check(fake, traywatch_home)
    # a dropped chat port does not hold the round to its 8 s deadline
    assert data["duration_ms"] < (FALLBACK_CONNECT_S + 1.5) * 1000
    assert fake.connections("g.whatsapp.net", "tcp:5222") == before  # the network really blocked it
    assert data["verdict"] == "ok", data["summary"]
    assert code == 0
    whatsapp = by_id(data)["whatsapp"]
    assert whatsapp["state"] == "up"
    note = f"your network blocks WhatsApp's port 5222 ({how}), so WhatsApp uses port 443 instead"
    assert whatsapp["note"] == note
    assert f"Your network blocks WhatsApp's port 5222 ({how})" in data["summary"]


def test_whatsapp_chat_port_blocked_and_web_failing_is_whatsapp_down(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    port_rule(fake, "reject with tcp reset")
    fake.set_host("web.whatsapp.com", Reply(503, HTML, "<title>Service Unavailable</title>"))
    data, code = check(fake, traywatch_home)
    assert data["verdict"] == "meta_partial", data["summary"]
    assert by_id(data)["whatsapp"]["state"] == "down"
    assert code == 1
