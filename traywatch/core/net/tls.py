"""TLS contexts that always verify: the OS trust store (so company inspection proxies the OS
trusts keep working), or an explicit CA bundle from config / REQUESTS_CA_BUNDLE / SSL_CERT_FILE.

A bundle that names a file without certificates is the user's mistake: a ConfigError naming the
setting or variable, never an ssl traceback."""

from __future__ import annotations

import logging
import os
import ssl
from collections.abc import Mapping
from pathlib import Path

from traywatch.core.errors import ConfigError, environment_variable
from traywatch.core.settings.small_file import PATH_CANNOT_BE_READ, not_a_file, os_error_text
from traywatch.i18n import Message, Template

log = logging.getLogger(__name__)

CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")
# `{reason}` is the ssl module's own words: not ours to translate.
NO_CERTIFICATES = Template(
    "config.no_certificates", "{path} contains no certificates (PEM) that can be used ({reason})"
)


class _Unusable(ValueError):
    """A CA bundle that cannot be used; `problem` says why."""

    def __init__(self, problem: Message) -> None:
        super().__init__(str(problem))
        self.problem = problem


def env_ca_bundle(environ: Mapping[str, str] | None = None) -> tuple[str, Path] | None:
    """The first CA variable naming an existing file, with the variable's name."""
    env = os.environ if environ is None else environ
    for name in CA_VARIABLES:
        value = env.get(name)
        if value and Path(value).is_file():
            return name, Path(value)
    return None


def _verifying_context(bundle: Path) -> ssl.SSLContext:
    """Raises ValueError with a plain problem when the file is missing, is not a file (a folder, a
    named pipe or a device such as /dev/zero, which would never finish reading) or holds no
    usable certificates."""
    problem = not_a_file(bundle)
    if problem:
        raise _Unusable(problem)
    try:
        return ssl.create_default_context(cafile=str(bundle))
    except ssl.SSLError as exc:
        raise _Unusable(NO_CERTIFICATES(path=str(bundle), reason=str(exc.reason))) from None
    except OSError as exc:
        raise _Unusable(PATH_CANNOT_BE_READ(path=str(bundle), error=os_error_text(exc))) from None


def ca_file_problem(path: Path) -> Message | None:
    """Why `path` cannot be a CA bundle, or None when it can (used to validate the config)."""
    try:
        _verifying_context(path)
    except _Unusable as exc:
        return exc.problem
    return None


def make_ssl_context(ca_file: Path | None = None) -> ssl.SSLContext:
    """A verifying client context. Never returns one with verification off. ConfigError when the
    CA bundle named by `[network] ca_file` or an environment variable holds no certificates."""
    found: tuple[str, Path] | None = ("[network.ca_file]", ca_file) if ca_file is not None else None
    if found is None:
        env = env_ca_bundle()
        found = None if env is None else (environment_variable(env[0]), env[1])
    if found is not None:
        where, bundle = found
        try:
            ctx = _verifying_context(bundle)
        except _Unusable as exc:
            raise ConfigError(where, exc.problem) from None
    else:
        try:
            import truststore

            ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        except ImportError:  # pragma: no cover - truststore is a dependency
            log.warning("truststore unavailable; using Python's default CA store")
            ctx = ssl.create_default_context()
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx
