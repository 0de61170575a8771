"""Self-tests of tests.support.netns (root + ip netns + nft; skipped otherwise).

One FakeInternet is shared by the module (start ~0.2 s); `net` resets it between tests.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fake_web import Reply
from tests.support.netns import (
    ETC_NETNS,
    NETNS_DIR,
    OWNER_DIR,
    FakeInternet,
    NoRouteNamespace,
    reap_stale_namespaces,
    skip_unless_netns,
)

pytestmark = pytest.mark.netns

FETCH = """
import socket, ssl, sys, time, urllib.request
url, ca, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
ctx = ssl.create_default_context(cafile=ca)
start = time.monotonic()
try:
    with urllib.request.urlopen(url, context=ctx, timeout=timeout) as res:
        print(res.status, res.read().decode()[:200].replace(chr(10), " "))
except Exception as exc:
    print("ERR", type(exc).__name__, exc)
print("ELAPSED", round(time.monotonic() - start, 3))
"""

CONNECT = """
import socket, sys, time
start = time.monotonic()
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3])).close()
    print("CONNECTED")
except Exception as exc:
    print("ERR", type(exc).__name__, exc)
print("ELAPSED", round(time.monotonic() - start, 3))
"""


def elapsed(out: str) -> float:
    return float(out.rsplit("ELAPSED", 1)[1])


@pytest.fixture(scope="module")
def internet() -> Iterator[FakeInternet]:
    skip_unless_netns()
    with FakeInternet() as net:
        yield net


@pytest.fixture
def net(internet: FakeInternet) -> Iterator[FakeInternet]:
    yield internet
    internet.reset()


def fetch_in(net: FakeInternet, url: str, timeout: float = 3.0) -> str:
    proc = net.run([sys.executable, "-c", FETCH, url, str(net.ca_file), str(timeout)], timeout=15)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def connect_in(net: FakeInternet, ip: str, port: int, timeout: float) -> str:
    proc = net.run([sys.executable, "-c", CONNECT, ip, str(port), str(timeout)], timeout=15)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_getent_resolves_to_fake_ip(net: FakeInternet) -> None:
    before = net.dns_queries("www.facebook.com")
    proc = net.run(["getent", "hosts", "www.facebook.com"], timeout=10)
    assert proc.returncode == 0
    assert proc.stdout.split()[0] == net.ip_of("www.facebook.com")
    assert net.ip_of("www.facebook.com").startswith("100.64.1.")
    assert net.ip_of("connectivitycheck.gstatic.com").startswith("100.64.2.")
    assert net.dns_queries("www.facebook.com") > before


def test_https_fetch_with_ca(net: FakeInternet) -> None:
    out = fetch_in(net, "https://www.facebook.com/")
    assert out.startswith("200 "), out
    out = fetch_in(net, "http://connectivitycheck.gstatic.com/generate_204")
    assert out.startswith("204"), out
    assert net.web_requests("www.facebook.com", "/") >= 1


def test_drop_makes_connect_time_out(net: FakeInternet) -> None:
    ip = net.ip_of("www.facebook.com")
    assert "CONNECTED" in connect_in(net, ip, 443, 1.0)
    net.drop(["www.facebook.com"])
    out = connect_in(net, ip, 443, 1.0)
    assert "ERR TimeoutError" in out and 0.9 < elapsed(out) < 2.5, out
    assert "CONNECTED" in connect_in(net, net.ip_of("www.instagram.com"), 443, 1.0)
    net.undrop()
    assert "CONNECTED" in connect_in(net, ip, 443, 1.0)


def test_drop_group_and_tcp_port(net: FakeInternet) -> None:
    ip = net.ip_of("g.whatsapp.net")
    assert "CONNECTED" in connect_in(net, ip, 5222, 1.0)
    assert net.connections("g.whatsapp.net", "tcp:5222") >= 1
    net.drop("meta")
    assert "TimeoutError" in connect_in(net, ip, 5222, 0.5)
    assert "CONNECTED" in connect_in(net, net.ip_of("www.google.com"), 443, 1.0)


def test_set_routes_and_dns(net: FakeInternet) -> None:
    net.set_host("www.facebook.com", Reply(500, {}, "Sorry, something went wrong"))
    out = fetch_in(net, "https://www.facebook.com/")
    assert "ERR HTTPError" in out and "500" in out, out
    net.set_dns("www.facebook.com", "servfail")
    assert net.run(["getent", "hosts", "www.facebook.com"], timeout=10).returncode != 0
    net.set_dns("www.facebook.com", "timeout")
    out = fetch_in(net, "https://www.facebook.com/")
    assert "ERR URLError" in out and elapsed(out) < 4, out


def test_tls_interception(net: FakeInternet) -> None:
    net.set_tls("untrusted", ["www.instagram.com"])
    out = fetch_in(net, "https://www.instagram.com/")
    assert "CERTIFICATE_VERIFY_FAILED" in out, out
    assert fetch_in(net, "https://www.facebook.com/").startswith("200 ")


def test_veth_bytes_counts_traffic(net: FakeInternet) -> None:
    before = net.veth_bytes()
    fetch_in(net, "https://www.facebook.com/")
    used = net.veth_bytes() - before
    assert 1000 < used < 50_000, used


def test_no_route_namespace_fails_immediately() -> None:
    skip_unless_netns()
    with NoRouteNamespace() as ns:
        name = ns.name
        proc = ns.run([sys.executable, "-c", CONNECT, "100.64.1.1", "443", "5"], timeout=10)
        assert "ERR OSError" in proc.stdout and "unreachable" in proc.stdout, proc.stdout
        assert elapsed(proc.stdout) < 0.5
        assert (NETNS_DIR / name).exists()
    assert not (NETNS_DIR / name).exists()


def test_cleanup_removes_everything() -> None:
    skip_unless_netns()
    start = time.monotonic()
    with FakeInternet() as net:
        names = (net.client, net.server)
        workdir = net.workdir
        assert (ETC_NETNS / net.client / "resolv.conf").is_file()
        assert net.run(["cat", "/etc/resolv.conf"]).stdout.startswith("nameserver 100.64.0.2")
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    for name in names:
        assert name not in listed
        assert not (ETC_NETNS / name).exists()
    assert not Path(workdir).exists()
    assert time.monotonic() - start < 5


def test_reaper_removes_namespaces_of_dead_owners() -> None:
    skip_unless_netns()
    name = f"tw-n-{secrets.token_hex(3)}"
    proc = subprocess.Popen(["true"])
    proc.wait()
    OWNER_DIR.mkdir(parents=True, exist_ok=True)
    (OWNER_DIR / name).write_text(f"{proc.pid} 1\n")  # a pid that has exited
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        (ETC_NETNS / name).mkdir(parents=True)
        assert name in reap_stale_namespaces()
        assert not (NETNS_DIR / name).exists()
        assert not (ETC_NETNS / name).exists()
        assert not (OWNER_DIR / name).exists()
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False, capture_output=True)
        shutil.rmtree(ETC_NETNS / name, ignore_errors=True)
        (OWNER_DIR / name).unlink(missing_ok=True)


def test_reaper_keeps_live_namespaces(internet: FakeInternet) -> None:
    assert internet.client not in reap_stale_namespaces()
    assert (NETNS_DIR / internet.client).exists()
