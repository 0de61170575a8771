"""Self-tests of tests.support.dns_server: answers, error codes, silence, counters, CLI."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver
import pytest

from tests.support.catalogue import REPO_ROOT
from tests.support.dns_server import LocalDNSServer, parse_hostport


def ask(
    server: tuple[str, int], name: str, rdtype: str = "A", *, tcp: bool = False, timeout: float = 2
) -> dns.message.Message:
    query = dns.message.make_query(name, rdtype)
    send = dns.query.tcp if tcp else dns.query.udp
    return send(query, server[0], port=server[1], timeout=timeout)


def addresses(msg: dns.message.Message) -> list[str]:
    return sorted(rd.to_text() for rrset in msg.answer for rd in rrset)


@pytest.fixture
def srv() -> Iterator[LocalDNSServer]:
    records = {"www.facebook.com": ["100.64.1.1"], "dual.example": ["100.64.9.9", "2001:db8::9"]}
    with LocalDNSServer(records) as server:
        yield server


def test_a_and_aaaa_answers(srv: LocalDNSServer) -> None:
    assert addresses(ask(srv.address, "www.facebook.com")) == ["100.64.1.1"]
    assert addresses(ask(srv.address, "dual.example", "AAAA")) == ["2001:db8::9"]
    assert addresses(ask(srv.address, "dual.example", "A")) == ["100.64.9.9"]
    nodata = ask(srv.address, "www.facebook.com", "AAAA")
    assert nodata.rcode() == dns.rcode.NOERROR and not nodata.answer


def test_names_are_case_insensitive_and_dot_optional(srv: LocalDNSServer) -> None:
    assert addresses(ask(srv.address, "WWW.FaceBook.com.")) == ["100.64.1.1"]
    srv.set("Graph.Facebook.COM.", ["100.64.1.2"])
    assert addresses(ask(srv.address, "graph.facebook.com")) == ["100.64.1.2"]
    assert srv.queries("GRAPH.facebook.com.") == 1


@pytest.mark.parametrize(
    ("behaviour", "rcode"),
    [
        ("servfail", dns.rcode.SERVFAIL),
        ("nxdomain", dns.rcode.NXDOMAIN),
        ("refused", dns.rcode.REFUSED),
        ("empty", dns.rcode.NOERROR),
    ],
)
def test_error_behaviours(srv: LocalDNSServer, behaviour: str, rcode: dns.rcode.Rcode) -> None:
    srv.set("www.facebook.com", behaviour)
    for tcp in (False, True):
        reply = ask(srv.address, "www.facebook.com", tcp=tcp)
        assert reply.rcode() == rcode
        assert not reply.answer


def test_timeout_never_answers(srv: LocalDNSServer) -> None:
    srv.set("www.facebook.com", "timeout")
    start = time.monotonic()
    with pytest.raises(dns.exception.Timeout):
        ask(srv.address, "www.facebook.com", timeout=0.3)
    assert time.monotonic() - start < 2
    assert srv.queries("www.facebook.com") == 1


def test_unknown_names_and_default(srv: LocalDNSServer) -> None:
    assert ask(srv.address, "nope.example").rcode() == dns.rcode.NXDOMAIN
    srv.set_default("servfail")
    assert ask(srv.address, "nope.example").rcode() == dns.rcode.SERVFAIL
    srv.set_default(["100.64.7.7"])
    assert addresses(ask(srv.address, "anything.example")) == ["100.64.7.7"]


def test_wildcard(srv: LocalDNSServer) -> None:
    srv.set("*.fbcdn.net", ["100.64.1.50"])
    assert addresses(ask(srv.address, "static.xx.fbcdn.net")) == ["100.64.1.50"]
    assert ask(srv.address, "fbcdn.net").rcode() == dns.rcode.NXDOMAIN


def test_tcp_answers(srv: LocalDNSServer) -> None:
    assert addresses(ask(srv.address, "www.facebook.com", tcp=True)) == ["100.64.1.1"]
    assert srv.query_log[-1] == ("www.facebook.com", "A", "tcp")


def test_counters_and_resolver(srv: LocalDNSServer) -> None:
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [srv.address[0]]
    resolver.port = srv.address[1]
    resolver.lifetime = 2
    answer = resolver.resolve("www.facebook.com", "A")
    assert [rd.to_text() for rd in answer] == ["100.64.1.1"]
    assert srv.queries("www.facebook.com") == 1
    assert srv.queries("other.example") == 0
    assert srv.total_queries == 1
    srv.reset_counts()
    assert srv.queries("www.facebook.com") == 0


def test_nameserver_string_and_invalid_behaviour(srv: LocalDNSServer) -> None:
    host, port = srv.address
    assert srv.nameserver == f"{host}:{port}" and port > 0
    assert parse_hostport(srv.nameserver) == (host, port)
    assert parse_hostport("[::1]:5353") == ("::1", 5353)
    with pytest.raises(ValueError):
        srv.set("x.example", "explode")
    with pytest.raises(ValueError):
        srv.set("x.example", ["not-an-ip"])


def test_cli_serves_zone_and_reloads(tmp_path: Path) -> None:
    zone = tmp_path / "zone.json"
    stats = tmp_path / "stats.json"
    zone.write_text(json.dumps({"records": {"www.facebook.com": ["100.64.1.1"]}}))
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    cmd = [sys.executable, "-m", "tests.support.dns_server", "--bind", "127.0.0.1:0"]
    proc = subprocess.Popen(
        [*cmd, "--zone", str(zone), "--stats", str(stats)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env=env,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 10)
        assert ready, "no ready line"
        line = proc.stdout.readline().split()
        assert line[0] == "ready"
        server = parse_hostport(line[1])
        assert addresses(ask(server, "www.facebook.com")) == ["100.64.1.1"]
        zone.write_text(json.dumps({"records": {"www.facebook.com": "servfail"}}))
        assert ask(server, "www.facebook.com").rcode() == dns.rcode.SERVFAIL
        assert json.loads(stats.read_text())["queries"]["www.facebook.com"] == 2
    finally:
        proc.terminate()
        proc.wait(timeout=5)
