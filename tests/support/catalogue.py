"""Read-only view of traywatch's default catalogue (traywatch/core/catalogue.toml) for tests.

The test servers derive their DNS zone, certificate names and healthy answers from the
catalogue, so that a target added to the catalogue is covered by the fake internet without
touching the test infrastructure.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_PATH = REPO_ROOT / "traywatch" / "core" / "catalogue.toml"

#: The sign-in page host used by `captive_portal_routes()`; reserved `.example` TLD.
PORTAL_HOST = "login.portal.example"


@dataclass(frozen=True)
class CatalogueTarget:
    """One URL (or tcp://host:port) the catalogue probes, with its expectations."""

    kind: str  # "reference" or "service"
    id: str  # reference id or service id
    name: str  # provider (reference) or service name
    url: str
    scheme: str  # "http", "https" or "tcp"
    host: str
    port: int
    path: str  # path plus query ("/" when empty); "" for tcp
    method: str = "GET"
    expect_status: tuple[int, ...] = ()
    body_contains: str | None = None
    json_error: bool = False


@dataclass(frozen=True)
class Catalogue:
    """The parsed catalogue: Meta domains, error phrases and every target."""

    meta_domains: tuple[str, ...]
    error_phrases: tuple[str, ...]
    references: tuple[CatalogueTarget, ...]
    services: tuple[CatalogueTarget, ...]

    @property
    def targets(self) -> tuple[CatalogueTarget, ...]:
        return self.references + self.services

    def hostnames(self) -> list[str]:
        """Every distinct hostname in the catalogue, sorted."""
        return sorted({t.host for t in self.targets})

    def is_meta(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.meta_domains)

    def group_of(self, host: str) -> str:
        """ "meta" for hosts under a Meta domain, "reference" for other catalogue hosts,
        "other" for anything else."""
        if self.is_meta(host):
            return "meta"
        if host.lower().rstrip(".") in {t.host for t in self.references}:
            return "reference"
        return "other"


def _target(kind: str, ident: str, name: str, raw: dict[str, Any]) -> CatalogueTarget:
    url = str(raw["url"])
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    default_port = {"http": 80, "https": 443}.get(scheme, 0)
    path = ""
    if scheme in ("http", "https"):
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return CatalogueTarget(
        kind=kind,
        id=ident,
        name=name,
        url=url,
        scheme=scheme,
        host=(parts.hostname or "").lower(),
        port=parts.port or default_port,
        path=path,
        method=str(raw.get("method", "GET")).upper(),
        expect_status=tuple(int(s) for s in raw.get("expect_status", ())),
        body_contains=raw.get("body_contains"),
        json_error=bool(raw.get("json_error", False)),
    )


@functools.lru_cache(maxsize=8)
def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Parse a catalogue file (default: the shipped default catalogue). Cached per path."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    references = tuple(
        _target("reference", str(r.get("id", "")), str(r.get("provider", "")), r)
        for r in data.get("reference", [])
    )
    services: list[CatalogueTarget] = []
    for svc in data.get("service", []):
        for raw in svc.get("target", []):
            services.append(_target("service", str(svc.get("id", "")), str(svc.get("name", "")), raw))
    return Catalogue(
        meta_domains=tuple(str(d).lower() for d in data.get("meta_domains", [])),
        error_phrases=tuple(str(p) for p in data.get("error_phrases", [])),
        references=references,
        services=tuple(services),
    )


def catalogue_hostnames(path: Path = CATALOGUE_PATH) -> list[str]:
    """Every hostname of the catalogue, sorted."""
    return load_catalogue(path).hostnames()


def meta_hostnames(path: Path = CATALOGUE_PATH) -> list[str]:
    """The hostnames of the catalogue's Meta services (not the references), sorted."""
    catalogue = load_catalogue(path)
    return sorted({t.host for t in catalogue.targets if catalogue.is_meta(t.host)})
