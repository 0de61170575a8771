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

from traywatch.core.errors import PROBLEM_AT, ConfigError
from traywatch.i18n import Message, Template

Kind = Literal["number", "integer", "flag", "text", "url", "path", "list", "tables"]

NAMED_ONE_BY_ONE = 5  # more unknown keys than this are summarised in one warning

# `{value}` is what the file holds, quoted as Python writes it; numbers and names are said as they are
# (`{number}`: the digits as the file's checks always wrote them; `count` picks the plural form).
MUST_BE_NUMBER = Template("config.must_be_number", "must be a number, not {value}")
AT_LEAST_SECONDS = Template("config.at_least_seconds", "must be at least {low} seconds ({why})")
BETWEEN = Template("config.between", "must be between {low} and {high}, not {value}")
WHOLE_NUMBER = Template("config.whole_number", "must be a whole number, not {value}")
TRUE_OR_FALSE = Template("config.true_or_false", "must be true or false, not {value}")
ONLY_WITH_INTERVAL = Template("config.only_with_interval", "shorter only with --interval")
UNKNOWN_KEYS = Template(
    "config.unknown_keys",
    "{number} unknown key (ignored): {names}. Is this traywatch's config file?",
    "{number} unknown keys (ignored): {names}. Is this traywatch's config file?",
    count="count",
)
UNKNOWN_SECTION = Template("config.unknown_section", "unknown section or key '{name}' (ignored)")
UNKNOWN_KEY = Template("config.unknown_key", "unknown key '{name}' (ignored)")
RETIRED_KEY = Template("config.retired_key", "key '{key}' is no longer read ({why}; ignored)")
NAMES_AND_LAST = Template("config.names_and_last", "{names} and {last}")
NAMES_AND_MORE = Template(
    "config.names_and_more", "{names} and {number} more", "{names} and {number} more", count="count"
)


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
       low=10, high=86400, below_low=ONLY_WITH_INTERVAL()),
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
    "ui.start_at_login": Template(
        "config.retired.start_at_login",
        "starting at login is switched in the Settings dialog (General), not in this file",
    )(),
}


def setting(dotted: str) -> Setting:
    return BY_KEY[dotted]


def quoted_names(names: list[str]) -> str:
    """ "'a', 'b', 'c', 'd', 'e' and 9995 more", each name cut short: a warning stays one line."""
    shown = list(dict.fromkeys(f"'{n if len(n) <= 40 else n[:39] + '…'}'" for n in names))
    if len(shown) > NAMED_ONE_BY_ONE + 1:
        first = ", ".join(shown[:NAMED_ONE_BY_ONE])
        more = len(shown) - NAMED_ONE_BY_ONE
        return NAMES_AND_MORE(names=first, count=more, number=str(more))
    if len(shown) < 2:
        return "".join(shown)
    return NAMES_AND_LAST(names=", ".join(shown[:-1]), last=shown[-1])


def unknown_keys(data: Mapping[str, Any], where: str) -> list[Message]:
    """A warning for each section or key the table does not know (those are ignored), or one
    warning for them all when there are many (a wrong file must not print a line per key)."""
    sections = {s.section for s in SETTINGS}
    retired: list[Message] = []
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
            PROBLEM_AT(
                where=where, problem=UNKNOWN_KEYS(count=len(unknown), number=str(len(unknown)), names=names)
            ),
        ]
    return retired + [
        PROBLEM_AT(where=where, problem=(UNKNOWN_SECTION if top else UNKNOWN_KEY)(name=name))
        for name, top in unknown
    ]


def _retired(dotted: str, where: str) -> Message:
    return PROBLEM_AT(where=where, problem=RETIRED_KEY(key=dotted, why=RETIRED[dotted]))


def number(section: Mapping[str, Any], dotted: str, where: str) -> float:
    """The key's number from its `[section]` table (the default when absent), within its limits."""
    spec = BY_KEY[dotted]
    assert spec.low is not None and spec.high is not None, dotted
    value = section.get(spec.key, spec.default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where} [{dotted}]", MUST_BE_NUMBER(value=repr(value)))
    if spec.below_low and 0 <= value < spec.low:
        raise ConfigError(f"{where} [{dotted}]", AT_LEAST_SECONDS(low=f"{spec.low:g}", why=spec.below_low))
    if not spec.low <= value <= spec.high:
        raise ConfigError(
            f"{where} [{dotted}]", BETWEEN(low=f"{spec.low:g}", high=f"{spec.high:g}", value=f"{value:g}")
        )
    return float(value)


def integer(section: Mapping[str, Any], dotted: str, where: str) -> int:
    value = number(section, dotted, where)
    if value != int(value):
        raise ConfigError(f"{where} [{dotted}]", WHOLE_NUMBER(value=f"{value:g}"))
    return int(value)


def flag(section: Mapping[str, Any], dotted: str, where: str) -> bool:
    spec = BY_KEY[dotted]
    value = section.get(spec.key, spec.default)
    if not isinstance(value, bool):
        raise ConfigError(f"{where} [{dotted}]", TRUE_OR_FALSE(value=repr(value)))
    return value


def limits(dotted: str) -> tuple[float, float]:
    """(low, high) of a number setting, for the settings dialog."""
    spec = BY_KEY[dotted]
    assert spec.low is not None and spec.high is not None, dotted
    return spec.low, spec.high
