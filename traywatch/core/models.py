"""Frozen value types that flow from probes through diagnosis and the monitor to the UI and history."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from traywatch.i18n import Template

if TYPE_CHECKING:  # value types of their own modules, which import this one
    from traywatch.core.metastatus.status import OfficialStatus
    from traywatch.core.signed_in.status import AccountStatus


class Layer(enum.StrEnum):
    """The network layer at which a probe failed, outermost first."""

    DNS = "dns"
    TCP = "tcp"
    TLS = "tls"
    HTTP = "http"
    CONTENT = "content"


class Hint(enum.StrEnum):
    """Extra evidence a probe found beyond pass/fail; diagnosis reads these."""

    DNS_NO_ANSWER = "dns_no_answer"  # the resolver did not answer in time
    DNS_SERVFAIL = "dns_servfail"  # the resolver answered "server failure"
    DNS_NXDOMAIN = "dns_nxdomain"  # the name does not exist
    BLOCKED_ADDRESS = "blocked_address"  # a public name answered with 0.0.0.0, loopback or private
    TIMEOUT = "timeout"  # silence: the step never finished before the deadline
    REFUSED = "refused"  # the connection was actively refused or the network unreachable
    UNTRUSTED_CERT = "untrusted_cert"  # certificate from an unknown issuer or for another name
    CLOCK = "clock"  # certificate expired / not yet valid: often the computer's clock
    PORTAL = "portal"  # redirected to, or answered by, something that is not the expected site
    RATE_LIMITED = "rate_limited"  # 429: the server asks for fewer requests
    SERVER_ERROR = "server_error"  # 5xx
    ERROR_PAGE = "error_page"  # "Sorry, something went wrong" and friends
    GARBAGE = "garbage"  # the answer was not HTTP, or not what this endpoint ever sends
    AUTH_FAILING = "auth_failing"  # signed-in requests fail while anonymous ones work (March 2024)


class ServiceState(enum.StrEnum):
    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"
    UNKNOWN = "unknown"


class Verdict(enum.StrEnum):
    OK = "ok"
    META_PARTIAL = "meta_partial"
    META_DOWN = "meta_down"
    INTERNET_DOWN = "internet_down"
    NETWORK_LIMITED = "network_limited"

    @property
    def exit_code(self) -> int:
        """Exit code of `traywatch check`: 0 ok, 1 Meta trouble, 3 our own network."""
        if self is Verdict.OK:
            return 0
        if self in (Verdict.META_PARTIAL, Verdict.META_DOWN):
            return 1
        return 3


class InternetState(enum.StrEnum):
    UP = "up"
    DOWN = "down"
    LIMITED = "limited"


class OsHint(enum.StrEnum):
    """What the operating system says about reachability (a hint, never proof of 'online')."""

    UNKNOWN = "unknown"
    DISCONNECTED = "disconnected"
    LOCAL = "local"
    ONLINE = "online"


@dataclass(frozen=True)
class ProbeResult:
    """The outcome of one probe of one target (a URL or host:port)."""

    target: str
    ok: bool
    failed_layer: Layer | None = None
    latency_ms: float | None = None
    detail: str = ""
    status: int | None = None
    hints: frozenset[Hint] = frozenset()
    addresses: tuple[str, ...] = ()
    retry_after_s: float | None = None
    redirect_to: str | None = None
    error_phrase: str | None = None  # an error page's own words, as quoted to the owner

    @property
    def reached_server(self) -> bool:
        """True when something answered past TCP (a TLS or HTTP peer, even a wrong one)."""
        return self.ok or self.failed_layer in (Layer.TLS, Layer.HTTP, Layer.CONTENT)

    def has(self, hint: Hint) -> bool:
        return hint in self.hints


@dataclass(frozen=True)
class ReferenceResult:
    """A probe of a non-Meta connectivity check (Google, Cloudflare, Microsoft...)."""

    id: str
    provider: str
    probe: ProbeResult


@dataclass(frozen=True)
class ServiceResult:
    """One Meta service's state in one round, as shown and as stored."""

    id: str
    name: str
    state: ServiceState
    failed_layer: Layer | None
    latency_ms: float | None
    detail: str
    probes: tuple[ProbeResult, ...] = ()
    checked: bool = True  # False when skipped this round (backing off) and carried over
    # A fact about this network or address, not about Meta ("Instagram is limiting requests
    # from your address"): shown beside the state, never counted as trouble.
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state.value,
            "failed_layer": self.failed_layer.value if self.failed_layer else None,
            "latency_ms": None if self.latency_ms is None else round(self.latency_ms, 1),
            "detail": self.detail,
            "note": self.note or None,
        }


@dataclass(frozen=True)
class InternetStatus:
    state: InternetState
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state.value, "detail": self.detail}


@dataclass(frozen=True)
class RoundResult:
    """Everything one round found: the verdict, the sentence, and the evidence behind it."""

    verdict: Verdict
    summary: str
    internet: InternetStatus
    services: tuple[ServiceResult, ...]
    references: tuple[ReferenceResult, ...]
    checked_at: datetime
    duration_ms: float
    official: OfficialStatus | None = None  # Meta Status as last read: evidence, never the verdict
    account: AccountStatus | None = None  # the owner's signed-in check (no secrets in it)

    def service(self, service_id: str) -> ServiceResult | None:
        return next((s for s in self.services if s.id == service_id), None)

    def to_json(self) -> dict[str, Any]:
        official = self.official
        services = []
        for s in self.services:
            state = official.service_state(s.id) if official is not None else None
            services.append({**s.to_json(), "official_state": state.value if state else None})
        ids = [s.id for s in self.services]
        return {
            "verdict": self.verdict.value,
            "summary": self.summary,
            "internet": self.internet.to_json(),
            "services": services,
            "checked_at": self.checked_at.isoformat().replace("+00:00", "Z"),
            "duration_ms": round(self.duration_ms, 1),
            "official": official.to_json(ids) if official is not None else _not_checked(),
            "account": self.account.to_json() if self.account is not None else _no_account(),
        }


NOT_CHECKED = Template("official.not_checked", "Meta Status was not checked")
NO_ACCOUNT = Template("account.none", "no signed-in check")


def _not_checked() -> dict[str, Any]:
    return {
        "state": "unavailable",
        "checked_at": None,
        "detail": NOT_CHECKED(),
        "orgs": [],
        "not_covered": [],
    }


def _no_account() -> dict[str, Any]:
    return {
        "state": "off",
        "detail": NO_ACCOUNT(),
        "action": None,
        "checked_at": None,
        "graph": None,
        "whatsapp": None,
    }


class AlertKind(enum.StrEnum):
    INTERNET_DOWN = "internet_down"
    INTERNET_RESTORED = "internet_restored"
    NETWORK_LIMITED = "network_limited"
    NETWORK_RESTORED = "network_restored"
    META_DOWN = "meta_down"
    META_PARTIAL = "meta_partial"
    META_RECOVERED = "meta_recovered"


@dataclass(frozen=True)
class Alert:
    """One confirmed change worth telling the owner about (already grouped)."""

    kind: AlertKind
    title: str
    message: str
    services: tuple[str, ...]
    at: datetime
    duration_s: float | None = None
    startup: bool = False  # the first confirmed state after start, not a change seen live

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "alert",
            "kind": self.kind.value,
            "title": self.title,
            "message": self.message,
            "services": list(self.services),
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "duration_s": None if self.duration_s is None else round(self.duration_s),
        }


@dataclass(frozen=True)
class MonitorSnapshot:
    """The monitor's confirmed view after a round: what the tray icon and menu show."""

    verdict: Verdict
    summary: str
    round: RoundResult
    confirmed_states: dict[str, ServiceState] = field(default_factory=dict)
    pending: bool = False  # a change is awaiting its confirming re-check
