"""Forwarding URLs with secrets in them (tokens, passwords): the full URL lives only in the
keyring (the same secure backends as the Graph token), the config keeps the masked URL and a
`keyring:forward-…` reference.

Apprise itself says which parts of a URL are secret: its privacy form masks them. A URL whose
privacy form equals its full form has nothing to hide and is kept as written. Apprise is
imported here only when a URL is added or delivered to, never when the config is read.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from traywatch.core.forward.target_texts import NO_APPRISE, UNUSABLE, UNUSABLE_WHY
from traywatch.core.forward.targets import Target, TargetRefused, check_url, secret_ref_for
from traywatch.core.redact import REDACTOR
from traywatch.core.signed_in.credential_texts import SECRET_GONE
from traywatch.core.signed_in.credentials import SERVICE, CredentialError, CredentialStore

log = logging.getLogger(__name__)

_apprise_lock = threading.Lock()


def load_apprise() -> Any:
    """Import Apprise on first use (it costs ~19 MB of memory; most installs never forward).
    Its own debug lines (which may show request details) stay out of our logs."""
    with _apprise_lock:
        try:
            import apprise
        except ImportError as exc:
            raise TargetRefused(NO_APPRISE(error=str(exc))) from exc
        # Its complaints reach the owner through our own results and log lines (redacted);
        # its records would otherwise also land on the console of every command.
        quiet = logging.getLogger("apprise")
        quiet.setLevel(logging.WARNING)
        quiet.propagate = False
        return apprise


def _instantiate(url: str) -> Any:
    apprise = load_apprise()
    with apprise.LogCapture(level=logging.WARNING) as complaints:
        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if not plugin:
        lines = [ln.rpartition(" - ")[2].strip() for ln in complaints.getvalue().splitlines() if ln.strip()]
        raise TargetRefused(UNUSABLE_WHY(reason=REDACTOR.redact(lines[0])) if lines else UNUSABLE())
    return plugin


def _shown(user_url: str, private: str) -> str:
    """Apprise's masked URL, keeping only the query options the owner wrote (not its defaults)."""
    given = {k for k, _ in parse_qsl(urlsplit(user_url).query, keep_blank_values=True)}
    parts = urlsplit(private)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k in given]
    return urlunsplit(parts._replace(query=urlencode(kept, safe="@*.:/")))


def secret_parts(full: str, private: str) -> list[str]:
    """The pieces of the full URL that its privacy form hides (for log redaction)."""
    hidden = set(re.split(r"[/:@?&=]+", unquote(private)))
    parts = re.split(r"[/:@?&=]+", unquote(full))
    return [p for p in parts if len(p) >= 4 and p not in hidden]


def split_secret(url: str) -> tuple[Target, str | None]:
    """(the target as the config keeps it, the full URL for the keyring or None when the URL holds
    no secret). TargetRefused for a Meta service or a URL Apprise cannot use."""
    text = check_url(url)
    private, full = _forms(text)
    if private == full:
        return Target(text), None
    return Target(_shown(text, private), secret_ref_for(text)), text


def _forms(url: str) -> tuple[str, str]:
    """Apprise's (privacy, full) forms of the URL; its secret parts join the log redaction."""
    plugin = _instantiate(url)
    private, full = plugin.url(privacy=True), plugin.url(privacy=False)
    if private != full:
        for part in secret_parts(full, private):
            REDACTOR.add(part)
        REDACTOR.add(url)
    return private, full


class ForwardSecrets:
    """get/put/delete of full forwarding URLs in the keyring, under `forward-…` names."""

    def __init__(self, credentials: CredentialStore | None = None) -> None:
        self.credentials = credentials or CredentialStore()
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def put(self, ref: str, url: str) -> None:
        backend = self.credentials.backend()
        try:
            backend.set_password(SERVICE, ref, url)
        except Exception as exc:
            raise self.credentials.error("store", exc) from None
        with self._lock:
            self._cache[ref] = url
        log.info("forwarding target %s stored in the keyring", ref)

    def get(self, ref: str) -> str | None:
        with self._lock:
            if ref in self._cache:
                return self._cache[ref]
        backend = self.credentials.backend()
        try:
            url = backend.get_password(SERVICE, ref)
        except Exception as exc:
            raise self.credentials.error("read", exc) from None
        if url is not None:
            try:
                _forms(url)  # its secret parts are masked in every log line from now on
            except TargetRefused:
                REDACTOR.add(url)
            with self._lock:
                self._cache[ref] = url
        return url

    def delete(self, ref: str) -> None:
        from keyring.errors import PasswordDeleteError

        with self._lock:
            self._cache.pop(ref, None)
        backend = self.credentials.backend()
        try:
            backend.delete_password(SERVICE, ref)
        except PasswordDeleteError:
            pass
        except Exception as exc:
            raise self.credentials.error("delete", exc) from None

    def full_url(self, target: Target) -> str:
        """The URL to deliver to; CredentialError when its secret is not in the keyring."""
        if target.secret_ref is None:
            return target.shown
        url = self.get(target.secret_ref)
        if url is None:
            raise CredentialError(SECRET_GONE(target=target.shown))
        return url
