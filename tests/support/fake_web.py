"""A scriptable fake web: HTTP, HTTPS and accept-only TCP ports on one bind address.

Requests are routed by (scheme, Host header without port, path) to a `Reply` or a behaviour
("hang", "reset", "close", "garbage", "slow:<seconds>", "redirect:<url>"); the behaviours, the
route table's form and the lookup order are described in `tests.support.web_routes`.

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

This module holds the server and its command line; its parts live in web_routes (replies,
route tables, the routes file), web_counters (traffic counters), web_tls (certificates),
web_wire (HTTP on the socket), web_route_sets (canned route tables) and web_client (fetch),
and are re-exported here.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import selectors
import signal
import socket
import ssl
import struct
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from tests.support._control import close_quietly, exit_on_sigterm, exit_when_parent_dies
from tests.support.web_client import FetchResult, fetch
from tests.support.web_counters import TrafficCounters
from tests.support.web_route_sets import (
    GRAPH_ERROR,
    META_ERROR_PAGE,
    PORTAL_PAGE,
    captive_portal_routes,
    healthy_meta_routes,
    meta_error_routes,
)
from tests.support.web_routes import (
    NOT_FOUND,
    TCP_BEHAVIOURS,
    WORDS,
    Reply,
    Routes,
    RouteTable,
    RouteValue,
    check_route,
    config_to_json,
    copy_routes,
    norm_host,
    route_from_json,
    route_to_json,
    routes_from_json,
    routes_to_json,
)
from tests.support.web_tls import ServerTLS
from tests.support.web_wire import (
    GARBAGE,
    MAX_BODY_BYTES,
    MAX_HEADER_BYTES,
    hold,
    read_request,
    render,
)

__all__ = [
    "GARBAGE",
    "GRAPH_ERROR",
    "MAX_BODY_BYTES",
    "MAX_HEADER_BYTES",
    "META_ERROR_PAGE",
    "NOT_FOUND",
    "PORTAL_PAGE",
    "TCP_BEHAVIOURS",
    "WORDS",
    "FakeWebServer",
    "FetchResult",
    "Reply",
    "RouteValue",
    "Routes",
    "captive_portal_routes",
    "check_route",
    "config_to_json",
    "copy_routes",
    "fetch",
    "healthy_meta_routes",
    "main",
    "meta_error_routes",
    "route_from_json",
    "route_to_json",
    "routes_from_json",
    "routes_to_json",
]

log = logging.getLogger(__name__)


class FakeWebServer(RouteTable, TrafficCounters):
    """Threaded HTTP/HTTPS/TCP server with runtime-mutable routes (RouteTable) and traffic
    counters (TrafficCounters)."""

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
        RouteTable.__init__(self, routes, fallback=fallback, tcp_ports=tcp_ports, routes_file=routes_file)
        TrafficCounters.__init__(self, stats_file)
        self.bind = bind
        self.http_port = http_port
        self.https_port = https_port
        self.read_timeout = read_timeout
        self._lock = threading.RLock()  # guards _conns
        self._tls = ServerTLS(certfile, ca_file, extra_certs, self.cert_name)
        self._listeners: dict[socket.socket, tuple[str, int]] = {}
        self._conns: set[socket.socket] = set()
        self._stop = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- lifecycle

    @property
    def ca_file(self) -> Path | None:
        """The CA clients must trust: the one given, or (after start) the one made."""
        return self._tls.ca_file

    @property
    def tcp_port(self) -> int | None:
        """The first plain TCP port (None when there is none)."""
        return self.tcp_ports[0] if self.tcp_ports else None

    def url(self, path: str = "/", scheme: str = "http") -> str:
        """URL of this server by address, e.g. for a quick request without a Host header."""
        port = self.https_port if scheme == "https" else self.http_port
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"{scheme}://{host}:{port}{path}"

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
                self._tls.setup()
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
            close_quietly(sock)
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
            close_quietly(conn)
        close_quietly(self._wake_r)
        close_quietly(self._wake_w)
        self._tls.cleanup()

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
            close_quietly(conn)

    def _handle_conn(self, conn: socket.socket, kind: str, port: int) -> None:
        conn.settimeout(self.read_timeout)
        if kind == "tcp":
            self._count_connection(conn, f"tcp:{port}")
            self._write_stats()
            behaviour = self.tcp_behaviour(port)
            self._perform_word(conn, "hang" if behaviour == "accept" else behaviour)
            return
        self._count_connection(conn, kind)
        stream: socket.socket = conn
        if kind == "https":
            try:
                stream = self._tls.context().wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError) as exc:
                self._count_tls_failure()
                self._write_stats()
                log.debug("TLS handshake failed: %s", exc)
                return
            with self._lock:
                self._conns.add(stream)
        try:
            request = read_request(stream)
            if request is None:
                self._write_stats()
                return
            method, target, headers, nbytes = request
            host = headers.get("host", "")
            bracketed = host.startswith("[")
            host = host[1:].partition("]")[0] if bracketed else host.partition(":")[0]
            if "://" in target:  # absolute-form (proxy style)
                parts = urlsplit(target)
                host = host or (parts.hostname or "")
                target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            host = norm_host(host or str(conn.getsockname()[0]))
            route = self.resolve(kind, host, target)
            self._count_request(kind, host, method, target, nbytes)
            self._write_stats()
            log.debug("%s %s://%s%s -> %s", method, kind, host, target, route)
            self._perform(stream, method, route)
        finally:
            with self._lock:
                self._conns.discard(stream)
            if stream is not conn:
                close_quietly(stream)

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
        self._send(conn, render(route, method))

    def _perform_word(self, conn: socket.socket, word: str) -> None:
        if word == "hang":
            hold(conn, self._stop)
        elif word == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif word == "garbage":
            self._send(conn, GARBAGE)
        # "close": nothing; the caller closes the socket

    def _send(self, conn: socket.socket, data: bytes) -> None:
        # Counted (and the stats file written) before sending, so a client that got the
        # answer always sees it counted.
        self._count_sent(len(data))
        self._write_stats()
        conn.sendall(data)


# --------------------------------------------------------------------------- CLI


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
    signal.signal(signal.SIGTERM, exit_on_sigterm)  # so that `finally` cleans up
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
