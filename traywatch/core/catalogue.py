"""The catalogue of Meta services and reference checks, read from TOML data (not code)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from traywatch.core.errors import ConfigError
from traywatch.core.net.error_page import NO_SIGNS, ErrorSigns
from traywatch.core.settings.small_file import os_error_text, read_small_text
from traywatch.core.settings.toml_text import parse_toml
from traywatch.i18n import Template

# A catalogue file's problems. `{url}`/`{value}` are quoted from the file; `{error}` is Python's
# or the operating system's own words, said as they are.
TARGET_FORM = Template("config.target_form", "must be a URL string or a table with a 'url'")
UNKNOWN_TARGET_KEYS = Template("config.unknown_target_keys", "unknown target keys: {keys}")
URL_REQUIRED = Template("config.url_required", "is required and must be a string")
NOT_VALID_URL = Template(
    "config.not_valid_url", "{url} is not a valid URL ({error}; a port is a number from 1-65535)"
)
NOT_TARGET_URL = Template("config.not_target_url", "{url} is not an http://, https:// or tcp://host:port URL")
PORT_ZERO = Template("config.port_zero", "{url} has port 0: a port must be a number from 1-65535")
NEEDS_PORT = Template("config.needs_port", "{url} needs a port (tcp://host:port)")
GET_OR_HEAD = Template("config.get_or_head", "must be GET or HEAD, not {value}")
STATUS_CODES = Template("config.status_codes", "must be a list of HTTP status codes")
STRING_LIST = Template("config.string_list", "must be a list of strings")
PORT_NUMBER = Template("config.port_number", "must be a port number from 1-65535")
TCP_ONLY = Template("config.tcp_only", "applies to tcp://host:port targets only")
MUST_BE_TABLE = Template("config.must_be_table", "must be a table")
ID_REQUIRED = Template("config.id_required", "is required: letters, digits, '_' or '-'")
NEEDS_TARGET = Template("config.needs_target", "needs at least one target")
TABLES_LIST = Template("config.tables_list", "must be a list of [[{key}]] tables")
NOT_TAG_ID = Template("config.not_tag_id", "{value} is not tag#id")
NEEDS_ID = Template("config.needs_id", "needs an 'id'")
UNIQUE_IDS = Template("config.unique_ids", "service ids must be unique")
NO_ENTRIES = {
    ("[[service]]",): Template(
        "config.no_services",
        "has no [[service]] entries: a catalogue needs the Meta services to watch, and at least one "
        "reference (a site that is not Meta's, such as Google's) to tell your own internet from Meta",
    ),
    ("[[reference]]",): Template(
        "config.no_references",
        "has no [[reference]] entries: a catalogue needs the Meta services to watch, and at least one "
        "reference (a site that is not Meta's, such as Google's) to tell your own internet from Meta",
    ),
    ("[[service]]", "[[reference]]"): Template(
        "config.no_entries",
        "has no [[service]] or [[reference]] entries: a catalogue needs the Meta services to watch, "
        "and at least one reference (a site that is not Meta's, such as Google's) to tell your own "
        "internet from Meta",
    ),
}
CANNOT_READ_CATALOGUE = Template("config.cannot_read_catalogue", "cannot read the catalogue file: {error}")

DEFAULT_SERVICE_IDS = (
    "facebook",
    "instagram",
    "whatsapp",
    "messenger",
    "threads",
    "ads_manager",
    "graph_api",
)


@dataclass(frozen=True)
class TargetSpec:
    """One thing to probe and what a healthy answer from it looks like."""

    url: str
    method: str = "GET"
    expect_status: tuple[int, ...] = ()
    body_contains: str = ""
    body_absent: tuple[str, ...] = ()
    json_error: bool = False
    redirect_domains: tuple[str, ...] = ()
    error_titles: tuple[str, ...] = ()
    error_markers: tuple[str, ...] = ()
    # The service's app falls back to this port when this one is blocked: a failed connect
    # here while the service's other targets answer is a fact about the network, not trouble.
    fallback_port: int | None = None

    @property
    def error_signs(self) -> ErrorSigns:
        return ErrorSigns(self.body_absent, self.error_titles, self.error_markers)

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        parts = urlsplit(self.url)
        if parts.port:
            return parts.port
        return {"http": 80, "https": 443}.get(parts.scheme, 0)


@dataclass(frozen=True)
class ServiceSpec:
    id: str
    name: str
    targets: tuple[TargetSpec, ...]


@dataclass(frozen=True)
class ReferenceSpec:
    id: str
    provider: str
    target: TargetSpec


@dataclass(frozen=True)
class Catalogue:
    services: tuple[ServiceSpec, ...]
    references: tuple[ReferenceSpec, ...]
    meta_domains: tuple[str, ...]

    def without(self, disabled: set[str]) -> Catalogue:
        return Catalogue(
            tuple(s for s in self.services if s.id not in disabled),
            self.references,
            self.meta_domains,
        )

    def with_services(self, extra: tuple[ServiceSpec, ...]) -> Catalogue:
        return Catalogue(self.services + extra, self.references, self.meta_domains)


_TARGET_KEYS = {
    "url",
    "method",
    "expect_status",
    "body_contains",
    "body_absent",
    "json_error",
    "redirect_domains",
    "fallback_port",
}


def parse_target(
    raw: Any, where: str, meta_domains: tuple[str, ...], signs: ErrorSigns = NO_SIGNS
) -> TargetSpec:
    """Build a target from a table or a bare URL string; Meta targets get Meta's defaults
    (its redirect domains and the signs of its error page)."""
    if isinstance(raw, str):
        raw = {"url": raw}
    if not isinstance(raw, dict):
        raise ConfigError(where, TARGET_FORM())
    unknown = set(raw) - _TARGET_KEYS
    if unknown:
        raise ConfigError(where, UNKNOWN_TARGET_KEYS(keys=", ".join(sorted(unknown))))
    url = raw.get("url")
    if not isinstance(url, str) or not url:
        raise ConfigError(f"{where}.url", URL_REQUIRED())
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # "[bad" hosts, ports out of range or not numbers
        raise ConfigError(f"{where}.url", NOT_VALID_URL(url=repr(url), error=str(exc))) from None
    if parts.scheme not in ("http", "https", "tcp") or not parts.hostname:
        raise ConfigError(f"{where}.url", NOT_TARGET_URL(url=repr(url)))
    if port == 0:
        raise ConfigError(f"{where}.url", PORT_ZERO(url=repr(url)))
    if parts.scheme == "tcp" and port is None:
        raise ConfigError(f"{where}.url", NEEDS_PORT(url=repr(url)))
    method = str(raw.get("method", "GET")).upper()
    if method not in ("GET", "HEAD"):
        raise ConfigError(f"{where}.method", GET_OR_HEAD(value=repr(method)))
    statuses = raw.get("expect_status", [])
    if not isinstance(statuses, list) or not all(isinstance(s, int) and 100 <= s <= 599 for s in statuses):
        raise ConfigError(f"{where}.expect_status", STATUS_CODES())
    body_absent = raw.get("body_absent", list(signs.phrases))
    # By default a redirect may stay on the target's own site or go to Meta's domains.
    own = ".".join(parts.hostname.rsplit(".", 2)[-2:])
    redirect_domains = raw.get("redirect_domains", [own, *meta_domains])
    for key, value in (("body_absent", body_absent), ("redirect_domains", redirect_domains)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}.{key}", STRING_LIST())
    fallback = raw.get("fallback_port")
    if fallback is not None and not (isinstance(fallback, int) and 0 < fallback < 65536):
        raise ConfigError(f"{where}.fallback_port", PORT_NUMBER())
    if fallback is not None and parts.scheme != "tcp":
        raise ConfigError(f"{where}.fallback_port", TCP_ONLY())
    return TargetSpec(
        url=url,
        method=method,
        expect_status=tuple(statuses),
        body_contains=str(raw.get("body_contains", "")),
        body_absent=tuple(body_absent),
        json_error=bool(raw.get("json_error", False)),
        redirect_domains=tuple(redirect_domains),
        error_titles=signs.titles,
        error_markers=signs.markers,
        fallback_port=fallback,
    )


def _str_list(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}.{key}", STRING_LIST())
    return tuple(value)


def parse_service(
    raw: Any, where: str, meta_domains: tuple[str, ...], signs: ErrorSigns = NO_SIGNS
) -> ServiceSpec:
    if not isinstance(raw, dict):
        raise ConfigError(where, MUST_BE_TABLE())
    sid, name = raw.get("id"), raw.get("name")
    if not isinstance(sid, str) or not sid.replace("_", "").replace("-", "").isalnum():
        raise ConfigError(f"{where}.id", ID_REQUIRED())
    if not isinstance(name, str) or not name:
        name = sid
    targets = raw.get("target", raw.get("targets"))
    if not isinstance(targets, list) or not targets:
        raise ConfigError(f"{where}.targets", NEEDS_TARGET())
    return ServiceSpec(
        sid,
        name,
        tuple(parse_target(t, f"{where}.targets[{i}]", meta_domains, signs) for i, t in enumerate(targets)),
    )


def _tables(data: dict[str, Any], key: str, source: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{source}: {key}", TABLES_LIST(key=key))
    return value


def parse_catalogue(data: dict[str, Any], source: str) -> Catalogue:
    meta_domains = _str_list(data, "meta_domains", source)
    signs = ErrorSigns(
        _str_list(data, "error_phrases", source),
        _str_list(data, "error_titles", source),
        _str_list(data, "error_markers", source),
    )
    bad = [m for m in signs.markers if m.count("#") != 1 or m.startswith("#") or m.endswith("#")]
    if bad:
        raise ConfigError(f"{source}.error_markers", NOT_TAG_ID(value=repr(bad[0])))
    services = tuple(
        parse_service(raw, f"{source}: service[{i}]", meta_domains, signs)
        for i, raw in enumerate(_tables(data, "service", source))
    )
    references = []
    for i, raw in enumerate(_tables(data, "reference", source)):
        where = f"{source}: reference[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise ConfigError(where, NEEDS_ID())
        fields = {k: v for k, v in raw.items() if k not in ("id", "provider")}
        # References are not Meta: their redirects are never "expected" and no error signs apply.
        fields.setdefault("redirect_domains", [])
        target = parse_target(fields, where, meta_domains)
        references.append(ReferenceSpec(raw["id"], str(raw.get("provider", raw["id"])), target))
    ids = [s.id for s in services]
    if len(ids) != len(set(ids)):
        raise ConfigError(source, UNIQUE_IDS())
    missing = [
        name for name, found in (("[[service]]", services), ("[[reference]]", references)) if not found
    ]
    if missing:
        raise ConfigError(source, NO_ENTRIES[tuple(missing)]())
    return Catalogue(services, tuple(references), meta_domains)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The default catalogue shipped in the package, or a replacement file (tests, experts)."""
    if path is None:
        text = resources.files("traywatch.core").joinpath("catalogue.toml").read_text("utf-8")
        source = "built-in catalogue"
    else:
        try:
            text = read_small_text(path)
        except OSError as exc:
            raise ConfigError(str(path), CANNOT_READ_CATALOGUE(error=os_error_text(exc))) from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(str(path), CANNOT_READ_CATALOGUE(error=str(exc))) from exc
        source = str(path)
    return parse_catalogue(parse_toml(text, source), source)
