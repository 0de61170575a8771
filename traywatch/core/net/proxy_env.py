"""The proxy environment variables, checked once before a round uses them.

A broken HTTP(S)_PROXY is the user's mistake: a ConfigError naming the variable (exit 2 from the
CLI) rather than a ValueError in every probe. Going direct instead would quietly measure a path
the owner's traffic does not take.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from traywatch.core.errors import ConfigError, environment_variable
from traywatch.i18n import Message, Template

# What the probes read (urllib.request.getproxies: lower case wins, any case is read).
_USED = ("http_proxy", "https_proxy")
_EXAMPLE = "http://proxy.example:3128"
# `{value}` is the variable's value, quoted; `{error}` is Python's own words about it.
NOT_VALID_PROXY_URL = Template(
    "config.not_valid_proxy_url", "{value} is not a valid proxy URL ({error}); it should look like {example}"
)
NOT_PROXY_URL = Template("config.not_proxy_url", "{value} is not a proxy URL; it should look like {example}")
PROXY_PORT_ZERO = Template("config.proxy_port_zero", "{value} has port 0; a port is a number from 1-65535")


def proxy_url_problem(value: str) -> Message | None:
    """Why `value` cannot be used as a proxy URL, or None when it can."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        return NOT_VALID_PROXY_URL(value=repr(value), error=str(exc), example=_EXAMPLE)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return NOT_PROXY_URL(value=repr(value), example=_EXAMPLE)
    if port == 0:
        return PROXY_PORT_ZERO(value=repr(value))
    return None


def check_proxy_environment(environ: Mapping[str, str] | None = None) -> None:
    """Raise ConfigError naming the first proxy variable the probes would use but cannot."""
    env = os.environ if environ is None else environ
    for name in sorted(env):
        value = env[name].strip()
        if name.lower() not in _USED or not value:
            continue
        problem = proxy_url_problem(value)
        if problem:
            raise ConfigError(environment_variable(name), problem)
