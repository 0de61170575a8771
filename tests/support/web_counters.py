"""Traffic counters of the fake web: connections, requests, bytes and failed TLS handshakes,
read by the test in-process or from the stats file a server writes as traffic arrives."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from tests.support._control import StatsWriter
from tests.support.web_routes import norm_host


class TrafficCounters:
    """Counters a server adds to as it serves; `stats()` is what goes to the stats file."""

    def __init__(self, stats_file: str | Path | None = None) -> None:
        self._counts_lock = threading.RLock()
        self._stats_writer = StatsWriter(stats_file)
        self._requests: Counter[tuple[str, str]] = Counter()
        self._connections: Counter[str] = Counter()
        self._by_ip: dict[str, Counter[str]] = {}
        self._request_log: list[tuple[str, str, str, str]] = []
        self._bytes_in = 0
        self._bytes_out = 0
        self._tls_failures = 0

    def requests(self, host: str | None = None, path: str | None = None) -> int:
        """Requests received (any scheme), optionally only for a host and/or a path
        (a path matches with or without its query)."""
        want_host = norm_host(host) if host is not None else None
        with self._counts_lock:
            return sum(
                n
                for (h, p), n in self._requests.items()
                if (want_host is None or h == want_host)
                and (path is None or p == path or p.split("?", 1)[0] == path)
            )

    def connections(self, kind: str | None = None, ip: str | None = None) -> int:
        """Accepted connections; kind "http", "https" or "tcp:<port>"; ip = local address."""
        with self._counts_lock:
            counter = self._by_ip.get(ip, Counter()) if ip is not None else self._connections
            return sum(counter.values()) if kind is None else counter[kind]

    @property
    def request_log(self) -> list[tuple[str, str, str, str]]:
        """(scheme, host, method, path) of every request, oldest first."""
        with self._counts_lock:
            return list(self._request_log)

    @property
    def bytes_in(self) -> int:
        """Application bytes read from clients (after TLS decryption)."""
        with self._counts_lock:
            return self._bytes_in

    @property
    def bytes_out(self) -> int:
        """Application bytes written to clients (before TLS encryption)."""
        with self._counts_lock:
            return self._bytes_out

    @property
    def tls_failures(self) -> int:
        """TLS handshakes that failed (e.g. the client rejected the certificate)."""
        with self._counts_lock:
            return self._tls_failures

    def stats(self) -> dict[str, Any]:
        with self._counts_lock:
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
        with self._counts_lock:
            self._requests.clear()
            self._connections.clear()
            self._by_ip.clear()
            self._request_log.clear()
            self._bytes_in = self._bytes_out = self._tls_failures = 0
        self._write_stats()

    # ----------------------------------------------------------------- counting (by the server)

    def _write_stats(self) -> None:
        self._stats_writer.write(self.stats)

    def _count_connection(self, conn: socket.socket, label: str) -> None:
        try:
            local_ip = str(conn.getsockname()[0])
        except OSError:
            local_ip = "?"
        with self._counts_lock:
            self._connections[label] += 1
            self._by_ip.setdefault(local_ip, Counter())[label] += 1

    def _count_request(self, kind: str, host: str, method: str, target: str, nbytes: int) -> None:
        with self._counts_lock:
            self._requests[(host, target)] += 1
            self._request_log.append((kind, host, method, target))
            self._bytes_in += nbytes

    def _count_sent(self, nbytes: int) -> None:
        with self._counts_lock:
            self._bytes_out += nbytes

    def _count_tls_failure(self) -> None:
        with self._counts_lock:
            self._tls_failures += 1
