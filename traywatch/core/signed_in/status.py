"""What the signed-in check found, as frozen values (never holding the token)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from traywatch.core.models import Layer
from traywatch.i18n import Template


class AccountState(enum.StrEnum):
    OFF = "off"  # no token stored, or `[account] enabled = false`
    OK = "ok"
    TOKEN_INVALID = "token_invalid"  # expired, revoked, password changed...: the owner must act
    LIMITED = "limited"  # rate limits, a WhatsApp number LIMITED/BLOCKED: the account, not an outage
    API_DOWN = "api_down"  # Meta's API fails signed-in requests: an outage (March 2024)
    UNKNOWN = "unknown"  # could not tell (our internet was down, an answer we do not know)
    UNAVAILABLE = "unavailable"  # the keyring cannot be used (none, or locked)


# Which state wins when the Graph call and the WhatsApp read disagree.
_PRECEDENCE = (
    AccountState.TOKEN_INVALID,
    AccountState.API_DOWN,
    AccountState.LIMITED,
    AccountState.UNKNOWN,
    AccountState.OK,
)


NOT_JUDGED = Template("account.not_judged", "not judged: {why}")
WITH_NUMBER = Template("account.with_number", "{detail}; WhatsApp number: {number}")


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class GraphAnswer:
    """One signed-in Graph API call, judged."""

    state: AccountState
    detail: str
    layer: Layer | None = None  # where it failed, for API_DOWN
    http_status: int | None = None
    code: int | None = None
    subcode: int | None = None
    latency_ms: float | None = None
    action: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "detail": self.detail,
            "failed_layer": self.layer.value if self.layer else None,
            "http_status": self.http_status,
            "error_code": self.code,
            "error_subcode": self.subcode,
            "latency_ms": None if self.latency_ms is None else round(self.latency_ms, 1),
        }


@dataclass(frozen=True)
class WhatsAppHealth:
    """The WhatsApp Business number's health_status: AVAILABLE / LIMITED / BLOCKED (verbatim)."""

    state: AccountState
    status: str  # Meta's word ("AVAILABLE", "LIMITED", "BLOCKED", or an unknown one), "" if none
    detail: str
    errors: tuple[str, ...] = ()
    action: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "status": self.status or None,
            "detail": self.detail,
            "errors": list(self.errors),
        }


@dataclass(frozen=True)
class AccountStatus:
    """The account section of a round: overall state, one sentence, what to do, the evidence."""

    state: AccountState
    detail: str
    action: str | None = None
    graph: GraphAnswer | None = None
    whatsapp: WhatsAppHealth | None = None
    checked_at: datetime | None = None

    @property
    def meta_failing(self) -> bool:
        """Meta's API fails signed-in requests: counts as Graph API down (when our internet works)."""
        return self.graph is not None and self.graph.state is AccountState.API_DOWN

    def not_judged(self, why: str) -> AccountStatus:
        """While our own connection is at fault, a failing call proves nothing about Meta."""
        if self.state not in (AccountState.API_DOWN, AccountState.UNKNOWN):
            return self
        return replace(self, state=AccountState.UNKNOWN, detail=NOT_JUDGED(why=why), action=None)

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "detail": self.detail,
            "action": self.action,
            "checked_at": _iso(self.checked_at),
            "graph": self.graph.to_json() if self.graph else None,
            "whatsapp": self.whatsapp.to_json() if self.whatsapp else None,
        }


def combine(graph: GraphAnswer, whatsapp: WhatsAppHealth | None, checked_at: datetime) -> AccountStatus:
    """The account's overall state: a token problem first, then Meta failing, then limits."""
    states = [graph.state] + ([whatsapp.state] if whatsapp else [])
    state = next(s for s in _PRECEDENCE if s in states)
    detail = graph.detail
    if whatsapp is not None:
        detail = WITH_NUMBER(detail=detail, number=whatsapp.detail)
    action = graph.action or (whatsapp.action if whatsapp else None)
    return AccountStatus(state, detail, action, graph, whatsapp, checked_at)
