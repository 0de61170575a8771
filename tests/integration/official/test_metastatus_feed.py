"""A local fake metastatus.com over TLS: the poller reads it through the real HTTP stack and turns
malformed, huge, wrongly typed, slow, hanging or untrusted answers into clear states."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.integration.official.conftest import RecordingServer, settings
from tests.support.certs import CertBundle, make_certs
from tests.support.dns_server import LocalDNSServer
from tests.support.fake_web import FakeWebServer, Reply
from traywatch.core.metastatus.poller import OfficialStatusPoller
from traywatch.core.metastatus.status import OfficialState, OfficialStatus
from traywatch.core.settings.config import parse_config

ORGS = [
    {
        "id": "graph-api",
        "name": "Graph API",
        "services": [{"id": 1, "name": "Graph API", "status": "No known issues"}],
    },
    {
        "id": "fbs",
        "name": "Meta Business Suite",
        "services": [{"id": 2, "name": "Suite", "status": "Major disruptions"}],
    },
]
OUTAGES = [
    {
        "service_id": 2,
        "status": "Major disruptions",
        "time": "2024-03-05T15:05:00Z",
        "posts": [
            {"description": "Some people can't log in to Meta Business Suite", "time": "2024-03-05T15:17:00Z"}
        ],
    }
]


def poll(certs: CertBundle, base: str, timeout: float = 3.0) -> OfficialStatus:
    poller = OfficialStatusPoller.from_config(settings(certs, official_url=base, timeout=timeout))
    assert poller is not None
    try:
        return poller.poll()
    finally:
        poller.close()


NO_OUTAGES = Reply(200, {}, "[]")


def serve(web: FakeWebServer, orgs: Reply | str, outages: Reply | str = NO_OUTAGES) -> str:
    web.set_routes({"localhost": {"/data/orgs.json": orgs, "/data/outages/fbs.json": outages}})
    return f"https://localhost:{web.https_port}"


def test_a_real_fetch_over_tls_reads_orgs_and_the_outage(web: FakeWebServer, certs: CertBundle) -> None:
    base = serve(
        web,
        Reply(200, {"Content-Type": "application/json"}, json.dumps(ORGS)),
        Reply(200, {}, json.dumps(OUTAGES)),
    )
    status = poll(certs, base)
    assert status.state is OfficialState.MAJOR
    fbs = status.org("fbs")
    assert fbs is not None and fbs.detail == "Some people can't log in to Meta Business Suite"
    assert status.service_state("ads_manager") is OfficialState.MAJOR
    assert status.service_state("graph_api") is OfficialState.OK
    assert [p for _, _, _, p in web.request_log] == ["/data/orgs.json", "/data/outages/fbs.json"]


@pytest.mark.parametrize(
    ("reply", "detail"),
    [
        (Reply(200, {}, "{not json"), "status feed unreadable: orgs.json is not valid JSON"),
        (
            Reply(200, {}, "<!DOCTYPE html><title>Meta Status</title>"),
            "status feed unreadable: orgs.json is not valid JSON",
        ),
        (
            Reply(200, {}, json.dumps({"orgs": ORGS})),
            "orgs.json is not a list of organisations (JSON type: object)",
        ),
        (
            Reply(200, {}, json.dumps("all fine")),
            "orgs.json is not a list of organisations (JSON type: string)",
        ),
        (Reply(200, {}, b"[" + b'{"id": "x", "services": []},' * 100_000 + b"{}]"), "bigger than 2,048 KB"),
        (Reply(500, {}, "oops"), "Meta Status answered HTTP 500 for orgs.json"),
        (Reply(503, {"Retry-After": "600"}, ""), "Meta Status asks us to slow down (HTTP 503)"),
        ("garbage", "Meta Status did not answer: localhost"),
    ],
    ids=["malformed", "spa-shell", "dict", "string", "huge", "500", "503", "garbage"],
)
def test_bad_answers_give_a_clear_unavailable_state(
    web: FakeWebServer, certs: CertBundle, reply: Reply | str, detail: str
) -> None:
    status = poll(certs, serve(web, reply))
    assert status.state is OfficialState.UNAVAILABLE
    assert detail in status.detail


def test_services_of_the_wrong_type_make_that_org_unknown(web: FakeWebServer, certs: CertBundle) -> None:
    odd = [{"id": "graph-api", "services": "Graph API: ok"}, *ORGS[1:]]
    status = poll(certs, serve(web, Reply(200, {}, json.dumps(odd)), Reply(200, {}, json.dumps(OUTAGES))))
    graph = status.org("graph-api")
    assert (
        graph is not None
        and graph.state is OfficialState.UNKNOWN
        and graph.text == "services unreadable (a string)"
    )
    assert status.state is OfficialState.MAJOR  # the rest of the feed still counts


@pytest.mark.parametrize("reply", [Reply(200, {}, json.dumps(ORGS), delay=4.0), "hang"], ids=["slow", "hang"])
def test_a_slow_or_silent_server_times_out_with_a_clear_state(
    web: FakeWebServer, certs: CertBundle, reply: Reply | str
) -> None:
    start = time.monotonic()
    status = poll(certs, serve(web, reply), timeout=1.0)
    assert time.monotonic() - start < 3.0
    assert status.state is OfficialState.UNAVAILABLE
    assert status.detail == "Meta Status did not answer: localhost did not answer within 1 s"


def test_a_server_trickling_a_body_is_cut_off_by_the_deadline(certs: CertBundle, tmp_path: Path) -> None:
    import socket
    import ssl
    import threading

    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(certs.server_file))
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def trickle() -> None:
        conn, _ = listener.accept()
        with ctx.wrap_socket(conn, server_side=True) as tls:
            tls.recv(65536)
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n[")
            while not stop.wait(0.3):
                try:
                    tls.sendall(b" ")
                except OSError:
                    return

    threading.Thread(target=trickle, daemon=True).start()
    try:
        start = time.monotonic()
        status = poll(certs, f"https://localhost:{port}", timeout=1.5)
        assert time.monotonic() - start < 4.0
    finally:
        stop.set()
        listener.close()
    assert status.detail == "Meta Status did not answer: localhost did not finish its answer within 2 s"


def test_an_untrusted_certificate_is_refused(web: FakeWebServer, certs: CertBundle, tmp_path: Path) -> None:
    rogue = make_certs(tmp_path, ["localhost"])  # same name, another CA
    with FakeWebServer(
        {"localhost": {"/data/orgs.json": Reply(200, {}, json.dumps(ORGS))}},
        certfile=rogue.server_file,
        ca_file=rogue.ca_file,
    ) as other:
        status = poll(certs, f"https://localhost:{other.https_port}")
    assert status.state is OfficialState.UNAVAILABLE
    assert "secure connection to localhost failed: " in status.detail


def test_conditional_requests_and_304_keep_the_previous_data(certs: CertBundle) -> None:
    body = json.dumps(ORGS[:1]).encode()

    def answer(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if headers.get("If-None-Match") == '"v7"':
            return 304, {"ETag": '"v7"'}, b""
        return 200, {"ETag": '"v7"', "Last-Modified": "Tue, 05 Mar 2024 15:00:00 GMT"}, body

    with RecordingServer(certs, answer) as server:
        poller = OfficialStatusPoller.from_config(settings(certs, official_url=server.url))
        assert poller is not None
        first, second = poller.poll(), poller.poll()
        poller.close()
    assert first.state is second.state is OfficialState.OK
    assert second.org("graph-api") == first.org("graph-api")
    assert "If-None-Match" not in server.seen[0].headers
    assert server.seen[1].headers["If-None-Match"] == '"v7"'
    assert server.seen[1].headers["If-Modified-Since"] == "Tue, 05 Mar 2024 15:00:00 GMT"
    assert server.seen[1].headers["User-Agent"].startswith("traywatch/")


def test_the_configured_nameservers_are_used_for_meta_status(web: FakeWebServer, certs: CertBundle) -> None:
    web.set_routes({"metastatus.com": {"/data/orgs.json": Reply(200, {}, json.dumps(ORGS[:1]))}})
    with LocalDNSServer({"metastatus.com": ["127.0.0.1"]}) as dns:
        config = parse_config(
            {
                "network": {"nameservers": [dns.nameserver], "ca_file": str(certs.ca_file)},
                "official": {"base_url": f"https://metastatus.com:{web.https_port}"},
            },
            "test",
        )
        poller = OfficialStatusPoller.from_config(config)
        assert poller is not None
        status = poller.poll()
        poller.close()
        dns.load({}, replace=True)
        poller = OfficialStatusPoller.from_config(config)
        assert poller is not None
        gone = poller.poll()
        poller.close()
    assert status.state is OfficialState.OK
    assert gone.state is OfficialState.UNAVAILABLE and "metastatus.com" in gone.detail
