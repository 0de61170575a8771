"""End to end with the system resolver hanging for real: `traywatch check` must END (not only
report) within its deadline.

A namespace with only loopback, whose resolv.conf names 127.0.0.1, where a UDP socket on port 53
reads every query and never answers. getaddrinfo then waits out the C library's own timeouts
(5 s x 2 attempts by default), far past `[check] timeout`; the probe threads stuck in it must not
hold the process at exit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_netns_check import check, write_config
from tests.support.netns import ETC_NETNS, NoRouteNamespace, skip_unless_netns

pytestmark = pytest.mark.netns

TIMEOUT_S = 3

# Reads DNS queries on 127.0.0.1:53 and never answers (no ICMP "port unreachable" either).
SILENT_DNS = """
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
print("ready", flush=True)
while True:
    s.recv(65535)
"""


def test_check_exits_within_its_deadline_while_the_system_resolver_hangs(traywatch_home: Path) -> None:
    skip_unless_netns()
    write_config(traywatch_home, f"[check]\ntimeout = {TIMEOUT_S}\n")
    with NoRouteNamespace() as ns:  # close() also removes /etc/netns/<name>
        etc = ETC_NETNS / ns.name
        etc.mkdir(parents=True, exist_ok=True)
        (etc / "resolv.conf").write_text("nameserver 127.0.0.1\n")  # default timeouts on purpose
        (etc / "hosts").write_text("127.0.0.1 localhost\n::1 localhost ip6-localhost\n")
        dns = ns.popen([sys.executable, "-c", SILENT_DNS], stdout=subprocess.PIPE, text=True)
        assert dns.stdout is not None
        assert dns.stdout.readline().strip() == "ready"

        data, code, elapsed = check(ns, traywatch_home)
        assert dns.poll() is None, "the silent DNS server died, so lookups did not hang"

    assert data["verdict"] == "internet_down", data["summary"]
    assert code == 3
    assert data["duration_ms"] < (TIMEOUT_S + 1) * 1000
    reported = data["duration_ms"] / 1000
    assert elapsed < TIMEOUT_S + 2, f"check reported after {reported:.1f} s but ended after {elapsed:.1f} s"
