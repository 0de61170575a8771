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

This module holds FakeInternet (the network, packet drops, the link); the servers and their
controls are in netns_servers, namespace plumbing and NoRouteNamespace in netns_base, and
are re-exported here.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

from tests.support.catalogue import PORTAL_HOST, Catalogue, load_catalogue
from tests.support.certs import make_cert_suite
from tests.support.dns_zone import Behaviour, normalise_name
from tests.support.netns_base import (
    ETC_NETNS,
    NAME_RE,
    NETNS_DIR,
    OWNER_DIR,
    Namespace,
    NoRouteNamespace,
    claim,
    delete_namespace,
    netns_available,
    netns_unavailable_reason,
    reap_stale_namespaces,
    run_command,
    run_ip,
    skip_unless_netns,
)
from tests.support.netns_servers import DNS_PORT, HTTP_PORT, HTTPS_PORT, SERVER_IP, TCP_PORT, ServerControl
from tests.support.web_route_sets import healthy_meta_routes
from tests.support.web_routes import RouteValue

__all__ = [
    "CLIENT_IP",
    "DNS_PORT",
    "ETC_NETNS",
    "GROUP_PREFIX",
    "HTTPS_PORT",
    "HTTP_PORT",
    "NAME_RE",
    "NETNS_DIR",
    "NFT_TABLE",
    "OWNER_DIR",
    "PREFIX_LEN",
    "SERVER_IP",
    "SHARED_SPACE",
    "TCP_PORT",
    "FakeInternet",
    "NoRouteNamespace",
    "netns_available",
    "netns_unavailable_reason",
    "reap_stale_namespaces",
    "skip_unless_netns",
]

log = logging.getLogger(__name__)

CLIENT_IP = "100.64.0.1"
PREFIX_LEN = 10
SHARED_SPACE = ipaddress.ip_network("100.64.0.0/10")
GROUP_PREFIX = {"meta": "100.64.1.", "reference": "100.64.2.", "other": "100.64.3."}
NFT_TABLE = "traywatch_test"


# --------------------------------------------------------------------------- fake internet


class FakeInternet(ServerControl, Namespace):
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
        Namespace.__init__(self, f"tw-c-{uid}")
        self.client = self.name
        self.server = f"tw-s-{uid}"
        self.veth = f"twc-{uid}"  # client side
        self.server_veth = f"tws-{uid}"
        self.catalogue = catalogue or load_catalogue()
        self._dropped: set[str] = set()
        self._own_workdir = workdir is None
        self.workdir = Path(workdir) if workdir is not None else Path(tempfile.gettempdir()) / self.client
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
        ServerControl.__init__(
            self,
            routes if routes is not None else healthy_meta_routes(self.catalogue),
            dns_default=dns_default,
            start_timeout=start_timeout,
            server_log_level=server_log_level,
        )

    # ----------------------------------------------------------------- paths

    @property
    def ca_file(self) -> Path:
        """The CA the client must trust (its certificate for every fake host)."""
        return self.workdir / "ca.pem"

    @property
    def untrusted_ca_file(self) -> Path:
        return self.workdir / "untrusted-ca.pem"

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
            claim(ns)
            run_ip("netns", "add", ns)
            run_command(
                [
                    "ip", "netns", "exec", ns, "sysctl", "-q", "-w",
                    "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1",
                ]
            )  # fmt: skip
        run_ip(
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
        run_ip("-n", self.server, "-batch", "-", input="\n".join(server_cmds) + "\n")
        run_ip("-n", self.client, "-batch", "-", input="\n".join(client_cmds) + "\n")
        # Permanent neighbour entries: no ARP traffic, so veth_bytes() counts only real work.
        server_mac = self._mac(self.server, self.server_veth)
        client_mac = self._mac(self.client, self.veth)
        neigh = [
            f"neigh replace {ip} lladdr {server_mac} dev {self.veth} nud permanent"
            for ip in [SERVER_IP, *self.addresses.values()]
        ]
        run_ip("-n", self.client, "-batch", "-", input="\n".join(neigh) + "\n")
        run_ip(
            "-n", self.server, "neigh", "replace", CLIENT_IP, "lladdr", client_mac,
            "dev", self.server_veth, "nud", "permanent",
        )  # fmt: skip

    @staticmethod
    def _mac(ns: str, dev: str) -> str:
        info = json.loads(run_ip("-n", ns, "-j", "link", "show", "dev", dev))
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

    def close(self) -> None:
        """Stop everything and delete both namespaces and /etc/netns/<client>. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            self._stop_popens()
            self._stop_servers()
        finally:
            for ns in (self.client, self.server):
                delete_namespace(ns)
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
        """Run a command in the CLIENT namespace (see Namespace.run)."""
        self.check_servers()
        return super().run(args, env, timeout, input=input, cwd=cwd, check=check)

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
        run_command(["ip", "netns", "exec", self.client, "nft", "-f", "-"], input=script)

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
        info = json.loads(run_ip("-n", self.client, "-s", "-j", "link", "show", "dev", self.veth))
        stats = info[0]["stats64"]
        return int(stats["rx"]["bytes"]) + int(stats["tx"]["bytes"])

    def remove_default_route(self) -> None:
        """The client loses its default route (the fake hosts stay reachable on-link)."""
        run_ip("-n", self.client, "route", "del", "default", check=False)

    def restore_default_route(self) -> None:
        run_ip("-n", self.client, "route", "replace", "default", "via", SERVER_IP, "dev", self.veth)

    def set_link(self, up: bool) -> None:
        """Take the client's veth down (cable pulled) or up again (restores the route)."""
        run_ip("-n", self.client, "link", "set", self.veth, "up" if up else "down")
        if up:
            self.restore_default_route()

    def reset(self) -> None:
        """Undo every change made since start: routes, certificates, TCP behaviour, DNS,
        drops, link and default route. Counters are not reset."""
        self.undrop()
        self.reset_web()
        self.reset_dns()
        self.set_link(True)
