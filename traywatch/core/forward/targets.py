"""Forwarding targets: which Apprise URLs are refused (Meta's own services), how a target is
named in the outbox, and how a URL is shown without its secrets.

Pure functions on the URL text (no Apprise import): the config is validated without loading
Apprise. Turning a URL into "shown form + secret" uses Apprise and lives in secrets.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from traywatch.core.forward.target_texts import META_HOST, META_SERVICE, NOT_APPRISE, WHATSAPP_AWS
from traywatch.i18n import Message

# Apprise schemes that deliver through Meta: they fail in exactly the outage they would report.
META_SCHEMES: dict[str, str] = {
    "whatsapp": "WhatsApp",
    "awswhatsapp": WHATSAPP_AWS(),
    "instagram": "Instagram",
    "facebook": "Facebook",
    "fb": "Facebook",
    "messenger": "Messenger",
    "fbm": "Messenger",
}
# Hosts a generic webhook (json://, form://, xml://…) might point at: Meta's own again.
META_HOSTS: dict[str, str] = {
    "facebook.com": "Facebook",
    "fb.com": "Facebook",
    "fbcdn.net": "Facebook",
    "fb.me": "Facebook",
    "instagram.com": "Instagram",
    "messenger.com": "Messenger",
    "m.me": "Messenger",
    "whatsapp.com": "WhatsApp",
    "whatsapp.net": "WhatsApp",
    "wa.me": "WhatsApp",
    "threads.net": "Threads",
    "threads.com": "Threads",
    "meta.com": "Meta",
}


class TargetRefused(ValueError):
    """This URL cannot be a forwarding target; `message` says why (a `Message`, rendered in the
    owner's language where it is shown; as a `str`, its English)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    """One forwarding target as the config holds it.

    `shown`: the URL with its secrets masked (what the config file, logs and windows show);
    `secret_ref`: the keyring entry holding the full URL, or None when the URL has no secret
    (then `shown` is the full URL)."""

    shown: str
    secret_ref: str | None = None

    @property
    def key(self) -> str:
        """A stable name for the outbox (which targets an alert still has to reach)."""
        if self.secret_ref:
            return self.secret_ref
        return "url-" + hashlib.sha256(self.shown.encode()).hexdigest()[:12]

    @property
    def service(self) -> str:
        """The kind of target in words ("json", "ntfys", "mailtos"), for lists and results."""
        return scheme_of(self.shown) or "?"


def scheme_of(url: str) -> str:
    return url.partition("://")[0].strip().lower() if "://" in url else ""


def refusal(url: str) -> Message | None:
    """Why this URL may not be a target, or None. Never repeats the URL (it may hold secrets)."""
    text = url.strip()
    scheme = scheme_of(text)
    if not scheme or not scheme.replace("+", "").replace("-", "").isalnum():
        return NOT_APPRISE()
    if scheme in META_SCHEMES:
        return META_SERVICE(service=META_SCHEMES[scheme])
    try:
        host = (urlsplit(text).hostname or "").rstrip(".").lower()
    except ValueError:
        host = ""
    for domain, name in META_HOSTS.items():
        if host == domain or host.endswith("." + domain):
            return META_HOST(name=name, domain=domain)
    return None


def check_url(url: str) -> str:
    """The URL stripped, or TargetRefused with the reason."""
    reason = refusal(url)
    if reason:
        raise TargetRefused(reason)
    return url.strip()


def secret_ref_for(full_url: str) -> str:
    """The keyring entry name for a URL with secrets: derived from it, so adding it twice is one."""
    return "forward-" + hashlib.sha256(full_url.encode()).hexdigest()[:12]
