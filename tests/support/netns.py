"""A fake internet in Linux network namespaces (root only), and a namespace with no network.

`FakeInternet` builds two namespaces joined by a veth pair::

    client  tw-c-<id>  100.64.0.1/10, default route via 100.64.0.2
    server  tw-s-<id>  100.64.0.2/10 (gateway + DNS on :53)
                       Meta hosts 100.64.1.x, reference hosts 100.64.2.x, others 100.64.3.x
                       HTTP :80, HTTPS :443, TCP :5222 on every address

Only 100.64.0.0/10 (shared address space) is used, never RFC 1918 or public addresses, and
the server namespace does not forward, so nothing can leave the pair. DNS (dns_server) and the
fake web (fake_web) run as subprocesses inside the server namespace; they are steered through
JSON files re-read on every request, so a change made by the test applies to the next request.
The client namespace gets its own resolv.conf (nameserver 100.64.0.2, timeout:1 attempts:1),
nsswitch.conf (hosts: files dns) and hosts (localhost only) through /etc/netns/<client>/.

Everything is removed on exit (finally + atexit); `reap_stale_namespaces()` (run on every
start) removes namespaces and /etc/netns dirs left behind by test processes that died.

    @pytest.fixture(scope="module")
    def internet() -> Iterator[FakeInternet]:
        skip_unless_netns()
        with FakeInternet() as net:
            yield net
"""

from __future__ import annotations

import atexit
import contextlib
import ipaddress
import json
import logging
import os
import re
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import pytest

from tests.support._control import read_json, write_json_atomic
from tests.support.catalogue import PORTAL_HOST, REPO_ROOT, Catalogue, load_catalogue
from tests.support.certs import make_cert_suite
from tests.support.dns_server import Behaviour, normalise_behaviour, normalise_name
from tests.support.fake_web import (
    NOT_FOUND,
    Routes,
    RouteValue,
    check_route,
    config_to_json,
    copy_routes,
    healthy_meta_routes,
)

log = logging.getLogger(__name__)

CLIENT_IP = "100.64.0.1"
SERVER_IP = "100.64.0.2"  # gateway and DNS server
PREFIX_LEN = 10
SHARED_SPACE = ipaddress.ip_network("100.64.0.0/10")
GROUP_PREFIX = {"meta": "100.64.1.", "reference": "100.64.2.", "other": "100.64.3."}
HTTP_PORT, HTTPS_PORT, TCP_PORT, DNS_PORT = 80, 443, 5222, 53
NFT_TABLE = "traywatch_test"

NETNS_DIR = Path("/run/netns")
ETC_NETNS = Path("/etc/netns")
OWNER_DIR = Path("/run/traywatch-tests")
NAME_RE = re.compile(r"^tw-[csn]-[0-9a-f]{6}$")


class _Closable(Protocol):
    def close(self) -> None: ...


_LIVE: list[_Closable] = []
_LIVE_LOCK = threading.Lock()


def _close_all_at_exit() -> None:
    with _LIVE_LOCK:
        live = list(reversed(_LIVE))
    for obj in live:
        try:
            obj.close()
        except Exception:
            log.exception("cleanup at exit failed")


atexit.register(_close_all_at_exit)


# --------------------------------------------------------------------------- helpers


def _run(args: Sequence[str], *, input: str | None = None, check: bool = True) -> str:
    proc = subprocess.run(list(args), input=input, capture_output=True, text=True, timeout=30, check=False)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


def _ip(*args: str, input: str | None = None, check: bool = True) -> str:
    return _run(["ip", *args], input=input, check=check)


def _proc_start_ticks(pid: int) -> int | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(text.rpartition(")")[2].split()[19])


def _process_start_wall_time() -> float:
    try:
        btime = next(
            int(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        ticks = _proc_start_ticks(os.getpid())
        if ticks is not None:
            return btime + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, StopIteration, ValueError):
        pass
    return _IMPORT_TIME


_IMPORT_TIME = time.time()
_MY_START = _process_start_wall_time()


def _claim(name: str) -> None:
    """Record that this process owns namespace `name` (before creating it)."""
    OWNER_DIR.mkdir(parents=True, exist_ok=True)
    (OWNER_DIR / name).write_text(f"{os.getpid()} {_proc_start_ticks(os.getpid())}\n")


def _release(name: str) -> None:
    (OWNER_DIR / name).unlink(missing_ok=True)


def _owner_alive(name: str) -> bool | None:
    """True/False when an owner is recorded, None when nothing is recorded."""
    try:
        pid_text, ticks_text = (OWNER_DIR / name).read_text().split()
    except (OSError, ValueError):
        return None
    pid = int(pid_text)
    return _proc_start_ticks(pid) is not None and str(_proc_start_ticks(pid)) == ticks_text


def _is_stale(name: str, created: float) -> bool:
    alive = _owner_alive(name)
    if alive is None:
        return created < _MY_START
    return not alive


def reap_stale_namespaces() -> list[str]:
    """Delete tw-c-/tw-s-/tw-n- namespaces (and their /etc/netns dirs) whose owning test
    process is gone, or which have no owner record and are older than this process.
    Processes still running inside a stale namespace are killed first. Returns the names."""
    reaped: list[str] = []
    candidates: dict[str, float] = {}
    for base in (NETNS_DIR, ETC_NETNS):
        try:
            for entry in base.iterdir():
                if NAME_RE.match(entry.name):
                    created = entry.stat().st_ctime
                    candidates[entry.name] = min(created, candidates.get(entry.name, created))
        except OSError:
            continue
    for name, created in sorted(candidates.items()):
        if not _is_stale(name, created):
            continue
        if (NETNS_DIR / name).exists():
            for pid_text in _ip("netns", "pids", name, check=False).split():
                with contextlib.suppress(OSError, ValueError):
                    os.kill(int(pid_text), signal.SIGKILL)
            _ip("netns", "del", name, check=False)
        shutil.rmtree(ETC_NETNS / name, ignore_errors=True)
        shutil.rmtree(Path(tempfile.gettempdir()) / name, ignore_errors=True)  # FakeInternet's
        _release(name)
        reaped.append(name)
    with contextlib.suppress(OSError):
        ETC_NETNS.rmdir()  # only when empty
    if reaped:
        log.warning("reaped stale test namespaces: %s", ", ".join(reaped))
    return reaped


_REASON: list[str | None] = []


def netns_unavailable_reason() -> str | None:
    """Why namespace tests cannot run here (None when they can). Cached."""
    if _REASON:
        return _REASON[0]
    reason: str | None = None
    if not sys.platform.startswith("linux"):
        reason = "network namespaces need Linux"
    elif os.geteuid() != 0:
        reason = "network namespace tests need root (ip netns add)"
    else:
        missing = [tool for tool in ("ip", "nft") if shutil.which(tool) is None]
        if missing:
            reason = f"missing tools: {', '.join(missing)} (apt-get install iproute2 nftables)"
    if reason is None:
        name = f"tw-n-{secrets.token_hex(3)}"
        try:
            _claim(name)
            _ip("netns", "add", name)
            try:
                _ip("netns", "exec", name, "true")
            finally:
                _ip("netns", "del", name, check=False)
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            reason = f"`ip netns` is not usable here: {exc}"
        finally:
            _release(name)
    _REASON.append(reason)
    return reason


def netns_available() -> bool:
    return netns_unavailable_reason() is None


def skip_unless_netns() -> None:
    """pytest.skip() with a clear reason unless network namespaces can be used."""
    reason = netns_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)


def _zone_value(behaviour: Behaviour) -> str | list[str]:
    """A validated behaviour in its JSON form."""
    value = normalise_behaviour(behaviour)
    return list(value) if isinstance(value, tuple) else value


def _merge_env(env: Mapping[str, str] | None) -> dict[str, str] | None:
    if env is None:
        return None
    merged = dict(os.environ)
    merged.update(env)
    return merged


class _Namespace:
    """Shared bits: one namespace owned by this process, commands inside it, cleanup."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._popens: list[subprocess.Popen[Any]] = []
        self._closed = False

    def _exec_args(self, args: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.name, *[str(a) for a in args]]

    def run(
        self,
        args: Sequence[str],
        env: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        *,
        input: str | None = None,
        cwd: str | Path | None = None,
        check: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        """Run a command inside the namespace; output captured as text. `env` is merged over
        this process's environment."""
        return subprocess.run(
            self._exec_args(args),
            env=_merge_env(env),
            timeout=timeout,
            input=input,
            cwd=cwd,
            capture_output=True,
            text=True,
            check=check,
        )

    def popen(
        self, args: Sequence[str], env: Mapping[str, str] | None = None, **kwargs: Any
    ) -> subprocess.Popen[Any]:
        """Start a command inside the namespace (subprocess.Popen keyword arguments apply).
        It is killed on close() if still running."""
        proc: subprocess.Popen[Any] = subprocess.Popen(self._exec_args(args), env=_merge_env(env), **kwargs)
        self._popens.append(proc)
        return proc

    def _stop_popens(self) -> None:
        for proc in self._popens:
            _stop_process(proc)
        self._popens.clear()

    def _register(self) -> None:
        with _LIVE_LOCK:
            _LIVE.append(self)

    def _unregister(self) -> None:
        with _LIVE_LOCK:
            if self in _LIVE:
                _LIVE.remove(self)

    def close(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def _stop_process(proc: subprocess.Popen[Any], grace: float = 3.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=grace)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def _delete_namespace(name: str) -> None:
    if (NETNS_DIR / name).exists():
        _ip("netns", "del", name, check=False)
    shutil.rmtree(ETC_NETNS / name, ignore_errors=True)
    _release(name)


# --------------------------------------------------------------------------- no route


class NoRouteNamespace(_Namespace):
    """A fresh namespace with only loopback up: the internet is really down in it.

    Connections fail at once (ENETUNREACH); name lookups fail fast because the nameserver
    of the host's resolv.conf is unreachable from inside.
    """

    def __init__(self) -> None:
        super().__init__(f"tw-n-{secrets.token_hex(3)}")

    def start(self) -> NoRouteNamespace:
        reap_stale_namespaces()
        _claim(self.name)
        self._register()
        try:
            _ip("netns", "add", self.name)
            _ip("-n", self.name, "link", "set", "lo", "up")
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._stop_popens()
        finally:
            _delete_namespace(self.name)
            self._unregister()

    def __enter__(self) -> NoRouteNamespace:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --------------------------------------------------------------------------- fake internet


class FakeInternet(_Namespace):
    """Client + server namespaces with DNS and a fake web for every catalogue host."""

    def __init__(
        self,
        routes: Mapping[str, Mapping[str, RouteValue]] | None = None,
        *,
        extra_hosts: Iterable[str] = (),
        dns_default: Behaviour = "nxdomain",
        catalogue: Catalogue | None = None,
        workdir: str | Path | None = None,
        start_timeout: float = 15.0,
        server_log_level: str = "WARNING",
    ) -> None:
        uid = secrets.token_hex(3)
        super().__init__(f"tw-c-{uid}")
        self.client = self.name
        self.server = f"tw-s-{uid}"
        self.veth = f"twc-{uid}"  # client side
        self.server_veth = f"tws-{uid}"
        self.catalogue = catalogue or load_catalogue()
        self._initial_routes = copy_routes(
            routes if routes is not None else healthy_meta_routes(self.catalogue)
        )
        self._routes = copy_routes(self._initial_routes)
        self._fallback: RouteValue = NOT_FOUND
        self._certs: dict[str, str] = {}
        self._tcp: dict[int, str] = {}
        self._dns_default: Any = _zone_value(dns_default)
        self._dropped: set[str] = set()
        self.start_timeout = start_timeout
        self.server_log_level = server_log_level
        self._own_workdir = workdir is None
        self.workdir = Path(workdir) if workdir is not None else Path(tempfile.gettempdir()) / self.client
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

        hosts = [*self.catalogue.hostnames(), PORTAL_HOST]
        hosts += [normalise_name(h) for h in extra_hosts]
        self.groups: dict[str, list[str]] = {g: [] for g in GROUP_PREFIX}
        for host in dict.fromkeys(hosts):
            self.groups[self.catalogue.group_of(host)].append(host)
        self.addresses: dict[str, str] = {}
        for group, members in self.groups.items():
            if len(members) > 250:
                raise ValueError(f"too many {group} hosts")
            for i, host in enumerate(sorted(members), start=1):
                self.addresses[host] = f"{GROUP_PREFIX[group]}{i}"
        self._zone: dict[str, Any] = {h: [ip] for h, ip in self.addresses.items()}

    # ----------------------------------------------------------------- paths

    @property
    def ca_file(self) -> Path:
        """The CA the client must trust (its certificate for every fake host)."""
        return self.workdir / "ca.pem"

    @property
    def untrusted_ca_file(self) -> Path:
        return self.workdir / "untrusted-ca.pem"

    @property
    def zone_file(self) -> Path:
        return self.workdir / "zone.json"

    @property
    def routes_file(self) -> Path:
        return self.workdir / "routes.json"

    def ip_of(self, host: str) -> str:
        return self.addresses[normalise_name(host)]

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeInternet:
        reason = netns_unavailable_reason()
        if reason is not None:
            raise RuntimeError(reason)
        reap_stale_namespaces()
        self._register()
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def _start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=not self._own_workdir)
        t0 = time.monotonic()
        suite = make_cert_suite(self.workdir, [*self.addresses, "localhost"])
        self._write_zone()
        self._write_routes()
        self._build_network()
        self._write_etc()
        self._start_servers(suite.server_files())
        log.info(
            "fake internet %s/%s up in %.2fs (%d hosts)",
            self.client,
            self.server,
            time.monotonic() - t0,
            len(self.addresses),
        )

    def _build_network(self) -> None:
        for ns in (self.client, self.server):
            _claim(ns)
            _ip("netns", "add", ns)
            _run(
                [
                    "ip", "netns", "exec", ns, "sysctl", "-q", "-w",
                    "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1",
                ]
            )  # fmt: skip
        _ip(
            "link", "add", self.veth, "netns", self.client, "type", "veth",
            "peer", "name", self.server_veth, "netns", self.server,
        )  # fmt: skip
        client_cmds = [
            "link set lo up",
            f"addr add {CLIENT_IP}/{PREFIX_LEN} dev {self.veth}",
            f"link set {self.veth} up",
            f"route add default via {SERVER_IP} dev {self.veth}",
        ]
        server_cmds = [
            "link set lo up",
            f"addr add {SERVER_IP}/{PREFIX_LEN} dev {self.server_veth}",
            *(f"addr add {ip}/32 dev {self.server_veth}" for ip in self.addresses.values()),
            f"link set {self.server_veth} up",
        ]
        _ip("-n", self.server, "-batch", "-", input="\n".join(server_cmds) + "\n")
        _ip("-n", self.client, "-batch", "-", input="\n".join(client_cmds) + "\n")
        # Permanent neighbour entries: no ARP traffic, so veth_bytes() counts only real work.
        server_mac = self._mac(self.server, self.server_veth)
        client_mac = self._mac(self.client, self.veth)
        neigh = [
            f"neigh replace {ip} lladdr {server_mac} dev {self.veth} nud permanent"
            for ip in [SERVER_IP, *self.addresses.values()]
        ]
        _ip("-n", self.client, "-batch", "-", input="\n".join(neigh) + "\n")
        _ip(
            "-n", self.server, "neigh", "replace", CLIENT_IP, "lladdr", client_mac,
            "dev", self.server_veth, "nud", "permanent",
        )  # fmt: skip

    @staticmethod
    def _mac(ns: str, dev: str) -> str:
        info = json.loads(_ip("-n", ns, "-j", "link", "show", "dev", dev))
        return str(info[0]["address"])

    def _write_etc(self) -> None:
        etc = ETC_NETNS / self.client
        etc.mkdir(parents=True, exist_ok=True)
        (etc / "resolv.conf").write_text(f"nameserver {SERVER_IP}\noptions timeout:1 attempts:1\n")
        (etc / "hosts").write_text("127.0.0.1 localhost\n::1 localhost ip6-localhost\n")
        try:
            lines = Path("/etc/nsswitch.conf").read_text().splitlines()
        except OSError:
            lines = ["passwd: files", "group: files", "shadow: files"]
        lines = [ln for ln in lines if not ln.strip().startswith("hosts:")]
        (etc / "nsswitch.conf").write_text("\n".join([*lines, "hosts: files dns"]) + "\n")

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

    def close(self) -> None:
        """Stop everything and delete both namespaces and /etc/netns/<client>. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            self._stop_popens()
            for proc in self._procs.values():
                _stop_process(proc)
            self._procs.clear()
        finally:
            for ns in (self.client, self.server):
                _delete_namespace(ns)
            with contextlib.suppress(OSError):
                ETC_NETNS.rmdir()  # only when empty (it did not exist before)
            if self._own_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)
            self._unregister()

    def __enter__(self) -> FakeInternet:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ----------------------------------------------------------------- commands

    def run(
        self,
        args: Sequence[str],
        env: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        *,
        input: str | None = None,
        cwd: str | Path | None = None,
        check: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        """Run a command in the CLIENT namespace (see _Namespace.run)."""
        self.check_servers()
        return super().run(args, env, timeout, input=input, cwd=cwd, check=check)

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

    # ----------------------------------------------------------------- packet drops

    def _resolve_targets(self, targets: Iterable[str] | str) -> set[str]:
        items = [targets] if isinstance(targets, str) else list(targets)
        out: set[str] = set()
        for item in items:
            key = item.strip().lower()
            if key in ("*", "all"):
                out.add(str(SHARED_SPACE))
            elif key == "dns":
                out.add(SERVER_IP)
            elif key in self.groups:
                out.update(self.addresses[h] for h in self.groups[key])
            elif normalise_name(key) in self.addresses:
                out.add(self.addresses[normalise_name(key)])
            else:
                try:
                    out.add(str(ipaddress.ip_network(key, strict=False)))
                except ValueError:
                    raise ValueError(
                        f"not a fake host, group ({', '.join(self.groups)}, dns, all) or address: {item!r}"
                    ) from None
        return {a.removesuffix("/32") for a in out}

    def _apply_drops(self) -> None:
        script = f"add table inet {NFT_TABLE}\ndelete table inet {NFT_TABLE}\n"
        v4 = sorted(a for a in self._dropped if ":" not in a)
        v6 = sorted(a for a in self._dropped if ":" in a)
        if v4 or v6:
            rules = []
            if v4:
                rules.append(f"    ip daddr {{ {', '.join(v4)} }} drop")
            if v6:
                rules.append(f"    ip6 daddr {{ {', '.join(v6)} }} drop")
            script += (
                f"table inet {NFT_TABLE} {{\n  chain output {{\n"
                "    type filter hook output priority 0; policy accept;\n" + "\n".join(rules) + "\n  }\n}\n"
            )
        _run(["ip", "netns", "exec", self.client, "nft", "-f", "-"], input=script)

    def drop(self, targets: Iterable[str] | str) -> None:
        """Silently drop (no reject) packets from the client to these fake hosts, groups
        ("meta", "reference", "other"), "dns", "all", or addresses/networks."""
        addresses = self._resolve_targets(targets)
        with self._lock:
            self._dropped |= addresses
            self._apply_drops()

    def undrop(self, targets: Iterable[str] | str | None = None) -> None:
        """Stop dropping these targets (all of them when None)."""
        with self._lock:
            if targets is None:
                self._dropped.clear()
            else:
                self._dropped -= self._resolve_targets(targets)
            self._apply_drops()

    @property
    def dropped(self) -> set[str]:
        with self._lock:
            return set(self._dropped)

    # ----------------------------------------------------------------- link

    def veth_bytes(self) -> int:
        """rx + tx bytes on the client's veth so far (take a difference around a round)."""
        info = json.loads(_ip("-n", self.client, "-s", "-j", "link", "show", "dev", self.veth))
        stats = info[0]["stats64"]
        return int(stats["rx"]["bytes"]) + int(stats["tx"]["bytes"])

    def remove_default_route(self) -> None:
        """The client loses its default route (the fake hosts stay reachable on-link)."""
        _ip("-n", self.client, "route", "del", "default", check=False)

    def restore_default_route(self) -> None:
        _ip("-n", self.client, "route", "replace", "default", "via", SERVER_IP, "dev", self.veth)

    def set_link(self, up: bool) -> None:
        """Take the client's veth down (cable pulled) or up again (restores the route)."""
        _ip("-n", self.client, "link", "set", self.veth, "up" if up else "down")
        if up:
            self.restore_default_route()

    def reset(self) -> None:
        """Undo every change made since start: routes, certificates, TCP behaviour, DNS,
        drops, link and default route. Counters are not reset."""
        self.undrop()
        self.reset_web()
        self.reset_dns()
        self.set_link(True)
