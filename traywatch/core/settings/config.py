"""The user's config file (TOML): validated into frozen settings, with clear messages for mistakes.

Unknown keys are warned about, not fatal; a wrong type or value is a ConfigError naming the file,
the key and the problem.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from traywatch.core.catalogue import MUST_BE_TABLE, Catalogue, ServiceSpec, load_catalogue, parse_service
from traywatch.core.errors import PROBLEM_AT, ConfigError
from traywatch.core.forward.settings import ForwardSettings, parse_forward
from traywatch.core.net.tls import ca_file_problem
from traywatch.core.notify.settings import NotificationSettings, parse_notifications
from traywatch.core.settings.small_file import CANNOT_BE_READ, os_error_text, read_small_text
from traywatch.core.settings.table import (
    flag,
    integer,
    limits,
    number,
    quoted_names,
    setting,
    unknown_keys,
)
from traywatch.core.settings.toml_text import parse_toml
from traywatch.i18n import Message, Template
from traywatch.i18n.languages import LANGUAGES

log = logging.getLogger(__name__)

# below MIN_INTERVAL_S only with the --interval command-line flag (limits: settings_table)
MIN_INTERVAL_S, MAX_INTERVAL_S = limits("check.interval")
_API_VERSION = re.compile(r"v\d{1,3}\.\d{1,2}")

# `{value}` is what the file holds, quoted as Python writes it; paths and ids are said as they are.
INTERVAL_FLAG = Template("config.interval_flag", "must be a number of seconds above 0 and at most {most}")
URL_STRING = Template("config.url_string", "must be a URL string, not {value}")
HTTPS_ADDRESS = Template("config.https_address", "must be an https:// address without ?query, not {value}")
HTTP_ADDRESS = Template(
    "config.http_address", "must be an http:// or https:// address without ?query, not {value}"
)
NOT_ADDRESS_STRING = Template("config.not_address_string", "{value} is not an address string")
NOT_IP_ADDRESS = Template("config.not_ip_address", "{value} is not an IP address (optionally with :port)")
INVALID_PORT = Template("config.invalid_port", "{value} has an invalid port")
NAMESERVERS_LIST = Template("config.nameservers_list", 'must be a list such as ["1.1.1.1"]')
PATH_STRING = Template("config.path_string", "must be a path string")
SERVICE_IDS_LIST = Template("config.service_ids_list", "must be a list of service ids")
CUSTOM_LIST = Template("config.custom_list", "must be a list of [[services.custom]] tables")
ID_USED = Template("config.id_used", "id already used: {ids}")
API_VERSION = Template("config.api_version", 'must look like "v21.0", not {value}')
NOT_A_SERVICE = Template(
    "config.not_a_service", "services.disabled names {names}, which is not a service (known: {known})"
)
NOT_SERVICES = Template(
    "config.not_services",
    "services.disabled names {number} service that does not exist: {names} (known: {known})",
    "services.disabled names {number} services that do not exist: {names} (known: {known})",
    count="count",
)
NETWORK_IGNORED = Template(
    "config.network_ignored", "{problem} (ignored here: reading the history needs no network settings)"
)
UNKNOWN_LANGUAGE = Template(
    "config.unknown_language",
    "ui.language {value} is not a language traywatch speaks ({known}); the system's language is used",
)
NO_CONFIG_FILE = Template("config.no_config_file", "no such config file")
LINK_TO_NOWHERE = Template(
    "config.link_to_nowhere", "no such config file (it is a link to {target}, which does not exist)"
)
DEFAULTS_UNTIL_BACK = Template(
    "config.defaults_until_back",
    "it is a link to {target}, which does not exist; "
    "traywatch uses its default settings until it is there again",
)


@dataclass(frozen=True)
class CheckSettings:
    interval_s: float = setting("check.interval").default
    timeout_s: float = setting("check.timeout").default
    slow_ms: float = setting("check.slow_ms").default
    confirm_delay_s: float = setting("check.confirm_delay").default
    backoff_cap_s: float = setting("check.backoff_cap").default
    jitter: float = 0.1  # not a setting: spreads many installations' checks apart


@dataclass(frozen=True)
class NetworkSettings:
    nameservers: tuple[tuple[str, int], ...] = ()  # empty: the operating system's resolver
    ca_file: Path | None = None  # empty: OS trust store (or REQUESTS_CA_BUNDLE / SSL_CERT_FILE)
    # Loopback/private answers normally mean "a DNS filter blocks this name"; tests and targets
    # on the owner's own LAN can switch that reading off.
    allow_local_addresses: bool = setting("network.allow_local_addresses").default


@dataclass(frozen=True)
class HistorySettings:
    retention_days: int = setting("history.retention_days").default


@dataclass(frozen=True)
class OfficialSettings:
    """Meta's own status page (metastatus.com), polled on its own slower cadence."""

    enabled: bool = setting("official.enabled").default
    interval_s: float = setting("official.interval").default
    base_url: str = setting("official.base_url").default


@dataclass(frozen=True)
class AccountSettings:
    """The optional signed-in Graph API check (the token itself lives only in the keyring)."""

    enabled: bool = setting("account.enabled").default  # false: never read the keyring nor call
    graph_base_url: str = setting("account.graph_base_url").default
    api_version: str = setting("account.api_version").default
    # While all is well, one signed-in call per interval; every round while something is wrong.
    interval_s: float = setting("account.interval").default


@dataclass(frozen=True)
class Config:
    check: CheckSettings = field(default_factory=CheckSettings)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    history: HistorySettings = field(default_factory=HistorySettings)
    catalogue: Catalogue = field(default_factory=load_catalogue)
    source: Path | None = None
    warnings: tuple[Message, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False)
    official: OfficialSettings = field(default_factory=OfficialSettings)
    account: AccountSettings = field(default_factory=AccountSettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    forward: ForwardSettings = field(default_factory=ForwardSettings)
    language: str = "auto"  # "auto": the system's; else a code of traywatch.i18n.LANGUAGES

    def with_interval(self, seconds: float) -> Config:
        """The command-line override: any positive interval, also below the config minimum."""
        if not (math.isfinite(seconds) and 0 < seconds <= MAX_INTERVAL_S):
            raise ConfigError("--interval", INTERVAL_FLAG(most=f"{MAX_INTERVAL_S:g}"))
        return replace(self, check=replace(self.check, interval_s=float(seconds)))


def _base_url(section: dict[str, Any], key: str, where: str, https_only: bool) -> str:
    value = section.get(setting(key).key, setting(key).default)
    if not isinstance(value, str):
        raise ConfigError(f"{where} [{key}]", URL_STRING(value=repr(value)))
    parts = urlsplit(value.strip())
    schemes = ("https",) if https_only else ("https", "http")
    if parts.scheme not in schemes or not parts.hostname or parts.query or parts.fragment:
        need = HTTPS_ADDRESS if https_only else HTTP_ADDRESS
        raise ConfigError(f"{where} [{key}]", need(value=repr(value)))
    return value.strip().rstrip("/")


def _port(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() else -1  # -1: invalid


def _nameserver(text: Any, where: str) -> tuple[str, int]:
    if not isinstance(text, str):
        raise ConfigError(where, NOT_ADDRESS_STRING(value=repr(text)))
    host, port = text, 53
    if text.startswith("["):  # [v6]:port
        host, _, rest = text[1:].partition("]")
        if rest:
            port = _port(rest[1:]) if rest.startswith(":") else -1
    elif text.count(":") == 1:
        host, _, p = text.partition(":")
        port = _port(p)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ConfigError(where, NOT_IP_ADDRESS(value=repr(text))) from None
    if not 0 < port < 65536:
        raise ConfigError(where, INVALID_PORT(value=repr(text)))
    return host, port


def _section(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where} [{name}]", MUST_BE_TABLE())
    return value


def _network(net_raw: dict[str, Any], where: str, base_dir: Path | None) -> NetworkSettings:
    """The `[network]` table validated (the CA file is read to check it holds certificates)."""
    servers = net_raw.get("nameservers", [])
    if not isinstance(servers, list):
        raise ConfigError(f"{where} [network.nameservers]", NAMESERVERS_LIST())
    ca_file: Path | None = None
    if net_raw.get("ca_file"):
        if not isinstance(net_raw["ca_file"], str):
            raise ConfigError(f"{where} [network.ca_file]", PATH_STRING())
        ca_file = Path(net_raw["ca_file"]).expanduser()
        if base_dir and not ca_file.is_absolute():
            ca_file = base_dir / ca_file
        problem = ca_file_problem(ca_file)
        if problem:
            raise ConfigError(f"{where} [network.ca_file]", problem)
    return NetworkSettings(
        nameservers=tuple(_nameserver(s, f"{where} [network.nameservers]") for s in servers),
        ca_file=ca_file,
        allow_local_addresses=flag(net_raw, "network.allow_local_addresses", where),
    )


def parse_config(
    data: dict[str, Any], where: str, base_dir: Path | None = None, *, network_needed: bool = True
) -> Config:
    """Validate a parsed TOML document into a Config (pure: no file reads but the catalogue and
    the CA file). With `network_needed` False (reading the history), a mistake in `[network]` is
    a warning and the network settings are the defaults."""
    warnings: list[Message] = unknown_keys(data, where)

    check_raw = _section(data, "check", where)
    check = CheckSettings(
        interval_s=number(check_raw, "check.interval", where),
        timeout_s=number(check_raw, "check.timeout", where),
        slow_ms=number(check_raw, "check.slow_ms", where),
        confirm_delay_s=number(check_raw, "check.confirm_delay", where),
        backoff_cap_s=number(check_raw, "check.backoff_cap", where),
    )

    try:
        network = _network(_section(data, "network", where), where, base_dir)
    except ConfigError as exc:
        if network_needed:
            raise
        warnings.append(NETWORK_IGNORED(problem=exc.message))
        network = NetworkSettings()

    history_raw = _section(data, "history", where)
    history = HistorySettings(retention_days=integer(history_raw, "history.retention_days", where))

    cat_raw = _section(data, "catalogue", where)
    cat_path: Path | None = None
    if cat_raw.get("file"):
        cat_path = Path(str(cat_raw["file"])).expanduser()
        if base_dir and not cat_path.is_absolute():
            cat_path = base_dir / cat_path
    catalogue = load_catalogue(cat_path)

    svc_raw = _section(data, "services", where)
    disabled = svc_raw.get("disabled", [])
    if not isinstance(disabled, list) or not all(isinstance(d, str) for d in disabled):
        raise ConfigError(f"{where} [services.disabled]", SERVICE_IDS_LIST())
    known_ids = {s.id for s in catalogue.services}
    strangers = [sid for sid in dict.fromkeys(disabled) if sid not in known_ids]
    if strangers:
        names, known = quoted_names(strangers), ", ".join(sorted(known_ids))
        what = (
            NOT_A_SERVICE(names=names, known=known)
            if len(strangers) == 1
            else NOT_SERVICES(count=len(strangers), number=str(len(strangers)), names=names, known=known)
        )
        warnings.append(PROBLEM_AT(where=where, problem=what))
    custom_raw = svc_raw.get("custom", [])
    if not isinstance(custom_raw, list):
        raise ConfigError(f"{where} [services.custom]", CUSTOM_LIST())
    custom: tuple[ServiceSpec, ...] = tuple(
        parse_service(c, f"{where} [services.custom][{i}]", catalogue.meta_domains)
        for i, c in enumerate(custom_raw)
    )
    custom_ids = [c.id for c in custom]
    clash = (known_ids & set(custom_ids)) | {c for c in custom_ids if custom_ids.count(c) > 1}
    if clash:
        raise ConfigError(f"{where} [services.custom]", ID_USED(ids=", ".join(sorted(clash))))
    catalogue = catalogue.without(set(disabled)).with_services(custom)

    official_raw = _section(data, "official", where)
    official = OfficialSettings(
        enabled=flag(official_raw, "official.enabled", where),
        interval_s=number(official_raw, "official.interval", where),
        base_url=_base_url(official_raw, "official.base_url", where, https_only=False),
    )
    account_raw = _section(data, "account", where)
    version = account_raw.get("api_version", setting("account.api_version").default)
    if not isinstance(version, str) or not _API_VERSION.fullmatch(version):
        raise ConfigError(f"{where} [account.api_version]", API_VERSION(value=repr(version)))
    account = AccountSettings(
        enabled=flag(account_raw, "account.enabled", where),
        # https only: the access token travels with every signed-in request
        graph_base_url=_base_url(account_raw, "account.graph_base_url", where, https_only=True),
        api_version=version,
        interval_s=number(account_raw, "account.interval", where),
    )

    forward = parse_forward(_section(data, "forward", where), where, warnings)
    language = _language(_section(data, "ui", where), where, warnings)
    return Config(
        check=check,
        network=network,
        history=history,
        catalogue=catalogue,
        warnings=tuple(warnings),
        raw=data,
        official=official,
        account=account,
        notifications=parse_notifications(_section(data, "notifications", where), where),
        forward=forward,
        language=language,
    )


def _language(ui_raw: dict[str, Any], where: str, warnings: list[Message]) -> str:
    """`[ui] language`: "auto" or a language traywatch speaks; anything else is warned about
    and the system's language is used (a typo must not stop the watching)."""
    value = ui_raw.get("language", setting("ui.language").default)
    if value == "auto" or (isinstance(value, str) and value in LANGUAGES):
        return str(value)
    known = ", ".join(LANGUAGES)
    warnings.append(PROBLEM_AT(where=where, problem=UNKNOWN_LANGUAGE(value=repr(value), known=known)))
    return "auto"


def _link_to_nowhere(path: Path) -> Path | None:
    """Where a symbolic link that leads nowhere points (None: not a link)."""
    try:
        target = Path(os.readlink(path))
    except OSError:  # not a link, or gone meanwhile
        return None
    return target if target.is_absolute() else path.parent / target


def load_config(path: Path, *, required: bool = False, network_needed: bool = True) -> Config:
    """Read the config file; a missing file means defaults unless `required` (a path the user
    named). Raises ConfigError for mistakes (in `[network]` only when `network_needed`)."""
    try:
        text = read_small_text(path)
    except FileNotFoundError:
        target = _link_to_nowhere(path)
        if required:
            gone = LINK_TO_NOWHERE(target=str(target)) if target else NO_CONFIG_FILE()
            raise ConfigError(str(path), gone) from None
        if target is None:
            return Config(source=path)
        warning = PROBLEM_AT(where=str(path), problem=DEFAULTS_UNTIL_BACK(target=str(target)))
        log.warning("%s", warning)
        return Config(source=path, warnings=(warning,))
    except OSError as exc:
        raise ConfigError(str(path), CANNOT_BE_READ(error=os_error_text(exc))) from exc
    except UnicodeDecodeError as exc:  # Python's words about the bytes, said as they are
        raise ConfigError(str(path), CANNOT_BE_READ(error=str(exc))) from exc
    data = parse_toml(text, str(path))
    config = parse_config(data, str(path), path.parent, network_needed=network_needed)
    for warning in config.warnings:
        log.warning("%s", warning)
    return replace(config, source=path)
