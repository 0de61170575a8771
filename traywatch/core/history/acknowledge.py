"""When Meta admitted it: Meta Status readings turned into history rows, and the words for reports.

The recorder asks `AckTracker.observe()` after each round. Each open Meta incident is marked
acknowledged the first time Meta Status shows a problem that concerns it (the organisations covering
that service; for Meta-wide outages and services Meta Status does not cover, any business tool it
lists). The time kept is Meta's own (its first post, or the status's time) when it gives one, else
when traywatch read it. Every problem Meta Status shows is also kept as an episode of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from traywatch.core import wording
from traywatch.core.history.records import (
    Incident,
    IncidentAcknowledged,
    IncidentKind,
    OfficialEventEnded,
    OfficialEventSeen,
    WriteOp,
)
from traywatch.core.official.status import (
    SERVICE_ORGS,
    WATCHED_ORGS,
    OfficialState,
    OfficialStatus,
    OrgStatus,
)

# Open incident key -> its services: () for a Meta-wide one, None for our own connection.
OpenIncidents = Mapping[str, tuple[str, ...] | None]


def _relevant(services: tuple[str, ...], troubled: Mapping[str, OrgStatus]) -> list[OrgStatus]:
    if len(services) == 1 and services[0] in SERVICE_ORGS:
        return [troubled[o] for o in SERVICE_ORGS[services[0]] if o in troubled]
    return list(troubled.values())  # Meta-wide, or a service Meta Status does not cover


def _ack_time(org: OrgStatus, read_at: datetime) -> datetime:
    said = org.acknowledged_at
    return said if said is not None and said <= read_at else read_at


class AckTracker:
    def __init__(self) -> None:
        self._acknowledged: set[str] = set()
        self._episodes: set[str] = set()  # organisations with an open episode

    def observe(self, official: OfficialStatus | None, open_incidents: OpenIncidents) -> list[WriteOp]:
        """Write operations for this round's Meta Status reading (none when it was not read)."""
        if official is None or official.state is OfficialState.UNAVAILABLE or official.checked_at is None:
            return []  # no news: nothing opens, nothing closes
        read_at = official.checked_at
        troubled = {o.id: o for o in official.orgs if o.id in WATCHED_ORGS and o.state.trouble}
        ops: list[WriteOp] = [
            OfficialEventSeen(o.id, o.name, o.state.value, o.text, o.acknowledged_at, read_at)
            for o in troubled.values()
        ]
        for org in sorted(self._episodes - set(troubled)):
            ops.append(OfficialEventEnded(org, read_at))
        self._episodes = set(troubled)
        for key, services in open_incidents.items():
            if services is None or key in self._acknowledged:
                continue
            orgs = _relevant(services, troubled)
            if not orgs:
                continue
            first = min(orgs, key=lambda o: _ack_time(o, read_at))
            ops.append(IncidentAcknowledged(key, _ack_time(first, read_at), f"{first.name}: {first.text}"))
            self._acknowledged.add(key)
        self._acknowledged &= set(open_incidents)
        return ops


def ack_words(inc: Incident) -> str:
    """'Meta acknowledged at 15:17 (17 min after traywatch saw it)', 'not acknowledged by Meta', or
    '' for outages of our own connection."""
    if inc.kind in (IncidentKind.INTERNET, IncidentKind.LIMITED):
        return ""
    if inc.acknowledged_at is None:
        return "not acknowledged by Meta"
    when = wording.clock(inc.acknowledged_at, inc.started_at)
    lead = (inc.acknowledged_at - inc.started_at).total_seconds()
    if lead >= 60:
        gap = f"{wording.duration(lead)} after traywatch saw it"
    elif lead <= -60:
        gap = f"{wording.duration(-lead)} before traywatch saw it"
    else:
        gap = "about when traywatch saw it"
    by = f": {inc.acknowledged_by}" if inc.acknowledged_by else ""
    return f"Meta acknowledged at {when} ({gap}){by}"
