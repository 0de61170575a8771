"""Every setting of the config file in one table: key, type, default, limits and description.

The table drives parsing (`number`, `flag`: the limits and defaults come from here), the
unknown-key warnings (`unknown_keys`), the settings dialog's limits and its change diff
(`traywatch.core.settings.form`). A key that is not in the table is warned about and ignored;
a key that nothing reads must not be in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from traywatch.core.errors import ConfigError
from traywatch.core.verdict.wording import join_names

Kind = Literal["number", "integer", "flag", "text", "url", "path", "list", "tables"]

NAMED_ONE_BY_ONE = 5  # more unknown keys than this are summarised in one warning


@dataclass(frozen=True)
class Setting:
    """One key of the config file (`[section] key`)."""

    section: str
    key: str
    kind: Kind
    default: Any
    description: str
    low: float | None = None  # numbers: the smallest value the file may hold
    high: float | None = None
    below_low: str = ""  # numbers: why a smaller value is refused, when it has a way around

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.key}"


def _s(section: str, key: str, kind: Kind, default: Any, description: str, **limits: Any) -> Setting:
    return Setting(section, key, kind, default, description, **limits)


# fmt: off
SETTINGS: tuple[Setting, ...] = (
    _s("check", "interval", "number", 60.0, "Seconds between two checks",
       low=10, high=86400, below_low="shorter only with --interval"),
    _s("check", "timeout", "number", 8.0, "Seconds one check may take, all of it", low=1, high=60),
    _s("check", "slow_ms", "number", 3000.0, "Milliseconds above which an answer counts as slow",
       low=100, high=60000),
    _s("check", "confirm_delay", "number", 15.0, "Seconds before a change is checked again to confirm it",
       low=0, high=600),
    _s("check", "backoff_cap", "number", 180.0, "Longest wait between full checks of a failing service",
       low=10, high=3600),
    _s("services", "disabled", "list", (), "Ids of catalogue services not to watch"),
    _s("services", "custom", "tables", (), "Your own services ([[services.custom]] tables)"),
    _s("network", "nameservers", "list", (), 'DNS servers to ask, e.g. ["1.1.1.1"] (empty: the system\'s)'),
    _s("network", "ca_file", "path", None, "A PEM file of trusted certificates (empty: the system's)"),
    _s("network", "allow_local_addresses", "flag", False, "Accept private/loopback answers for Meta's names"),
    _s("catalogue", "file", "path", None, "A catalogue file to use instead of the built-in one"),
    _s("history", "retention_days", "integer", 90, "Days the detailed history is kept", low=1, high=3650),
    _s("notifications", "enabled", "flag", True, "Show desktop notifications"),
    _s("notifications", "recovery", "flag", True, "Also tell when something comes back"),
    _s("notifications", "kinds", "list", None, "Which alert kinds notify (default: all)"),
    _s("notifications", "quiet_hours", "text", "", 'Daily quiet time, e.g. "22:00-07:00" ("" for none)'),
    _s("official", "enabled", "flag", True, "Read Meta's own status page (metastatus.com)"),
    _s("official", "interval", "number", 300.0, "Seconds between two readings of Meta Status",
       low=60, high=86400),
    _s("official", "base_url", "url", "https://metastatus.com", "Where Meta Status is read"),
    _s("account", "enabled", "flag", True, "Use a stored Graph API token for signed-in checks"),
    _s("account", "graph_base_url", "url", "https://graph.facebook.com", "Where the Graph API is asked"),
    _s("account", "api_version", "text", "v21.0", 'The Graph API version, e.g. "v21.0"'),
    _s("account", "interval", "number", 300.0, "Seconds between signed-in calls while all is well",
       low=60, high=86400),
    _s("forward", "enabled", "flag", True, "Forward alerts to the targets below"),
    _s("forward", "urls", "list", (), "Apprise URLs to forward alerts to (secrets kept in the keyring)"),
    _s("forward", "quiet_hours", "text", "", 'Daily quiet time for forwarding ("" for none)'),
    _s("ui", "language", "text", "auto",
       'The language shown: "auto" (the system\'s), or en, es, pt_BR, fr, de, id, hi'),
)
# fmt: on

BY_KEY: Mapping[str, Setting] = {s.dotted: s for s in SETTINGS}

# Keys that earlier versions accepted but nothing reads: warned about with where the choice lives now.
RETIRED: Mapping[str, str] = {
    "ui.start_at_login": "starting at login is switched in the Settings dialog (General), not in this file",
}


def setting(dotted: str) -> Setting:
    return BY_KEY[dotted]


def quoted_names(names: list[str]) -> str:
    """ "'a', 'b', 'c', 'd', 'e' and 9995 more", each name cut short: a warning stays one line."""
    shown = [f"'{n if len(n) <= 40 else n[:39] + '…'}'" for n in names]
    return join_names(shown, limit=NAMED_ONE_BY_ONE)


def unknown_keys(data: Mapping[str, Any], where: str) -> list[str]:
    """A warning for each section or key the table does not know (those are ignored), or one
    warning for them all when there are many (a wrong file must not print a line per key)."""
    sections = {s.section for s in SETTINGS}
    retired: list[str] = []
    unknown: list[tuple[str, bool]] = []  # (dotted name, at the top level)
    for name, value in data.items():
        if name not in sections:
            if isinstance(value, dict) and value and all(f"{name}.{k}" in RETIRED for k in value):
                retired.extend(_retired(f"{name}.{k}", where) for k in value)
            else:
                unknown.append((name, True))
            continue
        if not isinstance(value, dict):
            continue  # "must be a table": the section's parser says so
        for key in value:
            dotted = f"{name}.{key}"
            if dotted in RETIRED:
                retired.append(_retired(dotted, where))
            elif dotted not in BY_KEY:
                unknown.append((dotted, False))
    if len(unknown) > NAMED_ONE_BY_ONE:
        names = quoted_names([name for name, _ in unknown])
        return [
            *retired,
            f"{where}: {len(unknown)} unknown keys (ignored): {names}. Is this traywatch's config file?",
        ]
    return retired + [
        f"{where}: unknown section or key '{name}' (ignored)"
        if top
        else f"{where}: unknown key '{name}' (ignored)"
        for name, top in unknown
    ]


def _retired(dotted: str, where: str) -> str:
    return f"{where}: key '{dotted}' is no longer read ({RETIRED[dotted]}; ignored)"


def number(section: Mapping[str, Any], dotted: str, where: str) -> float:
    """The key's number from its `[section]` table (the default when absent), within its limits."""
    spec = BY_KEY[dotted]
    assert spec.low is not None and spec.high is not None, dotted
    value = section.get(spec.key, spec.default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where} [{dotted}]", f"must be a number, not {value!r}")
    if spec.below_low and 0 <= value < spec.low:
        raise ConfigError(f"{where} [{dotted}]", f"must be at least {spec.low:g} seconds ({spec.below_low})")
    if not spec.low <= value <= spec.high:
        raise ConfigError(
            f"{where} [{dotted}]", f"must be between {spec.low:g} and {spec.high:g}, not {value:g}"
        )
    return float(value)


def integer(section: Mapping[str, Any], dotted: str, where: str) -> int:
    value = number(section, dotted, where)
    if value != int(value):
        raise ConfigError(f"{where} [{dotted}]", f"must be a whole number, not {value:g}")
    return int(value)


def flag(section: Mapping[str, Any], dotted: str, where: str) -> bool:
    spec = BY_KEY[dotted]
    value = section.get(spec.key, spec.default)
    if not isinstance(value, bool):
        raise ConfigError(f"{where} [{dotted}]", f"must be true or false, not {value!r}")
    return value


def limits(dotted: str) -> tuple[float, float]:
    """(low, high) of a number setting, for the settings dialog."""
    spec = BY_KEY[dotted]
    assert spec.low is not None and spec.high is not None, dotted
    return spec.low, spec.high
