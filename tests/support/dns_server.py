"""A tiny scriptable DNS server (UDP and TCP) for tests, built on dnspython's message parsing.

In-process use::

    with LocalDNSServer({"www.facebook.com": ["100.64.1.1"]}) as dns_srv:
        dns_srv.set("graph.facebook.com", "servfail")
        resolver.nameservers = [dns_srv.address[0]]; resolver.port = dns_srv.address[1]
        ...
        assert dns_srv.queries("graph.facebook.com") == 1

Behaviours per name: a list of addresses, or "servfail", "nxdomain", "refused", "empty" or
"timeout"; wildcards, the default and the zone file's format are described in
`tests.support.dns_zone` (whose names are re-exported here); the replies themselves are built
in `tests.support.dns_wire`.

As a program (for use inside a network namespace)::

    python -m tests.support.dns_server --bind 100.64.0.2:53 --zone zone.json [--stats s.json]

prints one line starting with "ready" (followed by the bound address) once listening, then
serves until killed. The zone file is re-read whenever it changes (checked on every query).
With --stats, per-name query counts are written to that file before each answer, as
{"queries": {name: n}, "total": n}.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import selectors
import signal
import socket
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from tests.support._control import (
    JsonFileWatch,
    StatsWriter,
    close_quietly,
    exit_on_sigterm,
    exit_when_parent_dies,
)
from tests.support.dns_wire import format_error, framed, question, read_framed, read_query, reply_to
from tests.support.dns_zone import (
    BEHAVIOURS,
    Behaviour,
    lookup,
    normalise_behaviour,
    normalise_name,
    parse_zone,
)

__all__ = [
    "BEHAVIOURS",
    "Behaviour",
    "LocalDNSServer",
    "main",
    "normalise_behaviour",
    "normalise_name",
    "parse_hostport",
]

log = logging.getLogger(__name__)


class LocalDNSServer:
    """A DNS server on UDP and TCP (same port) answering from a runtime-mutable table."""

    def __init__(
        self,
        records: Mapping[str, Behaviour] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        default: Behaviour = "nxdomain",
        ttl: int = 5,
        tcp: bool = True,
        zone_file: str | Path | None = None,
        stats_file: str | Path | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._tcp_enabled = tcp
        self._lock = threading.Lock()
        self._records: dict[str, str | tuple[str, ...]] = {}
        self._default = normalise_behaviour(default)
        self.ttl = ttl
        self._counts: Counter[str] = Counter()
        self._log: list[tuple[str, str, str]] = []
        self._zone_watch = JsonFileWatch(zone_file) if zone_file is not None else None
        self._stats = StatsWriter(stats_file)
        self._udp: socket.socket | None = None
        self._tcp: socket.socket | None = None
        self._stop = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()
        if records:
            self.load(records)
        self._reload_zone()

    # ----------------------------------------------------------------- configuration

    def set(self, name: str, behaviour: Behaviour) -> None:
        """Set how `name` is answered (see the module docstring)."""
        value = normalise_behaviour(behaviour)
        with self._lock:
            self._records[normalise_name(name)] = value

    def unset(self, name: str) -> None:
        """Forget `name`: it gets the default behaviour again."""
        with self._lock:
            self._records.pop(normalise_name(name), None)

    def set_default(self, behaviour: Behaviour) -> None:
        """Behaviour for names not in the table (initially "nxdomain")."""
        value = normalise_behaviour(behaviour)
        with self._lock:
            self._default = value

    def load(self, records: Mapping[str, Behaviour], *, replace: bool = False) -> None:
        """Set many names at once; with replace=True, forget all others first."""
        table = {normalise_name(k): normalise_behaviour(v) for k, v in records.items()}
        with self._lock:
            if replace:
                self._records.clear()
            self._records.update(table)

    def behaviour(self, name: str) -> str | tuple[str, ...]:
        """The behaviour that applies to `name` now (after wildcard and default lookup)."""
        with self._lock:
            return self._lookup(normalise_name(name))

    def _lookup(self, name: str) -> str | tuple[str, ...]:
        return lookup(self._records, self._default, name)

    def _reload_zone(self) -> None:
        if self._zone_watch is None:
            return
        data = self._zone_watch.poll()
        if data is None:
            return
        try:
            table, default, ttl = parse_zone(data, self.ttl)
        except (ValueError, TypeError, AttributeError) as exc:
            log.warning("ignoring invalid zone file %s: %s", self._zone_watch.path, exc)
            return
        with self._lock:
            self._records = table
            self._default = default
            self.ttl = ttl
        log.debug("zone reloaded: %d names", len(table))

    # ----------------------------------------------------------------- counters

    def queries(self, name: str) -> int:
        """How many queries (any type, UDP or TCP) were received for `name`."""
        with self._lock:
            return self._counts[normalise_name(name)]

    @property
    def total_queries(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    @property
    def query_log(self) -> list[tuple[str, str, str]]:
        """(name, type, "udp"|"tcp") for every query received, oldest first."""
        with self._lock:
            return list(self._log)

    def reset_counts(self) -> None:
        with self._lock:
            self._counts.clear()
            self._log.clear()
        self._stats.write(self._stats_snapshot)

    def _stats_snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"queries": dict(self._counts), "total": sum(self._counts.values())}

    # ----------------------------------------------------------------- lifecycle

    @property
    def address(self) -> tuple[str, int]:
        """(host, port) the server listens on (UDP and, if enabled, TCP)."""
        return (self._host, self._port)

    @property
    def nameserver(self) -> str:
        """ "host:port" ("[v6]:port" for IPv6)."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"{host}:{self._port}"

    def start(self) -> LocalDNSServer:
        if self._thread is not None:
            return self
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        last_error: OSError | None = None
        for _ in range(20):  # port 0: find a port free for both UDP and TCP
            udp = socket.socket(family, socket.SOCK_DGRAM)
            try:
                udp.bind((self._host, self._port))
                port = udp.getsockname()[1]
                tcp: socket.socket | None = None
                if self._tcp_enabled:
                    tcp = socket.socket(family, socket.SOCK_STREAM)
                    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    try:
                        tcp.bind((self._host, port))
                        tcp.listen(16)
                    except OSError:
                        tcp.close()
                        raise
            except OSError as exc:
                udp.close()
                last_error = exc
                if self._port != 0:
                    raise
                continue
            self._udp, self._tcp, self._port = udp, tcp, port
            break
        else:
            raise OSError(f"could not bind UDP+TCP on {self._host}: {last_error}")
        self._thread = threading.Thread(target=self._serve, name="LocalDNSServer", daemon=True)
        self._thread.start()
        log.debug("DNS server listening on %s", self.nameserver)
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        self._thread.join(timeout=5)
        self._thread = None
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            close_quietly(conn)
        for sock in (self._udp, self._tcp, self._wake_r, self._wake_w):
            if sock is not None:
                close_quietly(sock)

    def __enter__(self) -> LocalDNSServer:
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
        assert self._udp is not None
        sel = selectors.DefaultSelector()
        sel.register(self._udp, selectors.EVENT_READ, "udp")
        sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        if self._tcp is not None:
            sel.register(self._tcp, selectors.EVENT_READ, "tcp")
        try:
            while not self._stop.is_set():
                for key, _ in sel.select(timeout=1.0):
                    if key.data == "wake":
                        return
                    if key.data == "udp":
                        self._handle_udp()
                    elif key.data == "tcp":
                        self._accept_tcp()
        finally:
            sel.close()

    def _handle_udp(self) -> None:
        assert self._udp is not None
        try:
            wire, peer = self._udp.recvfrom(65535)
        except OSError:
            return
        reply = self._answer(wire, "udp")
        if reply is not None:
            try:
                self._udp.sendto(reply, peer)
            except OSError as exc:
                log.debug("UDP send to %s failed: %s", peer, exc)

    def _accept_tcp(self) -> None:
        assert self._tcp is not None
        try:
            conn, _ = self._tcp.accept()
        except OSError:
            return
        with self._lock:
            self._conns.add(conn)
        threading.Thread(target=self._serve_tcp, args=(conn,), daemon=True).start()

    def _serve_tcp(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        try:
            while not self._stop.is_set():
                wire = read_framed(conn)
                if wire is None:
                    return
                reply = self._answer(wire, "tcp")
                if reply is None:  # "timeout": keep the connection silent until closed
                    while not self._stop.is_set() and conn.recv(4096):
                        pass
                    return
                conn.sendall(framed(reply))
        except OSError:
            return
        finally:
            with self._lock:
                self._conns.discard(conn)
            close_quietly(conn)

    def _answer(self, wire: bytes, transport: str) -> bytes | None:
        """Count one query and build its wire reply (see dns_wire), or None to stay silent."""
        self._reload_zone()
        query = read_query(wire, transport)
        if query is None:
            return None
        asked = question(query)
        if asked is None:
            return format_error(query)
        name, qtype = asked
        with self._lock:
            self._counts[name] += 1
            self._log.append((name, qtype, transport))
            behaviour = self._lookup(name)
            ttl = self.ttl
        self._stats.write(self._stats_snapshot)
        log.debug("query %s %s via %s -> %s", name, qtype, transport, behaviour)
        return reply_to(query, behaviour, ttl)


def parse_hostport(text: str, default_port: int = 53) -> tuple[str, int]:
    """ "1.2.3.4:53", "[::1]:53", "1.2.3.4" -> (host, port)."""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest.lstrip(":") or default_port)
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, int(port)
    return text, default_port


def main(argv: Iterable[str] | None = None) -> int:
    """Command-line entry: serve a zone file until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bind", default="127.0.0.1:53", help="IP:PORT (port 0 = any)")
    parser.add_argument("--zone", required=True, help="JSON zone file, re-read on change")
    parser.add_argument("--stats", default=None, help="write query counts to this JSON file")
    parser.add_argument("--no-tcp", action="store_true", help="serve UDP only")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--exit-with-parent", action="store_true", help="exit when the parent process dies")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(
        level=args.log_level.upper(),
        stream=sys.stderr,
        format="dns_server %(levelname)s %(message)s",
    )
    host, port = parse_hostport(args.bind)
    server = LocalDNSServer(
        host=host, port=port, tcp=not args.no_tcp, zone_file=args.zone, stats_file=args.stats
    )
    if args.exit_with_parent:
        exit_when_parent_dies()
    signal.signal(signal.SIGTERM, exit_on_sigterm)  # so that `finally` cleans up
    server.start()
    sys.stdout.write(f"ready {server.nameserver}\n")
    sys.stdout.flush()
    try:
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
