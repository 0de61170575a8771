"""What Meta Status says, as frozen values: states, organisations, and which of our services each
organisation covers. Status strings are matched loosely (Meta's vocabulary is not fully known):
anything unrecognised is `unknown` and its text is shown as Meta wrote it."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from traywatch.i18n import Template


class OfficialState(enum.StrEnum):
    OK = "ok"
    MINOR = "minor"
    MAJOR = "major"
    UNKNOWN = "unknown"  # a status string we do not recognise (shown verbatim)
    UNAVAILABLE = "unavailable"  # the feed could not be read (or was not checked)

    @property
    def trouble(self) -> bool:
        """Meta Status shows something other than "no known issues"."""
        return self in (OfficialState.MINOR, OfficialState.MAJOR, OfficialState.UNKNOWN)


_RANK = {OfficialState.OK: 0, OfficialState.UNKNOWN: 1, OfficialState.MINOR: 2, OfficialState.MAJOR: 3}

# Our service ids -> the Meta Status organisations that cover them (data, not code). Consumer apps
# (Facebook, Instagram, personal WhatsApp, Messenger, Threads) are not on Meta Status at all.
# Ads Manager runs on the Marketing API: Meta lists that organisation as affected when ads tools
# break (5 March 2024), sometimes apart from "Ads Manager" itself (docs/evidence.md).
SERVICE_ORGS: dict[str, tuple[str, ...]] = {
    "ads_manager": ("ads-manager", "marketing-api", "fbs"),
    "graph_api": ("graph-api", "facebook-login", "messenger", "ig-messenger"),
    "whatsapp_business": ("whatsapp-business-api",),  # a custom service of that id, if configured
}
# Organisations a shop owner's business depends on: the overall official state is theirs.
WATCHED_ORGS: tuple[str, ...] = tuple(
    dict.fromkeys([o for orgs in SERVICE_ORGS.values() for o in orgs] + ["fb-ig-shops", "catalog"])
)
ORG_NAMES = {
    "ads-manager": "Ads Manager",
    "marketing-api": "Marketing API",
    "fbs": "Meta Business Suite",
    "graph-api": "Graph API",
    "facebook-login": "Facebook Login",
    "messenger": "Messenger Platform",
    "ig-messenger": "Messenger API for Instagram",
    "whatsapp-business-api": "WhatsApp Business Platform",  # its RSS feed: "… Platform Status"
    "fb-ig-shops": "Facebook and Instagram Shops",
    "catalog": "Catalog",
}
NOT_COVERED = Template("official.not_covered", "not covered by Meta Status")


def map_status(text: str) -> OfficialState:
    """Meta's status text as a state: substrings, case-insensitive, as working consumers do, but
    "resolved" only as a word of its own ("Unresolved issue" is not a resolution)."""
    t = text.lower()
    if "no known issues" in t or _RESOLVED.search(t):
        return OfficialState.OK
    if "high" in t or "major" in t or "outage" in t:
        return OfficialState.MAJOR
    if "disruption" in t:
        return OfficialState.MINOR
    return OfficialState.UNKNOWN


_RESOLVED = re.compile(r"(?<![a-z])resolved\b")


def worst(states: Iterable[OfficialState]) -> OfficialState:
    ranked = [s for s in states if s in _RANK]
    return max(ranked, key=lambda s: _RANK[s], default=OfficialState.UNKNOWN)


def covers(org_id: str) -> tuple[str, ...]:
    """Our service ids that this organisation covers."""
    return tuple(sid for sid, orgs in SERVICE_ORGS.items() if org_id in orgs)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Component:
    """One service line of an organisation on Meta Status."""

    name: str
    state: OfficialState
    text: str
    since: datetime | None = None


@dataclass(frozen=True)
class OrgStatus:
    """One Meta Status organisation ("Graph API", "WhatsApp Business Platform"...)."""

    id: str
    name: str
    state: OfficialState
    text: str  # the worst component's status text, verbatim ("" when it lists none)
    since: datetime | None = None  # the time Meta gives for that status
    components: tuple[Component, ...] = ()
    detail: str = ""  # Meta's latest words about an open outage
    posted_at: datetime | None = None  # Meta's first post about the open outage, if any

    @property
    def acknowledged_at(self) -> datetime | None:
        """When Meta first said so: its first post, else the status's own time."""
        return self.posted_at or self.since

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state.value,
            "status": self.text,
            "since": _iso(self.since),
            "services": list(covers(self.id)),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class OfficialStatus:
    """Meta Status as last read: the overall state of the watched organisations and each one."""

    state: OfficialState
    detail: str
    checked_at: datetime | None = None  # when Meta Status last answered (None: never)
    orgs: tuple[OrgStatus, ...] = ()

    @classmethod
    def unavailable(cls, detail: str, checked_at: datetime | None = None) -> OfficialStatus:
        return cls(OfficialState.UNAVAILABLE, detail, checked_at)

    def org(self, org_id: str) -> OrgStatus | None:
        return next((o for o in self.orgs if o.id == org_id), None)

    def service_state(self, service_id: str) -> OfficialState | None:
        """Meta's word on one of our services; None when Meta Status does not cover it."""
        orgs = SERVICE_ORGS.get(service_id)
        if orgs is None:
            return None
        if self.state is OfficialState.UNAVAILABLE:
            return OfficialState.UNAVAILABLE
        found = [o.state for o in (self.org(i) for i in orgs) if o is not None]
        return worst(found) if found else OfficialState.UNKNOWN

    def troubled(self, service_ids: Iterable[str] | None = None) -> tuple[OrgStatus, ...]:
        """Organisations showing a problem: those covering these services, or all watched ones."""
        if self.state is OfficialState.UNAVAILABLE:
            return ()
        wanted = (
            WATCHED_ORGS if service_ids is None else [o for s in service_ids for o in SERVICE_ORGS.get(s, ())]
        )
        return tuple(o for o in self.orgs if o.id in wanted and o.state.trouble)

    def to_json(self, service_ids: Iterable[str] = ()) -> dict[str, Any]:
        shown = [o for o in self.orgs if o.id in WATCHED_ORGS or o.state.trouble]
        return {
            "state": self.state.value,
            "checked_at": _iso(self.checked_at),
            "detail": self.detail,
            "orgs": [o.to_json() for o in shown],
            "not_covered": [s for s in service_ids if s not in SERVICE_ORGS],
        }
