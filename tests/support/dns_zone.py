"""What the test DNS server answers for a name: the behaviours, how names and behaviours are
normalised, wildcard lookup, and the zone file's format.

Behaviours per name: a list of IPv4/IPv6 addresses (A/AAAA answers; a query for the other
family gets NOERROR with no records), or "servfail", "nxdomain", "refused", "empty" (NOERROR,
no records) or "timeout" (never answer). A name may be a wildcard "*.example.com" (matches
any name below example.com, not example.com itself). Unknown names get the default behaviour
("nxdomain" unless changed). Names are case-insensitive, the trailing dot is optional.

The zone file is either {"records": {name: behaviour}, "default": behaviour, "ttl": int} or a
flat {name: behaviour} mapping.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any

Behaviour = str | Sequence[str]
"""A list of addresses, or one of BEHAVIOURS."""

BEHAVIOURS = frozenset({"servfail", "nxdomain", "refused", "timeout", "empty"})


def normalise_name(name: str) -> str:
    """Lower-case, without the trailing dot."""
    return name.strip().lower().rstrip(".")


def normalise_behaviour(behaviour: Behaviour) -> str | tuple[str, ...]:
    """Validate a behaviour; a single address string becomes a one-element tuple."""
    if isinstance(behaviour, str):
        word = behaviour.strip().lower()
        if word in BEHAVIOURS:
            return word
        behaviour = [behaviour]
    addresses: list[str] = []
    for item in behaviour:
        try:
            addresses.append(str(ipaddress.ip_address(str(item).strip())))
        except ValueError:
            raise ValueError(
                f"DNS behaviour must be addresses or one of {sorted(BEHAVIOURS)}: {item!r}"
            ) from None
    return tuple(addresses)


def lookup(
    records: Mapping[str, str | tuple[str, ...]], default: str | tuple[str, ...], name: str
) -> str | tuple[str, ...]:
    """The behaviour for a normalised `name`: its own, else the nearest wildcard above it,
    else `default`."""
    if name in records:
        return records[name]
    labels = name.split(".")
    for i in range(1, len(labels)):
        wildcard = "*." + ".".join(labels[i:])
        if wildcard in records:
            return records[wildcard]
    return default


def parse_zone(data: Any, ttl: int) -> tuple[dict[str, str | tuple[str, ...]], str | tuple[str, ...], int]:
    """(records, default, ttl) from a zone file's content; `ttl` is kept when the file has
    none. Raises ValueError, TypeError or AttributeError when the content is not a zone."""
    if isinstance(data, dict) and isinstance(data.get("records"), dict):
        records = data["records"]
        default = normalise_behaviour(data.get("default", "nxdomain"))
        ttl = int(data.get("ttl", ttl))
    else:
        records, default = data, normalise_behaviour("nxdomain")
    table = {normalise_name(k): normalise_behaviour(v) for k, v in records.items()}
    return table, default, ttl
