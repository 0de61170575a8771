"""The `[forward]` section as a frozen value: targets (Apprise URLs), on/off and its own quiet hours.

```toml
[forward]
enabled = true
quiet_hours = ""      # its own, e.g. "23:00-06:00"; "" forwards at any hour
urls = [
  "ntfy://192.168.1.20/shop-alerts",        # no secret: the URL itself
  { url = "mailtos://shop:****@mail.example.com/owner%40example.com",
    secret = "keyring:forward-3f9a0c1d2e4b" },   # the full URL is in the keyring
]
```
A URL with a password or token is stored by `traywatch forward add` (or the settings page): the
full URL goes to the keyring, the file keeps the masked URL and the keyring reference. Which kinds
are forwarded follows `[notifications] kinds` and `recovery`, like the desktop notifications.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from traywatch.core.errors import PROBLEM_AT, ConfigError, message_of
from traywatch.core.forward.targets import Target, TargetRefused, check_url
from traywatch.core.notify.settings import QuietHours, parse_quiet_field
from traywatch.core.settings.table import flag
from traywatch.i18n import Message, Template

KEYRING_PREFIX = "keyring:"

NEEDS_KEYRING_REFERENCE = Template(  # {{ }}: the braces of a TOML inline table
    "config.needs_keyring_reference",
    'a {{ url = ..., secret = "keyring:..." }} entry needs its keyring reference',
)
APPRISE_STRING = Template(
    "config.apprise_string", 'each target is an Apprise URL string, e.g. "ntfy://ntfy.example.com/shop"'
)
REFUSED = Template("config.refused", "refused: {reason}")
URLS_LIST = Template("config.urls_list", 'must be a list such as ["ntfy://ntfy.example.com/shop"]')
PASSWORD_IN_FILE = Template(
    "config.password_in_file",
    "forward.urls[{number}] has a password in the settings file; remove it there and add the URL with "
    "`traywatch forward add` (or Settings → Forwarding), which keeps the password in the keyring",
)
LISTED_TWICE = Template("config.listed_twice", "the same target is listed twice")


@dataclass(frozen=True)
class ForwardSettings:
    enabled: bool = True
    targets: tuple[Target, ...] = ()
    quiet_hours: QuietHours | None = None

    @property
    def active(self) -> bool:
        return self.enabled and bool(self.targets)


def entry_of(target: Target) -> str | dict[str, str]:
    """How a target is written in the config file."""
    if target.secret_ref is None:
        return target.shown
    return {"url": target.shown, "secret": KEYRING_PREFIX + target.secret_ref}


def _target(entry: Any, where: str) -> Target:
    if isinstance(entry, str):
        url, ref = entry, None
    elif isinstance(entry, dict) and isinstance(entry.get("url"), str):
        url = entry["url"]
        secret = entry.get("secret")
        if not (isinstance(secret, str) and secret.startswith(KEYRING_PREFIX) and len(secret) > 8):
            raise ConfigError(where, NEEDS_KEYRING_REFERENCE())
        ref = secret.removeprefix(KEYRING_PREFIX)
    else:
        raise ConfigError(where, APPRISE_STRING())
    try:
        return Target(check_url(url), ref)
    except TargetRefused as exc:
        raise ConfigError(where, REFUSED(reason=message_of(exc))) from None


def _plain_secret(target: Target) -> bool:
    """A password written into the settings file itself (user:password@host)."""
    try:
        return target.secret_ref is None and bool(urlsplit(target.shown).password)
    except ValueError:
        return False


def parse_forward(
    section: dict[str, Any], where: str, warnings: list[Message] | None = None
) -> ForwardSettings:
    """Validate `[forward]`; mistakes are a ConfigError naming the key. A password left in the
    file is a warning (appended to `warnings`): it works, but belongs in the keyring."""
    enabled = flag(section, "forward.enabled", where)
    urls = section.get("urls", [])
    if not isinstance(urls, list):
        raise ConfigError(f"{where} [forward.urls]", URLS_LIST())
    targets = tuple(_target(u, f"{where} [forward.urls][{i}]") for i, u in enumerate(urls))
    quiet = parse_quiet_field(section, f"{where} [forward.quiet_hours]")
    for n, target in enumerate(targets):
        if _plain_secret(target) and warnings is not None:
            warnings.append(PROBLEM_AT(where=where, problem=PASSWORD_IN_FILE(number=str(n))))
    keys = [t.key for t in targets]
    if len(set(keys)) != len(keys):
        raise ConfigError(f"{where} [forward.urls]", LISTED_TWICE())
    return ForwardSettings(enabled, targets, quiet)
