"""A one-request HTTP(S) client for tests of the fake web, connecting to a given address
instead of resolving the name (like curl --connect-to)."""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.support._control import close_quietly


@dataclass(frozen=True)
class FetchResult:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def fetch(
    url: str,
    *,
    connect_to: tuple[str, int] | None = None,
    ca_file: str | Path | None = None,
    timeout: float = 5.0,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
) -> FetchResult:
    """One HTTP(S) request to `url`, connecting to `connect_to` (like curl --connect-to)
    instead of resolving the name. TLS is verified against `ca_file` with SNI = the URL's
    host. Redirects are not followed. Errors propagate (timeouts, resets, ssl errors,
    http.client.BadStatusLine / RemoteDisconnected)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = connect_to or (host, port)
    raw = socket.create_connection(address, timeout=timeout)
    sock: socket.socket = raw
    try:
        if parts.scheme == "https":
            ctx = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
            sock = ctx.wrap_socket(raw, server_hostname=host)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
        lines.extend(f"{k}: {v}" for k, v in (headers or {}).items())
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("iso-8859-1"))
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        body = response.read()
        return FetchResult(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        close_quietly(sock)
        close_quietly(raw)
