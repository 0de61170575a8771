"""The fake web on the wire: reading one HTTP/1.1 request from a socket, rendering a `Reply`
as response bytes, holding a connection open without answering, and the bytes a broken
middlebox sends instead of HTTP."""

from __future__ import annotations

import http.client
import select
import socket
import ssl
import threading

from tests.support.web_routes import Reply

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 1024 * 1024
GARBAGE = b"\x00\x17\x03\xff\xfeNOT-HTTP \x8f\x8f garbage from a broken middlebox \x00\r\n\r\n"


def read_request(conn: socket.socket) -> tuple[str, str, dict[str, str], int] | None:
    """(method, target, lower-case headers, bytes read) of one request, or None when the
    peer closed first, the head is too large or the first line is not HTTP."""
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > MAX_HEADER_BYTES:
            return None
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    length = min(int(headers.get("content-length", "0") or 0), MAX_BODY_BYTES)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return parts[0].upper(), parts[1], headers, len(head) + 4 + len(rest)


def render(reply: Reply, method: str) -> bytes:
    """The response bytes for `reply` (no body for HEAD, 1xx, 204 and 304)."""
    body = reply.body_bytes()
    try:
        reason = http.client.responses[reply.status]
    except KeyError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {reply.status} {reason}"]
    names = {k.lower() for k in reply.headers}
    no_body = reply.status in (204, 304) or 100 <= reply.status < 200
    if "content-type" not in names and body and not no_body:
        lines.append("Content-Type: text/html; charset=utf-8")
    if "content-length" not in names and not no_body:
        lines.append(f"Content-Length: {len(body)}")
    if "connection" not in names:
        lines.append("Connection: close")
    lines.extend(f"{k}: {v}" for k, v in reply.headers.items())
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("iso-8859-1")
    return head if method == "HEAD" or no_body else head + body


def hold(conn: socket.socket, stop: threading.Event) -> None:
    """Keep the connection open, reading and discarding, until the peer closes or stop."""
    while not stop.is_set():
        ready, _, _ = select.select([conn], [], [], 0.25)
        if not ready:
            continue
        try:
            if not conn.recv(65536):
                return
        except ssl.SSLWantReadError:
            continue
        except (OSError, ssl.SSLError):
            return
