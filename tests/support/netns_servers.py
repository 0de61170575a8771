"""The servers of a fake internet, inside its server namespace: the DNS server (dns_server) and
the fake web (fake_web) run as subprocesses, steered through JSON files re-read on every request
(the zone file, the routes file), so a change made by the test applies to the next request;
their counters are read back from the stats files they write.
"""

from __future__ import annotations

import logging
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from tests.support._control import read_json, write_json_atomic
from tests.support.catalogue import REPO_ROOT
from tests.support.dns_zone import Behaviour, normalise_behaviour, normalise_name
from tests.support.netns_base import stop_process
from tests.support.web_routes import NOT_FOUND, Routes, RouteValue, check_route, config_to_json, copy_routes

log = logging.getLogger(__name__)

SERVER_IP = "100.64.0.2"  # gateway and DNS server
HTTP_PORT, HTTPS_PORT, TCP_PORT, DNS_PORT = 80, 443, 5222, 53


def _zone_value(behaviour: Behaviour) -> str | list[str]:
    """A validated behaviour in its JSON form."""
    value = normalise_behaviour(behaviour)
    return list(value) if isinstance(value, tuple) else value


class ServerControl:
    """The DNS and web servers of a FakeInternet (a mixin): starting and stopping them, and
    the test's controls over them. The class it is mixed into provides the server namespace's
    name, the work directory, the fake hosts' addresses and the lock."""

    server: str
    workdir: Path
    addresses: dict[str, str]
    ip_of: Callable[[str], str]
    _lock: threading.Lock

    def __init__(
        self,
        routes: Mapping[str, Mapping[str, RouteValue]],
        *,
        dns_default: Behaviour,
        start_timeout: float,
        server_log_level: str,
    ) -> None:
        self._initial_routes = copy_routes(routes)
        self._routes = copy_routes(self._initial_routes)
        self._fallback: RouteValue = NOT_FOUND
        self._certs: dict[str, str] = {}
        self._tcp: dict[int, str] = {}
        self._dns_default: Any = _zone_value(dns_default)
        self._zone: dict[str, Any] = {h: [ip] for h, ip in self.addresses.items()}
        self.start_timeout = start_timeout
        self.server_log_level = server_log_level
        self._procs: dict[str, subprocess.Popen[bytes]] = {}

    @property
    def zone_file(self) -> Path:
        return self.workdir / "zone.json"

    @property
    def routes_file(self) -> Path:
        return self.workdir / "routes.json"

    # ----------------------------------------------------------------- processes

    def _server_env(self) -> dict[str, str]:
        env = dict(os.environ)
        path = env.get("PYTHONPATH")
        env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + path if path else "")
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def _start_servers(self, certs: Mapping[str, Path]) -> None:
        python = sys.executable
        dns_cmd = [
            python, "-m", "tests.support.dns_server",
            "--bind", f"{SERVER_IP}:{DNS_PORT}",
            "--zone", str(self.zone_file),
            "--stats", str(self.workdir / "dns-stats.json"),
            "--log-level", self.server_log_level,
            "--exit-with-parent",
        ]  # fmt: skip
        web_cmd = [
            python, "-m", "tests.support.fake_web",
            "--bind", "0.0.0.0",
            "--http-port", str(HTTP_PORT),
            "--https-port", str(HTTPS_PORT),
            "--tcp-port", str(TCP_PORT),
            "--cert", str(certs["trusted"]),
            *(
                arg
                for name, path in certs.items()
                if name != "trusted"
                for arg in ("--extra-cert", f"{name}={path}")
            ),
            "--routes", str(self.routes_file),
            "--stats", str(self.workdir / "web-stats.json"),
            "--log-level", self.server_log_level,
            "--exit-with-parent",
        ]  # fmt: skip
        for label, cmd in (("dns", dns_cmd), ("web", web_cmd)):
            err = open(self.workdir / f"{label}.log", "wb")  # noqa: SIM115 - child keeps it
            try:
                self._procs[label] = subprocess.Popen(
                    ["ip", "netns", "exec", self.server, *cmd],
                    stdout=subprocess.PIPE,
                    stderr=err,
                    stdin=subprocess.DEVNULL,
                    cwd=REPO_ROOT,
                    env=self._server_env(),
                )
            finally:
                err.close()
        deadline = time.monotonic() + self.start_timeout
        for label, proc in self._procs.items():
            self._wait_ready(label, proc, deadline)

    def _wait_ready(self, label: str, proc: subprocess.Popen[bytes], deadline: float) -> None:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        buf = b""
        while b"\n" not in buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"{label} server not ready in time: {self._log_tail(label)}")
            ready, _, _ = select.select([fd], [], [], min(remaining, 0.2))
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    proc.wait(timeout=5)
                    raise RuntimeError(f"{label} server exited ({proc.returncode}): {self._log_tail(label)}")
                buf += chunk
        if not buf.startswith(b"ready"):
            raise RuntimeError(f"{label} server said {buf!r}: {self._log_tail(label)}")
        log.debug("%s server: %s", label, buf.decode().strip())

    def _log_tail(self, label: str, size: int = 2000) -> str:
        try:
            return (self.workdir / f"{label}.log").read_text(errors="replace")[-size:]
        except OSError:
            return "(no log)"

    def check_servers(self) -> None:
        """Raise RuntimeError (with the server's log) if the DNS or web server died."""
        for label, proc in self._procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{label} server exited ({proc.returncode}): {self._log_tail(label)}")

    def _stop_servers(self) -> None:
        for proc in self._procs.values():
            stop_process(proc)
        self._procs.clear()

    # ----------------------------------------------------------------- DNS

    def _write_zone(self) -> None:
        with self._lock:
            data = {"records": dict(self._zone), "default": self._dns_default, "ttl": 5}
        write_json_atomic(self.zone_file, data)

    def set_dns(self, name: str, behaviour: Behaviour) -> None:
        """Change how the DNS server answers `name` (addresses, "servfail", "nxdomain",
        "refused", "timeout", "empty"). Applies to the next query."""
        value = _zone_value(behaviour)
        with self._lock:
            self._zone[normalise_name(name)] = value
        self._write_zone()

    def set_dns_default(self, behaviour: Behaviour) -> None:
        """Behaviour for names the zone does not know (initially "nxdomain")."""
        value = _zone_value(behaviour)
        with self._lock:
            self._dns_default = value
        self._write_zone()

    def set_dns_all(self, behaviour: Behaviour) -> None:
        """The same behaviour for every known name and the default (e.g. "timeout")."""
        value = _zone_value(behaviour)
        with self._lock:
            self._zone = {name: value for name in self._zone}
            self._dns_default = value
        self._write_zone()

    def reset_dns(self) -> None:
        with self._lock:
            self._zone = {h: [ip] for h, ip in self.addresses.items()}
            self._dns_default = "nxdomain"
        self._write_zone()

    def dns_queries(self, name: str | None = None) -> int:
        """Queries the DNS server received (for one name, or in total) since start/reset."""
        stats = read_json(self.workdir / "dns-stats.json", {}) or {}
        if name is None:
            return int(stats.get("total", 0))
        return int(stats.get("queries", {}).get(normalise_name(name), 0))

    # ----------------------------------------------------------------- web

    def _write_routes(self) -> None:
        with self._lock:
            data = config_to_json(self._routes, fallback=self._fallback, certs=self._certs, tcp=self._tcp)
        write_json_atomic(self.routes_file, data)

    @property
    def routes(self) -> Routes:
        with self._lock:
            return copy_routes(self._routes)

    def set_routes(self, routes: Mapping[str, Mapping[str, RouteValue]], *, replace: bool = True) -> None:
        """Install a route table (see fake_web) for the next request; replace=False merges
        host by host (paths of a host given here replace those paths only)."""
        checked = {h.lower(): {p: check_route(v) for p, v in t.items()} for h, t in routes.items()}
        with self._lock:
            if replace:
                self._routes = checked
            else:
                for host, table in checked.items():
                    self._routes.setdefault(host, {}).update(table)
        self._write_routes()

    def set_route(self, host: str, path: str, reply: RouteValue) -> None:
        """Route one (host, path); path "*" = every path of the host without its own route."""
        self.set_routes({host: {path: reply}}, replace=False)

    def set_host(self, host: str, reply: RouteValue) -> None:
        """Every path of `host` answers `reply` (its other routes are removed)."""
        check_route(reply)
        with self._lock:
            self._routes[host.lower()] = {"*": reply}
        self._write_routes()

    def set_fallback(self, reply: RouteValue) -> None:
        with self._lock:
            self._fallback = check_route(reply)
        self._write_routes()

    def set_tls(self, cert: str = "untrusted", hosts: Iterable[str] | None = None) -> None:
        """Serve another certificate: "untrusted" (unknown CA: interception), "expired",
        "wrong_name" or "trusted", for the given SNI names or (hosts=None) for all."""
        if cert not in ("trusted", "untrusted", "expired", "wrong_name"):
            raise ValueError(f"unknown certificate {cert!r}")
        with self._lock:
            if hosts is None:
                self._certs = {"*": cert}
            else:
                self._certs.update({normalise_name(h): cert for h in hosts})
        self._write_routes()

    def set_tcp_behaviour(self, behaviour: str, port: int = TCP_PORT) -> None:
        """Plain TCP port behaviour: "accept" (default), "reset", "close" or "garbage"."""
        with self._lock:
            self._tcp[port] = behaviour
        self._write_routes()

    def reset_web(self) -> None:
        """Back to the routes given at construction, trusted certs, accepting TCP."""
        with self._lock:
            self._routes = copy_routes(self._initial_routes)
            self._fallback = NOT_FOUND
            self._certs.clear()
            self._tcp.clear()
        self._write_routes()

    def web_stats(self) -> dict[str, Any]:
        """The web server's counters (see FakeWebServer.stats)."""
        return dict(read_json(self.workdir / "web-stats.json", {}) or {})

    def web_requests(self, host: str | None = None, path: str | None = None) -> int:
        requests: dict[str, dict[str, int]] = self.web_stats().get("requests", {})
        total = 0
        for h, paths in requests.items():
            if host is not None and h != normalise_name(host):
                continue
            for p, n in paths.items():
                if path is None or p == path or p.split("?", 1)[0] == path:
                    total += n
        return total

    def connections(self, host: str | None = None, kind: str | None = None) -> int:
        """Accepted connections, optionally to one fake host's address and of one kind
        ("http", "https", "tcp:5222")."""
        stats = self.web_stats()
        if host is None:
            counter: dict[str, int] = stats.get("connections", {})
        else:
            counter = stats.get("connections_by_ip", {}).get(self.ip_of(host), {})
        return sum(counter.values()) if kind is None else int(counter.get(kind, 0))
