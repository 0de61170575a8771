"""FakeWebServer: the threaded HTTP, HTTPS and accept-only TCP listeners of the fake web, routing
each request through its RouteTable and counting traffic in its TrafficCounters.

Its command line, and the names tests import, live in `tests.support.fake_web`.
"""

from __future__ import annotations

import contextlib
import logging
import selectors
import socket
import ssl
import struct
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from tests.support._control import close_quietly
from tests.support.web_counters import TrafficCounters
from tests.support.web_routes import NOT_FOUND, Reply, RouteTable, RouteValue, norm_host
from tests.support.web_tls import ServerTLS
from tests.support.web_wire import GARBAGE, hold, read_request, render

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
