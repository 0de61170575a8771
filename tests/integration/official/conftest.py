"""Local stand-ins for metastatus.com and graph.facebook.com over TLS with a test CA.

`FakeWebServer` (routes, delays, "hang"/"garbage") serves most cases; `RecordingServer` is a tiny
HTTPS server whose answers come from a function and which keeps every request's path and
headers, for what FakeWebServer does not show (If-None-Match, Authorization).
"""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.certs import CertBundle, make_certs
from tests.support.fake_web import FakeWebServer
from traywatch.core.settings.config import Config, parse_config

NAMES = ["metastatus.com", "graph.facebook.com", "localhost", "127.0.0.1"]
Answer = tuple[int, dict[str, str], bytes]
Handler = Callable[[str, dict[str, str]], Answer]


@dataclass
class Seen:
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class RecordingServer:
    """HTTPS on 127.0.0.1; `handler(path, headers)` -> (status, headers, body)."""

    def __init__(self, certs: CertBundle, handler: Handler) -> None:
        self.handler = handler
        self.seen: list[Seen] = []
        outer = self

        class _Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {k: v for k, v in self.headers.items()}
                outer.seen.append(Seen(self.path, headers))
                status, extra, body = outer.handler(self.path, headers)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(str(certs.server_file))
        self._server.socket = ctx.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}"

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> CertBundle:
    return make_certs(tmp_path_factory.mktemp("official-certs"), NAMES)


@pytest.fixture
def web(certs: CertBundle) -> Iterator[FakeWebServer]:
    with FakeWebServer({}, certfile=certs.server_file, ca_file=certs.ca_file, read_timeout=5.0) as server:
        yield server


def settings(
    certs: CertBundle, *, official_url: str = "", graph_url: str = "", timeout: float = 3.0
) -> Config:
    data: dict[str, object] = {"check": {"timeout": timeout}, "network": {"ca_file": str(certs.ca_file)}}
    if official_url:
        data["official"] = {"base_url": official_url, "interval": 60}
    if graph_url:
        data["account"] = {"graph_base_url": graph_url}
    return parse_config(data, "test config", Path("."))
