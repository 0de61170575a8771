"""The fake web's TLS side: one server context per certificate, a CA made on the fly when no
certificate is given, and the switch to another certificate by SNI name."""

from __future__ import annotations

import logging
import ssl
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from tests.support.certs import make_certs

log = logging.getLogger(__name__)


def server_context(certfile: Path) -> ssl.SSLContext:
    """A server context for one key + chain PEM, speaking http/1.1."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(certfile))
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


class ServerTLS:
    """The certificates a server can present. "default" (also "trusted") is `certfile`, or
    one made with a fresh CA at setup() when none is given; `extra_certs` add more by name.
    `choose(server_name)` names the certificate for each handshake."""

    def __init__(
        self,
        certfile: str | Path | None,
        ca_file: str | Path | None,
        extra_certs: Mapping[str, str | Path] | None,
        choose: Callable[[str | None], str],
    ) -> None:
        self.ca_file: Path | None = Path(ca_file) if ca_file is not None else None
        self._certfile = Path(certfile) if certfile is not None else None
        self._extra_certs = {k: Path(v) for k, v in (extra_certs or {}).items()}
        self._choose = choose
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None

    def setup(self) -> None:
        """Load every certificate (making the default one first if none was given)."""
        if self._certfile is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="fake_web-")
            bundle = make_certs(self._tmpdir.name)
            self._certfile, self.ca_file = bundle.server_file, bundle.ca_file
        default = server_context(self._certfile)
        default.sni_callback = self._sni
        self._contexts = {"default": default, "trusted": default}
        for name, path in self._extra_certs.items():
            self._contexts[name] = server_context(path)

    def context(self) -> ssl.SSLContext:
        """The context to wrap an accepted connection with (it switches by SNI)."""
        return self._contexts["default"]

    def cleanup(self) -> None:
        """Remove the certificate made at setup(), if any."""
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def _sni(self, sslobj: ssl.SSLObject, server_name: str | None, ctx: ssl.SSLContext) -> None:
        name = self._choose(server_name)
        chosen = self._contexts.get(name)
        if chosen is None:
            log.warning("unknown certificate name %r; serving the default one", name)
        elif chosen is not ctx:
            sslobj.context = chosen
