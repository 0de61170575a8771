"""Company proxies: HTTPS_PROXY / HTTP_PROXY are honoured (CONNECT tunnels, absolute-form GETs),
TLS is still verified end to end, and a proxy that cannot reach a site fails at layer tcp."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest

from tests.integration.conftest import LocalInternet
from traywatch.core.models import Layer, ServiceState, Verdict
from traywatch.core.watch.engine import Engine


class TinyProxy:
    """A forward proxy on 127.0.0.1: CONNECT tunnels and absolute-form plain requests."""

    def __init__(self, refuse_host: str | None = None) -> None:
        self.refuse_host = refuse_host
        self.seen: list[str] = []
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def close(self) -> None:
        self._sock.close()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            method, target = head.split(b" ", 2)[:2]
            self.seen.append(f"{method.decode()} {target.decode()}")
            if method == b"CONNECT":
                host, _, port = target.decode().rpartition(":")
                if host == self.refuse_host:
                    conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
                    return
                upstream = socket.create_connection(("127.0.0.1", int(port)))
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                rest = b""
            else:
                url = target.decode().split("://", 1)[1]
                hostport, _, path = url.partition("/")
                upstream = socket.create_connection(("127.0.0.1", int(hostport.rpartition(":")[2])))
                rest = head.replace(target, b"/" + path.encode(), 1)
            with upstream:
                upstream.sendall(rest)
                pump = threading.Thread(target=_copy, args=(upstream, conn), daemon=True)
                pump.start()
                _copy(conn, upstream)
                pump.join(5)


def _copy(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[TinyProxy]:
    p = TinyProxy(refuse_host="www.threads.com")
    url = f"http://127.0.0.1:{p.port}"
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield p
    p.close()


def test_probes_go_through_the_environment_proxy_with_tls_verified(
    net: LocalInternet, proxy: TinyProxy
) -> None:
    with Engine(net.config()) as engine:
        rnd = engine.run_round()
    facebook = rnd.service("facebook")
    assert facebook is not None and facebook.state is ServiceState.UP
    assert any(s.startswith("CONNECT www.facebook.com:") for s in proxy.seen)
    assert any(s.startswith("GET http://connectivitycheck.gstatic.com:") for s in proxy.seen)
    threads = rnd.service("threads")
    assert threads is not None and threads.failed_layer is Layer.TCP
    assert "proxy" in threads.detail
    assert rnd.verdict is Verdict.META_PARTIAL


def test_no_proxy_bypasses_the_proxy(
    net: LocalInternet, proxy: TinyProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_PROXY", "*")
    with Engine(net.config()) as engine:
        rnd = engine.run_round()
    assert rnd.verdict is Verdict.OK
    assert proxy.seen == []
