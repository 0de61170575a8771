"""Self-tests of tests.support.fake_web: routing, TLS, behaviours, counters, CLI."""

from __future__ import annotations

import http.client
import json
import os
import select
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.catalogue import REPO_ROOT
from tests.support.certs import make_cert_suite
from tests.support.fake_web import (
    FakeWebServer,
    FetchResult,
    Reply,
    config_to_json,
    fetch,
    healthy_meta_routes,
)


@pytest.fixture
def web() -> Iterator[FakeWebServer]:
    with FakeWebServer(healthy_meta_routes()) as server:
        yield server


def get(web: FakeWebServer, url: str, timeout: float = 3.0) -> FetchResult:
    """Fetch `url` from the in-process server (by address, with SNI/Host from the URL)."""
    port = web.https_port if url.startswith("https:") else web.http_port
    assert port is not None
    return fetch(url, connect_to=("127.0.0.1", port), ca_file=web.ca_file, timeout=timeout)


def test_http_routes(web: FakeWebServer) -> None:
    res = get(web, "http://connectivitycheck.gstatic.com/generate_204")
    assert res.status == 204 and res.body == b""
    res = get(web, "http://www.msftconnecttest.com/connecttest.txt")
    assert res.status == 200 and res.text == "Microsoft Connect Test"
    assert get(web, "http://captive.apple.com/other").status == 404  # global fallback
    assert web.requests("connectivitycheck.gstatic.com") == 1
    assert web.requests(path="/connecttest.txt") == 1


def test_https_verified_with_ca(web: FakeWebServer) -> None:
    res = get(web, "https://www.facebook.com/")
    assert res.status == 200 and "<html" in res.text
    res = get(web, "https://graph.facebook.com/me")
    assert res.status == 400
    assert res.headers["content-type"].startswith("application/json")
    assert json.loads(res.body)["error"]["fbtrace_id"] == "AbC123"
    res = get(web, "https://adsmanager.facebook.com/")
    assert res.status == 302 and res.headers["location"] == "https://www.facebook.com/login/"


def test_https_with_http_client_and_standard_verification(web: FakeWebServer) -> None:
    ctx = ssl.create_default_context(cafile=str(web.ca_file))
    conn = http.client.HTTPSConnection("localhost", web.https_port, context=ctx, timeout=3)
    conn.request("GET", "/cdn-cgi/trace", headers={"Host": "www.cloudflare.com"})
    res = conn.getresponse()
    assert res.status == 200 and b"h=www.cloudflare.com" in res.read()
    conn.close()


def test_https_rejected_without_ca(web: FakeWebServer) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        fetch("https://www.facebook.com/", connect_to=("127.0.0.1", web.https_port or 0))


def test_runtime_routes_and_defaults(web: FakeWebServer) -> None:
    web.set_route("www.facebook.com", "/", Reply(503, {"Retry-After": "30"}, "busy"))
    res = get(web, "https://www.facebook.com/")
    assert res.status == 503 and res.headers["retry-after"] == "30"
    web.set_default("new.example", Reply(201, {}, "created"))
    assert get(web, "http://new.example/any/path?q=1").status == 201
    web.set_default("www.threads.com", Reply(201, {}, "both schemes"))
    web.set_route("https://www.threads.com", "*", Reply(202))
    assert get(web, "https://www.threads.com/x").status == 202
    assert get(web, "http://www.threads.com/x").status == 201
    web.set_fallback(Reply(410, {}, "gone"))
    assert get(web, "http://unknown.example/").status == 410
    web.remove_route("new.example")
    assert get(web, "http://new.example/x").status == 410


def test_redirect_and_slow(web: FakeWebServer) -> None:
    web.set_route("a.example", "/", "redirect:http://login.portal.example/")
    res = get(web, "http://a.example/")
    assert res.status == 302 and res.headers["location"] == "http://login.portal.example/"
    web.set_route("a.example", "/slow", "slow:0.4")
    start = time.monotonic()
    assert get(web, "http://a.example/slow").status == 200
    assert 0.35 < time.monotonic() - start < 3
    web.set_route("a.example", "/slow", "slow:5")
    with pytest.raises(TimeoutError):
        get(web, "http://a.example/slow", timeout=0.3)


def test_hang(web: FakeWebServer) -> None:
    web.set_host("www.instagram.com", "hang")
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        get(web, "https://www.instagram.com/", timeout=0.5)
    assert time.monotonic() - start < 2
    assert web.requests("www.instagram.com") == 1


def test_reset(web: FakeWebServer) -> None:
    web.set_host("www.instagram.com", "reset")
    with pytest.raises(ConnectionResetError):
        get(web, "http://www.instagram.com/")
    with pytest.raises((ConnectionResetError, ssl.SSLError)):
        get(web, "https://www.instagram.com/")


def test_garbage_and_close(web: FakeWebServer) -> None:
    web.set_route("www.instagram.com", "/", "garbage")
    with pytest.raises(http.client.BadStatusLine):
        get(web, "https://www.instagram.com/")
    web.set_route("www.instagram.com", "/", "close")
    with pytest.raises(http.client.RemoteDisconnected):
        get(web, "http://www.instagram.com/")
    with pytest.raises(ValueError):
        web.set_route("x.example", "/", "explode")


def connect_and_read(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        return sock.recv(1)


def test_tcp_port_accepts_and_counts(web: FakeWebServer) -> None:
    assert web.tcp_port
    with socket.create_connection(("127.0.0.1", web.tcp_port), timeout=2) as sock:
        sock.settimeout(0.2)
        with pytest.raises(TimeoutError):
            sock.recv(1)  # accepted, silent
    web.set_tcp_behaviour(None, "reset")
    # A timeout socket connects non-blocking: the RST can already be pending when connect()
    # collects its result, so the reset shows up in connect() or in the first recv().
    with pytest.raises(ConnectionResetError):
        connect_and_read(web.tcp_port)
    assert web.connections(f"tcp:{web.tcp_port}") == 2
    assert web.connections(ip="127.0.0.1") == 2


def test_head_and_byte_counters(web: FakeWebServer) -> None:
    res = fetch(
        "http://www.msftconnecttest.com/connecttest.txt",
        connect_to=("127.0.0.1", web.http_port or 0),
        method="HEAD",
    )
    assert res.status == 200 and res.body == b"" and res.headers["content-length"] == "22"
    assert web.bytes_in > 0 and web.bytes_out > 0
    web.reset_stats()
    assert web.bytes_in == 0 and web.requests() == 0


def test_sni_selects_untrusted_cert(tmp_path: Path) -> None:
    suite = make_cert_suite(tmp_path)
    with FakeWebServer(
        healthy_meta_routes(),
        certfile=suite.trusted.server_file,
        ca_file=suite.ca_file,
        extra_certs={
            "untrusted": suite.untrusted.server_file,
            "expired": suite.expired.server_file,
        },
    ) as web:
        assert get(web, "https://www.facebook.com/").status == 200
        web.set_cert("www.facebook.com", "untrusted")
        with pytest.raises(ssl.SSLCertVerificationError, match="unable to get local issuer"):
            get(web, "https://www.facebook.com/")
        assert get(web, "https://www.instagram.com/").status == 200
        res = fetch(
            "https://www.facebook.com/",
            connect_to=("127.0.0.1", web.https_port or 0),
            ca_file=suite.untrusted.ca_file,
        )
        assert res.status == 200  # the interceptor's own CA would accept it
        web.set_cert("*", "expired")
        with pytest.raises(ssl.SSLCertVerificationError, match="expired"):
            get(web, "https://www.instagram.com/")
        deadline = time.monotonic() + 2  # the server notices the client's alert a bit later
        while web.tls_failures < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert web.tls_failures == 2


def test_cli_routes_file(tmp_path: Path) -> None:
    routes = tmp_path / "routes.json"
    stats = tmp_path / "stats.json"
    routes.write_text(json.dumps(config_to_json(healthy_meta_routes())))
    cmd = [sys.executable, "-m", "tests.support.fake_web", "--bind", "127.0.0.1"]
    cmd += ["--http-port", "0", "--https-port", "-1", "--tcp-port", "0"]
    cmd += ["--routes", str(routes), "--stats", str(stats)]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)),
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 10)
        assert ready, "no ready line"
        fields = proc.stdout.readline().split()
        assert fields[0] == "ready"
        port = int(dict(f.split("=") for f in fields[1:])["http"])
        url = "http://connectivitycheck.gstatic.com/generate_204"
        assert fetch(url, connect_to=("127.0.0.1", port)).status == 204
        changed = {"connectivitycheck.gstatic.com": {"*": Reply(500, {}, "down")}}
        routes.write_text(json.dumps(config_to_json(changed)))
        assert fetch(url, connect_to=("127.0.0.1", port)).status == 500
        data = json.loads(stats.read_text())
        assert data["requests"]["connectivitycheck.gstatic.com"]["/generate_204"] == 2
    finally:
        proc.terminate()
        proc.wait(timeout=5)
