"""DNS on the wire for the test DNS server: reading a query, the reply a behaviour gives (see
`tests.support.dns_zone`), and the two-byte length framing of DNS over TCP."""

from __future__ import annotations

import logging
import socket
import struct

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from tests.support.dns_zone import normalise_name

log = logging.getLogger(__name__)

_RCODES = {
    "servfail": dns.rcode.SERVFAIL,
    "nxdomain": dns.rcode.NXDOMAIN,
    "refused": dns.rcode.REFUSED,
}


def read_query(wire: bytes, transport: str) -> dns.message.Message | None:
    """The query in `wire`, or None (logged) when it cannot be parsed."""
    try:
        return dns.message.from_wire(wire)
    except dns.exception.DNSException as exc:
        log.debug("unparseable query (%s): %s", transport, exc)
        return None


def question(query: dns.message.Message) -> tuple[str, str] | None:
    """(normalised name, record type) asked for, or None when the query asks nothing."""
    if not query.question:
        return None
    asked = query.question[0]
    return normalise_name(asked.name.to_text()), dns.rdatatype.to_text(asked.rdtype)


def _response(query: dns.message.Message) -> dns.message.Message:
    response = dns.message.make_response(query)
    response.flags |= dns.flags.RA | dns.flags.AA
    return response


def format_error(query: dns.message.Message) -> bytes:
    """The FORMERR reply to a query without a question."""
    response = _response(query)
    response.set_rcode(dns.rcode.FORMERR)
    return response.to_wire()


def reply_to(query: dns.message.Message, behaviour: str | tuple[str, ...], ttl: int) -> bytes | None:
    """The wire reply `behaviour` gives to `query`, or None to stay silent ("timeout").

    Addresses answer A or AAAA queries with those of the matching family (none: NOERROR, no
    records); "servfail", "nxdomain" and "refused" set that code; "empty" is NOERROR, no records.
    """
    if behaviour == "timeout":
        return None
    response = _response(query)
    if isinstance(behaviour, str):
        if behaviour in _RCODES:
            response.set_rcode(_RCODES[behaviour])
        return response.to_wire()
    asked = query.question[0]
    if asked.rdclass == dns.rdataclass.IN and asked.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
        want_v6 = asked.rdtype == dns.rdatatype.AAAA
        matching = [a for a in behaviour if (":" in a) == want_v6]
        if matching:
            response.answer.append(
                dns.rrset.from_text_list(asked.name, ttl, dns.rdataclass.IN, asked.rdtype, matching)
            )
    return response.to_wire()


def _recv_exact(conn: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_framed(conn: socket.socket) -> bytes | None:
    """One length-prefixed DNS message from a TCP connection, or None when the peer closed."""
    head = _recv_exact(conn, 2)
    if head is None:
        return None
    return _recv_exact(conn, struct.unpack("!H", head)[0])


def framed(message: bytes) -> bytes:
    """`message` with the two-byte length DNS over TCP puts before it."""
    return struct.pack("!H", len(message)) + message
