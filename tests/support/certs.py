"""Test TLS certificates made with trustme: a CA plus one multi-name server certificate.

    bundle = make_certs(tmp_path)                  # tmp_path/ca.pem, tmp_path/server.pem
    rogue = make_untrusted_certs(tmp_path)         # another CA, same names: "TLS interception"
    suite = make_cert_suite(tmp_path)              # trusted, untrusted, expired, wrong_name

`server.pem` holds the private key followed by the certificate chain, which is what
`ssl.SSLContext.load_cert_chain(server.pem)` expects. Clients trust `ca.pem` only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import trustme

from tests.support.catalogue import PORTAL_HOST, catalogue_hostnames

log = logging.getLogger(__name__)

#: Names that are always added so in-process servers can be reached by address too.
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")


def default_hostnames() -> list[str]:
    """Every catalogue hostname, the captive-portal host and the local names."""
    names = [*catalogue_hostnames(), PORTAL_HOST]
    return list(dict.fromkeys([*names, *LOCAL_NAMES]))


@dataclass(frozen=True)
class CertBundle:
    """Files of one CA and one server certificate issued by it."""

    ca_file: Path  # the CA certificate (what clients trust)
    server_file: Path  # private key + certificate chain (what the server loads)
    hostnames: tuple[str, ...]
    ca: trustme.CA = field(repr=False, compare=False)


@dataclass(frozen=True)
class CertSuite:
    """Server certificates for the same names in all the ways TLS can go wrong."""

    trusted: CertBundle  # the CA clients trust
    untrusted: CertBundle  # an unknown CA (interception / middlebox)
    expired: CertBundle  # trusted CA, expired last year (a wrong clock looks the same)
    wrong_name: CertBundle  # trusted CA, issued for another name only

    @property
    def ca_file(self) -> Path:
        return self.trusted.ca_file

    def server_files(self) -> dict[str, Path]:
        """{"trusted": path, "untrusted": ..., "expired": ..., "wrong_name": ...}."""
        return {
            "trusted": self.trusted.server_file,
            "untrusted": self.untrusted.server_file,
            "expired": self.expired.server_file,
            "wrong_name": self.wrong_name.server_file,
        }


def make_certs(
    directory: str | Path,
    hostnames: Iterable[str] | None = None,
    *,
    prefix: str = "",
    ca: trustme.CA | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> CertBundle:
    """Write `<prefix>ca.pem` and `<prefix>server.pem` (key + chain) into `directory`.

    A new CA is made unless `ca` is given. `hostnames` defaults to `default_hostnames()`.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    names = tuple(dict.fromkeys(hostnames if hostnames is not None else default_hostnames()))
    if not names:
        raise ValueError("at least one hostname is needed")
    authority = ca if ca is not None else trustme.CA(organization_name="traywatch test CA")
    leaf = authority.issue_cert(*names, not_before=not_before, not_after=not_after)
    ca_file = out / f"{prefix}ca.pem"
    server_file = out / f"{prefix}server.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    leaf.private_key_and_cert_chain_pem.write_to_path(str(server_file))
    log.debug("wrote %s and %s for %d names", ca_file, server_file, len(names))
    return CertBundle(ca_file=ca_file, server_file=server_file, hostnames=names, ca=authority)


def make_untrusted_certs(
    directory: str | Path, hostnames: Iterable[str] | None = None, *, prefix: str = "untrusted-"
) -> CertBundle:
    """Same names, issued by a fresh CA nobody trusts (simulates TLS interception)."""
    return make_certs(directory, hostnames, prefix=prefix)


def make_cert_suite(directory: str | Path, hostnames: Iterable[str] | None = None) -> CertSuite:
    """Write the trusted, untrusted, expired and wrong-name certificates into `directory`."""
    names = list(hostnames) if hostnames is not None else default_hostnames()
    trusted = make_certs(directory, names)
    now = dt.datetime.now(dt.UTC)
    expired = make_certs(
        directory,
        names,
        prefix="expired-",
        ca=trusted.ca,
        not_before=now - dt.timedelta(days=400),
        not_after=now - dt.timedelta(days=30),
    )
    wrong = make_certs(directory, ["wrong-name.example"], prefix="wrong-name-", ca=trusted.ca)
    return CertSuite(
        trusted=trusted,
        untrusted=make_untrusted_certs(directory, names),
        expired=expired,
        wrong_name=wrong,
    )
