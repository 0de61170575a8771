"""Name lookups with failures told apart: no answer, server failure, no such name.

The default asks the operating system (getaddrinfo: hosts file, VPN and company DNS included).
With `network.nameservers` configured it asks those servers directly (dnspython), which also lets
tests bring their own DNS server.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Protocol

from traywatch.core.models import Hint
from traywatch.core.net import probe_texts as T
from traywatch.i18n import Decimal


class ResolveError(Exception):
    def __init__(self, hint: Hint, detail: str) -> None:
        super().__init__(detail)
        self.hint = hint
        self.detail = detail


class Resolver(Protocol):
    def resolve(self, host: str, timeout: float) -> tuple[str, ...]:
        """Addresses for host, or ResolveError. May take up to `timeout` seconds."""
        ...


def ip_literal(host: str) -> tuple[str, ...] | None:
    try:
        return (str(ipaddress.ip_address(host.strip("[]"))),)
    except ValueError:
        return None


class SystemResolver:
    """The operating system's resolver. Its own timeout cannot be shortened; the round's can."""

    def resolve(self, host: str, timeout: float) -> tuple[str, ...]:
        literal = ip_literal(host)
        if literal:
            return literal
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            if exc.errno == socket.EAI_AGAIN:
                raise ResolveError(
                    Hint.DNS_NO_ANSWER,
                    T.LOOKUP_NO_ANSWER(host=host),
                ) from exc
            if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                raise ResolveError(Hint.DNS_NXDOMAIN, T.NXDOMAIN(host=host)) from exc
            raise ResolveError(Hint.DNS_NO_ANSWER, T.LOOKUP_FAILED(host=host, error=str(exc))) from exc
        addresses: list[str] = []
        for info in infos:
            address = str(info[4][0])
            if address not in addresses:
                addresses.append(address)
        # Prefer IPv4 first: it is what most small-business routers actually route.
        addresses.sort(key=lambda a: ":" in a)
        return tuple(addresses)


class DirectResolver:
    """Asks the configured DNS servers directly (UDP, falling back to TCP for long answers).
    dnspython is imported only here: the default (OS resolver) never pays for it in memory."""

    def __init__(self, nameservers: tuple[tuple[str, int], ...]) -> None:
        import dns.nameserver

        self._servers = [dns.nameserver.Do53Nameserver(h, p) for h, p in nameservers]

    def resolve(self, host: str, timeout: float) -> tuple[str, ...]:
        literal = ip_literal(host)
        if literal:
            return literal
        import dns.exception
        import dns.resolver

        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = list(self._servers)
        resolver.lifetime = max(timeout, 0.05)
        resolver.timeout = max(min(timeout, 2.0), 0.05)
        resolver.retry_servfail = False
        try:
            answer = resolver.resolve(host, "A", search=False)
            return tuple(sorted(str(r) for r in answer))
        except dns.resolver.NoAnswer:
            pass  # no IPv4: try IPv6 below
        except dns.resolver.NXDOMAIN as exc:
            raise ResolveError(Hint.DNS_NXDOMAIN, T.NXDOMAIN(host=host)) from exc
        except dns.resolver.NoNameservers as exc:
            raise ResolveError(Hint.DNS_SERVFAIL, T.SERVFAIL(host=host)) from exc
        except dns.exception.Timeout as exc:
            raise ResolveError(
                Hint.DNS_NO_ANSWER, T.DNS_SLOW(host=host, seconds=Decimal(timeout, 1))
            ) from exc
        try:
            answer = resolver.resolve(host, "AAAA", search=False)
            return tuple(sorted(str(r) for r in answer))
        except dns.resolver.NoAnswer as exc:
            raise ResolveError(Hint.DNS_NXDOMAIN, T.NO_ADDRESSES(host=host)) from exc
        except (dns.resolver.NXDOMAIN, dns.resolver.NoNameservers, dns.exception.Timeout) as exc:
            raise ResolveError(Hint.DNS_NO_ANSWER, T.LOOKUP_FAILED(host=host, error=str(exc))) from exc


def make_resolver(nameservers: tuple[tuple[str, int], ...]) -> Resolver:
    return DirectResolver(nameservers) if nameservers else SystemResolver()


_BLOCK_NETS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "::/128",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
    )
)


def is_blocking_address(address: str) -> bool:
    """0.0.0.0, loopback, private or link-local: what DNS filters answer for names they block."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _BLOCK_NETS if ip.version == net.version)
