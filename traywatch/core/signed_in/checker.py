"""The signed-in check: `GET /me?fields=id` with the owner's token (and the WhatsApp number's
health_status when a phone-number id is stored), judged within the round's time budget.

The token goes only in the Authorization header (never in a URL, which proxies and logs keep),
only over https, and redirects are not followed. Without a stored token nothing happens and the
keyring is not touched. A keyring that cannot be read is tried again only after a pause, so a
locked keyring does not ask the owner to unlock it every minute.

Cadence: while the last answer was fine (or a limit, or a token problem only the owner can fix),
the call is made once per `[account] interval` (5 min) and the answer carried in between, so a
shop's token spends about 12 calls an hour, not 60. It is made every round while something is
wrong (`urgent`: a Meta service is failing, or the API itself failed last time), so an outage and
its end are confirmed as fast as the rest of the round, and at once when a different token or
phone-number id is stored.
"""

from __future__ import annotations

import hashlib
import logging
import ssl
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import quote

from traywatch.core.models import Layer
from traywatch.core.net.httpfetch import Fetched, FetchError, HttpClient
from traywatch.core.net.resolver import Resolver
from traywatch.core.settings.config import AccountSettings, Config
from traywatch.core.signed_in.credentials import (
    GRAPH_TOKEN,
    WHATSAPP_PHONE_ID,
    CredentialError,
    CredentialStore,
)
from traywatch.core.signed_in.graph import judge_graph, judge_whatsapp
from traywatch.core.signed_in.status import AccountState, AccountStatus, WhatsAppHealth, combine
from traywatch.i18n import Template

log = logging.getLogger(__name__)

KEYRING_RETRY_S = 600.0
OFF = AccountStatus(
    AccountState.OFF,
    Template(
        "account.no_token",
        "no Graph API token stored (optional: add one in the settings or with `traywatch account set-token`)",
    )(),
)
DISABLED = AccountStatus(
    AccountState.OFF,
    Template("account.disabled", "signed-in checks are turned off ([account] enabled = false)")(),
)
UNREADABLE = Template("account.unreadable", "the stored token cannot be read: {error}")
MAKE_KEYRING_AVAILABLE = Template(
    "account.make_keyring_available", "make the keyring available, or store the token again in the settings"
)
CHECK_FAILED = Template("account.check_failed", "the signed-in check failed unexpectedly")
# Answers that may be carried between calls while nothing else is wrong (see the module docstring).
CARRIED_STATES = frozenset({AccountState.OK, AccountState.LIMITED, AccountState.TOKEN_INVALID})


def _utcnow() -> datetime:
    return datetime.now(UTC)


class AccountChecker:
    """Makes the signed-in calls. `check()` never raises; thread-safe (one check at a time)."""

    def __init__(
        self,
        settings: AccountSettings,
        client: HttpClient,
        credentials: CredentialStore,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.settings = settings
        self.credentials = credentials
        self._client = client
        self._clock = clock
        self._now = now
        self._lock = threading.Lock()
        self._keyring_failed: tuple[float, AccountStatus] | None = None
        # (when, digest of the credentials, answer) of the last signed-in call
        self._last_call: tuple[float, bytes, AccountStatus] | None = None

    @classmethod
    def from_config(
        cls,
        config: Config,
        ssl_context: ssl.SSLContext | None = None,
        resolver: Resolver | None = None,
        credentials: CredentialStore | None = None,
    ) -> AccountChecker | None:
        """The checker the config asks for; None when `[account] enabled = false`."""
        if not config.account.enabled:
            return None
        client = HttpClient.for_config(config, ssl_context, resolver, body_cap=256 * 1024)
        return cls(config.account, client, credentials or CredentialStore())

    @property
    def configured(self) -> bool:
        """A token is noted as stored (read from the note file; the keyring is not touched)."""
        return GRAPH_TOKEN in self.credentials.stored()

    def check(self, timeout_s: float, urgent: bool = True) -> AccountStatus:
        """The stored credentials' check, or OFF/UNAVAILABLE. Never raises. Not `urgent`: the last
        answer is carried while it is fine and younger than the interval (module docstring)."""
        with self._lock:
            if not self.configured:
                return OFF
            if self._keyring_failed is not None:
                since, status = self._keyring_failed
                if self._clock() - since < KEYRING_RETRY_S:
                    return status
            try:
                token = self.credentials.get(GRAPH_TOKEN)
                phone_id = self.credentials.get(WHATSAPP_PHONE_ID)
            except CredentialError as exc:
                status = AccountStatus(
                    AccountState.UNAVAILABLE,
                    UNREADABLE(error=exc.message),
                    action=MAKE_KEYRING_AVAILABLE(),
                )
                self._keyring_failed = (self._clock(), status)
                return status
            self._keyring_failed = None
            if not token:
                self._last_call = None
                return OFF
            digest = hashlib.sha256(f"{token}\0{phone_id or ''}".encode()).digest()
            carried = self._carried(digest, urgent)
            if carried is not None:
                return carried
            try:
                status = self.check_token(token, phone_id, timeout_s)
            except Exception:  # a bug must never stop the round; the token is never in the message
                log.exception("the signed-in check failed")
                status = AccountStatus(AccountState.UNKNOWN, CHECK_FAILED())
            self._last_call = (self._clock(), digest, status)
            return status

    def _carried(self, digest: bytes, urgent: bool) -> AccountStatus | None:
        if urgent or self._last_call is None:
            return None
        at, last_digest, status = self._last_call
        fresh = self._clock() - at < self.settings.interval_s
        return status if fresh and last_digest == digest and status.state in CARRIED_STATES else None

    def check_token(self, token: str, phone_id: str | None, timeout_s: float) -> AccountStatus:
        """Check a token (stored or about to be stored: the settings dialog's "Test")."""
        deadline = time.monotonic() + timeout_s
        base = f"{self.settings.graph_base_url}/{self.settings.api_version}"
        answer, failure = self._get(f"{base}/me?fields=id", token, deadline)
        graph = judge_graph(answer, failure)
        whatsapp: WhatsAppHealth | None = None
        if phone_id and graph.state is not AccountState.TOKEN_INVALID:
            answer, failure = self._get(
                f"{base}/{quote(phone_id, safe='')}?fields=health_status", token, deadline
            )
            whatsapp = judge_whatsapp(answer, failure)
        return combine(graph, whatsapp, self._now())

    def _get(self, url: str, token: str, deadline: float) -> tuple[Fetched | None, FetchError | None]:
        left = deadline - time.monotonic()
        if left <= 0.05:
            return None, FetchError(Layer.HTTP, "no time left in this round", timeout=True)
        try:
            return self._client.get(url, {"Authorization": f"Bearer {token}"}, timeout_s=left), None
        except FetchError as exc:
            return None, exc

    def close(self) -> None:
        self._client.close()
