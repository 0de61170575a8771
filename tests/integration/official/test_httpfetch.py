"""The requests-based HTTP client under the status poller and the Graph API checker: answers
decoded, redirects followed only when asked (dropping the token when they leave the host),
proxies tunnelled, and every failure a FetchError at its layer."""

from __future__ import annotations

import gzip
import socket
import ssl
from collections.abc import Iterator

import pytest

from tests.integration.official.conftest import RecordingServer
from tests.integration.test_proxy import TinyProxy
from tests.support.certs import CertBundle
from traywatch.core.models import Layer
from traywatch.core.net.httpfetch import FetchError, HttpClient


def answer(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    port = headers["Host"].rpartition(":")[2]
    if path == "/gzip":
        return 200, {"Content-Encoding": "gzip", "ETag": '"g"'}, gzip.compress(b'{"ok": true}' * 50)
    if path.startswith("/hop/"):
        left = int(path.rsplit("/", 1)[1])
        return 302, {"Location": f"/hop/{left - 1}" if left else "/token"}, b""
    if path == "/away":  # the same server under another name: the token must not follow
        return 301, {"Location": f"https://127.0.0.1:{port}/token"}, b""
    if path == "/loop":
        return 302, {"Location": "/loop"}, b""
    if path == "/token":
        return 200, {}, headers.get("Authorization", "none").encode()
    return 404, {}, b"not here"


@pytest.fixture
def server(certs: CertBundle) -> Iterator[RecordingServer]:
    with RecordingServer(certs, answer) as s:
        yield s


@pytest.fixture
def client(certs: CertBundle) -> HttpClient:
    return HttpClient(ssl.create_default_context(cafile=str(certs.ca_file)), timeout_s=2.0)


def test_a_gzip_answer_is_decoded_and_headers_come_in_lower_case(
    server: RecordingServer, client: HttpClient
) -> None:
    got = client.get(f"{server.url}/gzip", {"If-None-Match": '"x"'})
    assert (got.status, got.body, got.header("ETag")) == (200, b'{"ok": true}' * 50, '"g"')
    assert "etag" in got.headers
    sent = server.seen[0].headers
    assert sent["If-None-Match"] == '"x"' and sent["Accept"] == "application/json"
    assert sent["Host"] == f"localhost:{server.port}" and "gzip" in sent["Accept-Encoding"]


def test_redirects_only_when_asked_and_the_token_stays_on_its_host(
    server: RecordingServer, client: HttpClient
) -> None:
    auth = {"Authorization": "Bearer secret"}
    assert client.get(f"{server.url}/hop/2", auth).status == 302
    assert client.get(f"{server.url}/hop/2", auth, follow_redirects=True).body == b"Bearer secret"
    assert client.get(f"{server.url}/away", auth, follow_redirects=True).body == b"none"
    with pytest.raises(FetchError) as circles:
        client.get(f"{server.url}/loop", follow_redirects=True)
    assert circles.value.layer is Layer.HTTP and "redirects in circles" in circles.value.detail


def test_the_environment_proxy_tunnels_and_a_refusing_proxy_is_layer_tcp(
    server: RecordingServer, client: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for refuse, expect in ((None, 200), ("localhost", None)):
        proxy = TinyProxy(refuse_host=refuse)
        monkeypatch.setenv("HTTPS_PROXY", f"127.0.0.1:{proxy.port}")  # no scheme: an HTTP proxy
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        try:
            if expect:
                assert client.get(f"{server.url}/gzip").status == expect
            else:
                with pytest.raises(FetchError) as refused:
                    client.get(f"{server.url}/gzip")
                assert refused.value.layer is Layer.TCP
                assert refused.value.detail == "the proxy did not reach localhost"
        finally:
            proxy.close()
        assert proxy.seen and proxy.seen[0].startswith(f"CONNECT localhost:{server.port}")


def test_failures_name_their_layer(certs: CertBundle, client: HttpClient) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    cases = [
        (f"https://localhost:{port}/", Layer.TCP, "localhost could not be reached"),
        ("https://nothing.invalid/", Layer.DNS, "nothing.invalid"),
        ("ftp://localhost/", Layer.HTTP, "not a usable answer (InvalidSchema)"),
    ]
    for url, layer, words in cases:
        with pytest.raises(FetchError) as failed:
            client.get(url)
        assert failed.value.layer is layer and words in failed.value.detail, url
