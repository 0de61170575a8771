"""A scriptable fake web: HTTP, HTTPS and accept-only TCP ports on one bind address.

Requests are routed by (scheme, Host header without port, path) to a `Reply` or a behaviour:

    "hang"            accept and read the request, never answer (until the client gives up)
    "reset"           read the request, then close with a TCP RST
    "close"           read the request, then close cleanly without answering
    "garbage"         write bytes that are not HTTP, then close
    "slow:<seconds>"  answer 200 with a small page after the delay (or use Reply(delay=...))
    "redirect:<url>"  302 with Location: <url>

Routes are `{host: {path: reply}}`. A host key may be "https://host" or "http://host" to apply to
one scheme only, and "*" (or "http://*", "https://*") matches any host; a path key "*" is the
host's default. Lookup order: scheme-qualified host, bare host, scheme wildcard, "*"; within
each: path with query, path without query, "*". Nothing found: the fallback (404).

In-process (ephemeral ports on 127.0.0.1; a CA is made on the fly when no cert is given)::

    with FakeWebServer(healthy_meta_routes()) as web:
        res = fetch("https://www.facebook.com/", connect_to=("127.0.0.1", web.https_port),
                    ca_file=web.ca_file)

As a program (inside a namespace)::

    python -m tests.support.fake_web --bind 0.0.0.0 --http-port 80 --https-port 443 \
        --tcp-port 5222 --cert server.pem --routes routes.json [--extra-cert NAME=PEM]...

prints one line starting with "ready" once listening ("ready http=80 https=443 tcp=5222",
plus " ca=PATH" when no --cert was given and a CA was made). The routes file (see
`config_to_json`) is re-read whenever it changes, checked on every connection and request;
with --stats, counters are written to that file as each request arrives and before each
answer is sent.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import json
import logging
import select
import selectors
import signal
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import urlsplit

from tests.support._control import JsonFileWatch, StatsWriter, exit_when_parent_dies
from tests.support.catalogue import PORTAL_HOST, Catalogue, CatalogueTarget, load_catalogue
from tests.support.certs import make_certs

log = logging.getLogger(__name__)

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 1024 * 1024
GARBAGE = b"\x00\x17\x03\xff\xfeNOT-HTTP \x8f\x8f garbage from a broken middlebox \x00\r\n\r\n"
TCP_BEHAVIOURS = frozenset({"accept", "reset", "close", "garbage"})
WORDS = frozenset({"hang", "reset", "close", "garbage"})


@dataclass(frozen=True)
class Reply:
    """An HTTP answer. Content-Length and Connection: close are added by the server."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | str = b""
    delay: float = 0.0  # seconds to wait before answering

    def body_bytes(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "headers": dict(self.headers)}
        raw = self.body_bytes()
        try:
            out["body"] = raw.decode("utf-8")
        except UnicodeDecodeError:
            out["body_b64"] = base64.b64encode(raw).decode("ascii")
        if self.delay:
            out["delay"] = self.delay
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reply:
        body: bytes | str = data.get("body", "")
        if "body_b64" in data:
            body = base64.b64decode(data["body_b64"])
        return cls(
            status=int(data.get("status", 200)),
            headers={str(k): str(v) for k, v in dict(data.get("headers", {})).items()},
            body=body,
            delay=float(data.get("delay", 0.0)),
        )


RouteValue = Reply | str
Routes = dict[str, dict[str, RouteValue]]

NOT_FOUND = Reply(404, {"Content-Type": "text/html; charset=utf-8"}, "<h1>Not Found</h1>\n")


def check_route(value: RouteValue) -> RouteValue:
    """Validate a route value; raises ValueError for unknown behaviours."""
    if isinstance(value, Reply):
        return value
    if not isinstance(value, str):
        raise TypeError(f"route must be a Reply or a behaviour string, not {value!r}")
    if value in WORDS:
        return value
    if value.startswith("slow:"):
        float(value[5:])
        return value
    if value.startswith("redirect:") and len(value) > len("redirect:"):
        return value
    raise ValueError(f"unknown route behaviour {value!r}")


def _norm_host(host: str) -> str:
    host = host.strip().lower()
    if "://" in host:
        scheme, _, rest = host.partition("://")
        return f"{scheme}://{rest.rstrip('.')}"
    return host.rstrip(".")


def route_to_json(value: RouteValue) -> Any:
    return value.to_json() if isinstance(value, Reply) else value


def route_from_json(data: Any) -> RouteValue:
    return check_route(Reply.from_json(data) if isinstance(data, Mapping) else str(data))


def routes_to_json(routes: Mapping[str, Mapping[str, RouteValue]]) -> dict[str, Any]:
    return {h: {p: route_to_json(v) for p, v in table.items()} for h, table in routes.items()}


def routes_from_json(data: Mapping[str, Any]) -> Routes:
    return {
        _norm_host(h): {str(p): route_from_json(v) for p, v in table.items()} for h, table in data.items()
    }


def config_to_json(
    routes: Mapping[str, Mapping[str, RouteValue]],
    *,
    fallback: RouteValue = NOT_FOUND,
    certs: Mapping[str, str] | None = None,
    tcp: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """The routes-file format: routes, fallback, certificate choice per SNI name ("*" = all)
    and behaviour per plain TCP port ("accept", "reset", "close", "garbage")."""
    return {
        "routes": routes_to_json(routes),
        "fallback": route_to_json(fallback),
        "certs": dict(certs or {}),
        "tcp": {str(k): v for k, v in (tcp or {}).items()},
    }


def copy_routes(routes: Mapping[str, Mapping[str, RouteValue]]) -> Routes:
    return {h: dict(t) for h, t in routes.items()}


class FakeWebServer:
    """Threaded HTTP/HTTPS/TCP server with runtime-mutable routes and traffic counters."""

    def __init__(
        self,
        routes: Mapping[str, Mapping[str, RouteValue]] | None = None,
        *,
        bind: str = "127.0.0.1",
        http_port: int | None = 0,
        https_port: int | None = 0,
        tcp_ports: Sequence[int] = (0,),
        certfile: str | Path | None = None,
        ca_file: str | Path | None = None,
        extra_certs: Mapping[str, str | Path] | None = None,
        fallback: RouteValue = NOT_FOUND,
        routes_file: str | Path | None = None,
        stats_file: str | Path | None = None,
        read_timeout: float = 10.0,
    ) -> None:
        self.bind = bind
        self.http_port = http_port
        self.https_port = https_port
        self.tcp_ports: list[int] = list(tcp_ports)
        self.read_timeout = read_timeout
        self._lock = threading.RLock()
        self._routes: Routes = {}
        self._fallback: RouteValue = check_route(fallback)
        self._certs: dict[str, str] = {}
        self._tcp_behaviour: dict[int, str] = {}
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        self.ca_file: Path | None = Path(ca_file) if ca_file is not None else None
        self._certfile = Path(certfile) if certfile is not None else None
        self._extra_certs = {k: Path(v) for k, v in (extra_certs or {}).items()}
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._watch = JsonFileWatch(routes_file) if routes_file is not None else None
        self._stats_writer = StatsWriter(stats_file)
        self._requests: Counter[tuple[str, str]] = Counter()
        self._connections: Counter[str] = Counter()
        self._by_ip: dict[str, Counter[str]] = {}
        self._request_log: list[tuple[str, str, str, str]] = []
        self._bytes_in = 0
        self._bytes_out = 0
        self._tls_failures = 0
        self._listeners: dict[socket.socket, tuple[str, int]] = {}
        self._conns: set[socket.socket] = set()
        self._stop = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._thread: threading.Thread | None = None
        if routes:
            self.set_routes(routes)
        self._maybe_reload()

    # ----------------------------------------------------------------- routes

    def set_route(self, host: str, path: str, reply: RouteValue) -> None:
        """Route (host, path) to `reply`; path "*" is the host's default, host "*" any host."""
        value = check_route(reply)
        with self._lock:
            self._routes.setdefault(_norm_host(host), {})[path] = value

    def set_default(self, host: str, reply: RouteValue) -> None:
        """The answer for any path of `host` that has no route of its own."""
        self.set_route(host, "*", reply)

    def set_host(self, host: str, reply: RouteValue) -> None:
        """Every path of `host` answers `reply` (the host's other routes are removed)."""
        value = check_route(reply)
        with self._lock:
            self._routes[_norm_host(host)] = {"*": value}

    def remove_route(self, host: str, path: str | None = None) -> None:
        """Remove one path of a host, or the whole host when path is None."""
        with self._lock:
            if path is None:
                self._routes.pop(_norm_host(host), None)
            else:
                self._routes.get(_norm_host(host), {}).pop(path, None)

    def set_routes(self, routes: Mapping[str, Mapping[str, RouteValue]], *, replace: bool = True) -> None:
        """Install a whole route table (replacing the current one unless replace=False)."""
        checked = {_norm_host(h): {p: check_route(v) for p, v in t.items()} for h, t in routes.items()}
        with self._lock:
            if replace:
                self._routes = checked
            else:
                for host, table in checked.items():
                    self._routes.setdefault(host, {}).update(table)

    @property
    def routes(self) -> Routes:
        with self._lock:
            return copy_routes(self._routes)

    def set_fallback(self, reply: RouteValue) -> None:
        """Answer for requests no route matches (initially 404)."""
        value = check_route(reply)
        with self._lock:
            self._fallback = value

    def set_cert(self, host: str, name: str) -> None:
        """Serve certificate `name` ("default" or an extra_certs key) for SNI `host`
        ("*" = every name without its own choice)."""
        with self._lock:
            self._certs[_norm_host(host)] = name

    def clear_certs(self) -> None:
        with self._lock:
            self._certs.clear()

    def set_tcp_behaviour(self, port: int | None, behaviour: str) -> None:
        """ "accept" (hold open), "reset", "close" or "garbage" on a plain TCP port
        (None = every plain TCP port)."""
        if behaviour not in TCP_BEHAVIOURS:
            raise ValueError(f"TCP behaviour must be one of {sorted(TCP_BEHAVIOURS)}")
        with self._lock:
            for p in self.tcp_ports if port is None else [port]:
                self._tcp_behaviour[p] = behaviour

    def resolve(self, scheme: str, host: str, path: str) -> RouteValue:
        """The route that applies to a request (see the module docstring for the order)."""
        host = _norm_host(host)
        path_only = path.split("?", 1)[0]
        with self._lock:
            for key in (f"{scheme}://{host}", host, f"{scheme}://*", "*"):
                table = self._routes.get(key)
                if table is None:
                    continue
                for p in (path, path_only, "*"):
                    if p in table:
                        return table[p]
            return self._fallback

    def _maybe_reload(self) -> None:
        if self._watch is None:
            return
        data = self._watch.poll()
        if data is None:
            return
        try:
            routes = routes_from_json(data.get("routes", {}))
            fallback = route_from_json(data.get("fallback", route_to_json(NOT_FOUND)))
            certs = {_norm_host(k): str(v) for k, v in dict(data.get("certs", {})).items()}
            tcp = {int(k): str(v) for k, v in dict(data.get("tcp", {})).items()}
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            log.warning("ignoring invalid routes file %s: %s", self._watch.path, exc)
            return
        with self._lock:
            self._routes, self._fallback, self._certs = routes, fallback, certs
            self._tcp_behaviour = tcp
        log.debug("routes reloaded: %d hosts", len(routes))

    # ----------------------------------------------------------------- counters

    def requests(self, host: str | None = None, path: str | None = None) -> int:
        """Requests received (any scheme), optionally only for a host and/or a path
        (a path matches with or without its query)."""
        want_host = _norm_host(host) if host is not None else None
        with self._lock:
            return sum(
                n
                for (h, p), n in self._requests.items()
                if (want_host is None or h == want_host)
                and (path is None or p == path or p.split("?", 1)[0] == path)
            )

    def connections(self, kind: str | None = None, ip: str | None = None) -> int:
        """Accepted connections; kind "http", "https" or "tcp:<port>"; ip = local address."""
        with self._lock:
            counter = self._by_ip.get(ip, Counter()) if ip is not None else self._connections
            return sum(counter.values()) if kind is None else counter[kind]

    @property
    def request_log(self) -> list[tuple[str, str, str, str]]:
        """(scheme, host, method, path) of every request, oldest first."""
        with self._lock:
            return list(self._request_log)

    @property
    def bytes_in(self) -> int:
        """Application bytes read from clients (after TLS decryption)."""
        with self._lock:
            return self._bytes_in

    @property
    def bytes_out(self) -> int:
        """Application bytes written to clients (before TLS encryption)."""
        with self._lock:
            return self._bytes_out

    @property
    def tls_failures(self) -> int:
        """TLS handshakes that failed (e.g. the client rejected the certificate)."""
        with self._lock:
            return self._tls_failures

    def stats(self) -> dict[str, Any]:
        with self._lock:
            requests: dict[str, dict[str, int]] = {}
            for (h, p), n in self._requests.items():
                requests.setdefault(h, {})[p] = n
            return {
                "requests": requests,
                "total_requests": sum(self._requests.values()),
                "connections": dict(self._connections),
                "connections_by_ip": {ip: dict(c) for ip, c in self._by_ip.items()},
                "bytes_in": self._bytes_in,
                "bytes_out": self._bytes_out,
                "tls_failures": self._tls_failures,
            }

    def reset_stats(self) -> None:
        with self._lock:
            self._requests.clear()
            self._connections.clear()
            self._by_ip.clear()
            self._request_log.clear()
            self._bytes_in = self._bytes_out = self._tls_failures = 0
        self._stats_writer.write(self.stats)

    # ----------------------------------------------------------------- lifecycle

    @property
    def tcp_port(self) -> int | None:
        """The first plain TCP port (None when there is none)."""
        return self.tcp_ports[0] if self.tcp_ports else None

    def url(self, path: str = "/", scheme: str = "http") -> str:
        """URL of this server by address, e.g. for a quick request without a Host header."""
        port = self.https_port if scheme == "https" else self.http_port
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"{scheme}://{host}:{port}{path}"

    def _context(self, certfile: Path) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(certfile))
        ctx.set_alpn_protocols(["http/1.1"])
        return ctx

    def _setup_tls(self) -> None:
        if self._certfile is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="fake_web-")
            bundle = make_certs(self._tmpdir.name)
            self._certfile, self.ca_file = bundle.server_file, bundle.ca_file
        default = self._context(self._certfile)
        default.sni_callback = self._sni
        self._contexts = {"default": default, "trusted": default}
        for name, path in self._extra_certs.items():
            self._contexts[name] = self._context(path)

    def _sni(self, sslobj: ssl.SSLObject, server_name: str | None, ctx: ssl.SSLContext) -> None:
        name = "default"
        with self._lock:
            if server_name:
                name = self._certs.get(_norm_host(server_name), self._certs.get("*", "default"))
            else:
                name = self._certs.get("*", "default")
        chosen = self._contexts.get(name)
        if chosen is None:
            log.warning("unknown certificate name %r; serving the default one", name)
        elif chosen is not ctx:
            sslobj.context = chosen

    def _listen(self, port: int) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.bind else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.bind, port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        return sock

    def start(self) -> FakeWebServer:
        if self._thread is not None:
            return self
        try:
            if self.https_port is not None:
                self._setup_tls()
                sock = self._listen(self.https_port)
                self.https_port = sock.getsockname()[1]
                self._listeners[sock] = ("https", self.https_port)
            if self.http_port is not None:
                sock = self._listen(self.http_port)
                self.http_port = sock.getsockname()[1]
                self._listeners[sock] = ("http", self.http_port)
            bound: list[int] = []
            for port in self.tcp_ports:
                sock = self._listen(port)
                bound.append(sock.getsockname()[1])
                self._listeners[sock] = ("tcp", bound[-1])
            self.tcp_ports = bound
        except BaseException:
            self._close_listeners()
            raise
        self._thread = threading.Thread(target=self._serve, name="FakeWebServer", daemon=True)
        self._thread.start()
        log.debug(
            "fake web on %s: http=%s https=%s tcp=%s",
            self.bind,
            self.http_port,
            self.https_port,
            self.tcp_ports,
        )
        return self

    def _close_listeners(self) -> None:
        for sock in list(self._listeners):
            _close_quietly(sock)
        self._listeners.clear()

    def stop(self) -> None:
        if self._thread is not None:
            self._stop.set()
            with contextlib.suppress(OSError):
                self._wake_w.send(b"x")
            self._thread.join(timeout=5)
            self._thread = None
        self._close_listeners()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            _close_quietly(conn)
        _close_quietly(self._wake_r)
        _close_quietly(self._wake_w)
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def __enter__(self) -> FakeWebServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ----------------------------------------------------------------- serving

    def _serve(self) -> None:
        sel = selectors.DefaultSelector()
        sel.register(self._wake_r, selectors.EVENT_READ, None)
        for sock, info in self._listeners.items():
            sel.register(sock, selectors.EVENT_READ, info)
        try:
            while not self._stop.is_set():
                for key, _ in sel.select(timeout=1.0):
                    if key.data is None:
                        return
                    listener = key.fileobj
                    assert isinstance(listener, socket.socket)
                    try:
                        conn, _ = listener.accept()
                    except OSError:
                        continue
                    kind, port = key.data
                    threading.Thread(target=self._handle, args=(conn, kind, port), daemon=True).start()
        finally:
            sel.close()

    def _handle(self, conn: socket.socket, kind: str, port: int) -> None:
        with self._lock:
            self._conns.add(conn)
        try:
            self._maybe_reload()
            self._handle_conn(conn, kind, port)
        except (OSError, ValueError) as exc:
            log.debug("%s connection ended: %s", kind, exc)
        finally:
            with self._lock:
                self._conns.discard(conn)
            _close_quietly(conn)

    def _count_connection(self, conn: socket.socket, label: str) -> None:
        try:
            local_ip = str(conn.getsockname()[0])
        except OSError:
            local_ip = "?"
        with self._lock:
            self._connections[label] += 1
            self._by_ip.setdefault(local_ip, Counter())[label] += 1

    def _handle_conn(self, conn: socket.socket, kind: str, port: int) -> None:
        conn.settimeout(self.read_timeout)
        if kind == "tcp":
            self._count_connection(conn, f"tcp:{port}")
            self._stats_writer.write(self.stats)
            with self._lock:
                behaviour = self._tcp_behaviour.get(port, "accept")
            self._perform_word(conn, "hang" if behaviour == "accept" else behaviour)
            return
        self._count_connection(conn, kind)
        stream: socket.socket = conn
        if kind == "https":
            try:
                stream = self._tls_context().wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError) as exc:
                with self._lock:
                    self._tls_failures += 1
                self._stats_writer.write(self.stats)
                log.debug("TLS handshake failed: %s", exc)
                return
            with self._lock:
                self._conns.add(stream)
        try:
            request = self._read_request(stream)
            if request is None:
                self._stats_writer.write(self.stats)
                return
            method, target, headers, nbytes = request
            host = headers.get("host", "")
            bracketed = host.startswith("[")
            host = host[1:].partition("]")[0] if bracketed else host.partition(":")[0]
            if "://" in target:  # absolute-form (proxy style)
                parts = urlsplit(target)
                host = host or (parts.hostname or "")
                target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            host = _norm_host(host or str(conn.getsockname()[0]))
            route = self.resolve(kind, host, target)
            with self._lock:
                self._requests[(host, target)] += 1
                self._request_log.append((kind, host, method, target))
                self._bytes_in += nbytes
            self._stats_writer.write(self.stats)
            log.debug("%s %s://%s%s -> %s", method, kind, host, target, route)
            self._perform(stream, method, route)
        finally:
            with self._lock:
                self._conns.discard(stream)
            if stream is not conn:
                _close_quietly(stream)

    def _tls_context(self) -> ssl.SSLContext:
        return self._contexts["default"]

    def _read_request(self, conn: socket.socket) -> tuple[str, str, dict[str, str], int] | None:
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

    def _perform(self, conn: socket.socket, method: str, route: RouteValue) -> None:
        if isinstance(route, str):
            if route.startswith("slow:"):
                route = Reply(200, {}, "<html><body>slow but fine</body></html>\n", float(route[5:]))
            elif route.startswith("redirect:"):
                location = route[len("redirect:") :]
                route = Reply(302, {"Location": location}, "")
            else:
                self._perform_word(conn, route)
                return
        if route.delay > 0 and self._stop.wait(route.delay):
            return
        self._send(conn, _render(route, method))

    def _perform_word(self, conn: socket.socket, word: str) -> None:
        if word == "hang":
            self._hold(conn)
        elif word == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif word == "garbage":
            self._send(conn, GARBAGE)
        # "close": nothing; the caller closes the socket

    def _send(self, conn: socket.socket, data: bytes) -> None:
        # Counted (and the stats file written) before sending, so a client that got the
        # answer always sees it counted.
        with self._lock:
            self._bytes_out += len(data)
        self._stats_writer.write(self.stats)
        conn.sendall(data)

    def _hold(self, conn: socket.socket) -> None:
        """Keep the connection open, reading and discarding, until the peer closes or stop."""
        while not self._stop.is_set():
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


def _render(reply: Reply, method: str) -> bytes:
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


def _close_quietly(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()


# --------------------------------------------------------------------------- client helper


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
        _close_quietly(sock)
        _close_quietly(raw)


# --------------------------------------------------------------------------- route sets

_JSON = {"Content-Type": "application/json; charset=UTF-8"}
_HTML = {"Content-Type": "text/html; charset=utf-8"}
_TEXT = {"Content-Type": "text/plain"}

GRAPH_ERROR = {
    "error": {
        "message": "An active access token must be used to query information about the current user.",
        "type": "OAuthException",
        "code": 2500,
        "fbtrace_id": "AbC123",
    }
}

#: Realistic answers for the catalogue URLs whose real answers are well known.
_KNOWN: dict[str, Reply] = {
    "http://www.msftconnecttest.com/connecttest.txt": Reply(200, _TEXT, "Microsoft Connect Test"),
    "http://captive.apple.com/hotspot-detect.html": Reply(
        200, _HTML, "<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>\n"
    ),
    "https://www.cloudflare.com/cdn-cgi/trace": Reply(
        200,
        _TEXT,
        "fl=1\nh=www.cloudflare.com\nip=100.64.0.1\nts=1735000000.000\nvisit_scheme=https\n"
        "uag=traywatch\ncolo=AMS\nsliver=none\nhttp=http/1.1\nloc=NL\ntls=TLSv1.3\n"
        "sni=plaintext\nwarp=off\ngateway=off\nrbi=off\nkex=X25519\n",
    ),
}

_LOGIN_REDIRECT_HOSTS = {"adsmanager.facebook.com", "business.facebook.com"}


def _front_page(host: str) -> Reply:
    title = host.removeprefix("www.").removeprefix("web.").split(".")[0].capitalize()
    body = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'</head><body><div id="root">{title} - log in or sign up</div></body></html>\n'
    )
    return Reply(200, _HTML, body)


def _healthy_reply(target: CatalogueTarget) -> Reply:
    if target.url in _KNOWN:
        return _KNOWN[target.url]
    if target.json_error:
        status = 400 if not target.expect_status or 400 in target.expect_status else (target.expect_status[0])
        return Reply(status, _JSON, json.dumps(GRAPH_ERROR))
    if target.host in _LOGIN_REDIRECT_HOSTS:
        return Reply(302, {"Location": "https://www.facebook.com/login/"}, "")
    status = target.expect_status[0] if target.expect_status else 200
    if status == 204:
        return Reply(204, {}, "")
    if target.body_contains is not None:
        return Reply(status, _TEXT, target.body_contains)
    if target.kind == "service":
        return replace(_front_page(target.host), status=status)
    return Reply(status, _HTML, "<html><body>OK</body></html>\n")


def healthy_meta_routes(catalogue: Catalogue | None = None) -> Routes:
    """Routes under which every catalogue target looks healthy, as the catalogue expects.

    Meta hosts answer every path (their target's answer is also the host default);
    reference hosts answer their own path only. www.facebook.com/login/ answers 200 so a
    followed login redirect lands on a page.
    """
    cat = catalogue or load_catalogue()
    routes: Routes = {}
    for target in cat.targets:
        if target.scheme not in ("http", "https"):
            continue
        reply = _healthy_reply(target)
        table = routes.setdefault(target.host, {})
        table[target.path] = reply
        if cat.is_meta(target.host):
            table.setdefault("*", reply)
    login = routes.setdefault("www.facebook.com", {})
    login.setdefault("/login/", _front_page("www.facebook.com"))
    login.setdefault("*", _front_page("www.facebook.com"))
    return routes


META_ERROR_PAGE = Reply(
    500,
    _HTML,
    '<!DOCTYPE html><html lang="en"><head><title>Error</title></head><body>'
    "<h1>Sorry, something went wrong.</h1><p>We're working on getting this fixed as soon as "
    "we can.</p></body></html>\n",
)


def meta_error_routes(catalogue: Catalogue | None = None) -> Routes:
    """Healthy references, but every Meta host answers 500 "Sorry, something went wrong"
    on every path (the December 2024 outage pattern)."""
    cat = catalogue or load_catalogue()
    routes = healthy_meta_routes(cat)
    for host in list(routes):
        if cat.is_meta(host):
            routes[host] = {"*": META_ERROR_PAGE}
    return routes


PORTAL_PAGE = Reply(
    200,
    _HTML,
    "<html><head><title>Sign in to Wi-Fi</title></head><body><form action=/login>"
    "Accept the terms to get online</form></body></html>\n",
)


def captive_portal_routes(catalogue: Catalogue | None = None) -> Routes:
    """Healthy routes, except that every plain-http request (catalogue hosts and any other
    host) is redirected to http://login.portal.example/ ; https is unchanged."""
    cat = catalogue or load_catalogue()
    routes = healthy_meta_routes(cat)
    redirect = f"redirect:http://{PORTAL_HOST}/"
    for target in cat.targets:
        if target.scheme == "http":
            routes[f"http://{target.host}"] = {"*": redirect}
    routes["http://*"] = {"*": redirect}
    routes[PORTAL_HOST] = {"*": PORTAL_PAGE}
    return routes


# --------------------------------------------------------------------------- CLI


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: Iterable[str] | None = None) -> int:
    """Command-line entry: serve until killed."""
    parser = argparse.ArgumentParser(description="fake web for tests")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--http-port", type=int, default=80, help="-1 disables")
    parser.add_argument("--https-port", type=int, default=443, help="-1 disables")
    parser.add_argument("--tcp-port", type=int, action="append", help="repeatable")
    parser.add_argument("--cert", default=None, help="key + chain PEM (default: make one)")
    parser.add_argument("--extra-cert", action="append", default=[], help="NAME=PEM")
    parser.add_argument("--routes", default=None, help="routes JSON file, re-read on change")
    parser.add_argument("--stats", default=None, help="write counters to this JSON file")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--exit-with-parent", action="store_true", help="exit when the parent process dies")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(
        level=args.log_level.upper(), stream=sys.stderr, format="fake_web %(levelname)s %(message)s"
    )
    extra = dict(item.split("=", 1) for item in args.extra_cert)
    server = FakeWebServer(
        bind=args.bind,
        http_port=None if args.http_port < 0 else args.http_port,
        https_port=None if args.https_port < 0 else args.https_port,
        tcp_ports=[5222] if args.tcp_port is None else [p for p in args.tcp_port if p >= 0],
        certfile=args.cert,
        extra_certs=extra,
        routes_file=args.routes,
        stats_file=args.stats,
    )
    if args.exit_with_parent:
        exit_when_parent_dies()
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so that `finally` cleans up
    server.start()
    tcp = ",".join(str(p) for p in server.tcp_ports)
    ca = f" ca={server.ca_file}" if args.cert is None and server.ca_file else ""
    sys.stdout.write(f"ready http={server.http_port} https={server.https_port} tcp={tcp}{ca}\n")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
