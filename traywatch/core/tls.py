"""TLS contexts that always verify: the OS trust store (so company inspection proxies the OS
trusts keep working), or an explicit CA bundle from config / REQUESTS_CA_BUNDLE / SSL_CERT_FILE."""

from __future__ import annotations

import logging
import os
import ssl
from pathlib import Path

log = logging.getLogger(__name__)


def ca_bundle_from_env(environ: dict[str, str] | None = None) -> Path | None:
    env = os.environ if environ is None else environ
    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
        value = env.get(name)
        if value and Path(value).is_file():
            return Path(value)
    return None


def make_ssl_context(ca_file: Path | None = None) -> ssl.SSLContext:
    """A verifying client context. Never returns one with verification off."""
    bundle = ca_file or ca_bundle_from_env()
    if bundle is not None:
        ctx = ssl.create_default_context(cafile=str(bundle))
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
