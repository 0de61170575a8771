"""When Meta admitted it: Meta Status readings turned into history rows, and the words for reports.

The recorder asks `AckTracker.observe()` after each round. Each open Meta incident is marked
acknowledged the first time Meta Status shows a problem for an organisation covering one of its
services (SERVICE_ORGS); a service no organisation covers is never acknowledged ("not covered by
Meta Status"). The time kept is Meta's own (its first post, or the status's time) when it gives one,
else when traywatch read it. Each open incident is also marked the first time Meta Status could be
read at all while it was open, so that Meta's silence is told apart from Meta Status being
unreadable. Every problem Meta Status shows is also kept as an episode of its own.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime

from traywatch.core.history.records import (
    Incident,
    IncidentAcknowledged,
    IncidentKind,
    OfficialEventEnded,
    OfficialEventSeen,
    OfficialRead,
    WriteOp,
)
from traywatch.core.metastatus.status import (
    SERVICE_ORGS,
    WATCHED_ORGS,
    OfficialState,
    OfficialStatus,
    OrgStatus,
)
from traywatch.i18n import Duration, Moment, Template

# Open incident key -> its services (those of a Meta-wide one too), None for our own connection.
OpenIncidents = Mapping[str, tuple[str, ...] | None]


class MetaWord(enum.StrEnum):
    """What history can say about Meta's word on an incident."""

    OWN = "own"  # our own connection's outage: Meta has nothing to say about it
    ACKNOWLEDGED = "acknowledged"
    NOT_COVERED = "not_covered"  # no Meta Status organisation covers its services
    SILENT = "not_acknowledged"  # Meta Status was read and showed nothing about it
    UNREAD = "unread"  # Meta Status could not be read while it was open
    NOT_RECORDED = "not_recorded"  # recorded before traywatch kept whether Meta Status was read


def covering_orgs(services: tuple[str, ...]) -> tuple[str, ...]:
    """The Meta Status organisations that cover any of these services."""
    return tuple(dict.fromkeys(o for sid in services for o in SERVICE_ORGS.get(sid, ())))


def _relevant(services: tuple[str, ...], troubled: Mapping[str, OrgStatus]) -> list[OrgStatus]:
    return [troubled[o] for o in covering_orgs(services) if o in troubled]


def _ack_time(org: OrgStatus, read_at: datetime) -> datetime:
    said = org.acknowledged_at
    return said if said is not None and said <= read_at else read_at


class AckTracker:
    def __init__(self) -> None:
        self._acknowledged: set[str] = set()
        self._read: set[str] = set()  # open incidents during which Meta Status was read
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
            if services is not None and key not in self._read:
                ops.append(OfficialRead(key))
                self._read.add(key)
            if services is None or key in self._acknowledged:
                continue
            orgs = _relevant(services, troubled)
            if not orgs:
                continue
            first = min(orgs, key=lambda o: _ack_time(o, read_at))
            by = ACKNOWLEDGED_BY(org=first.name, status=first.text)
            ops.append(IncidentAcknowledged(key, _ack_time(first, read_at), by))
            self._acknowledged.add(key)
        self._acknowledged &= set(open_incidents)
        self._read &= set(open_incidents)
        return ops


def meta_word(inc: Incident) -> MetaWord:
    if inc.kind in (IncidentKind.INTERNET, IncidentKind.LIMITED):
        return MetaWord.OWN
    if inc.acknowledged_at is not None:
        return MetaWord.ACKNOWLEDGED
    if not covering_orgs(inc.services):
        return MetaWord.NOT_COVERED
    if inc.official_read is None:
        return MetaWord.NOT_RECORDED
    return MetaWord.SILENT if inc.official_read else MetaWord.UNREAD


ACKNOWLEDGED_BY = Template("history.ack.by", "{org}: {status}")  # Meta's own words, verbatim
_NO_ACK_WORDS = {
    MetaWord.NOT_COVERED: Template("history.ack.not_covered", "not covered by Meta Status"),
    MetaWord.SILENT: Template("history.ack.silent", "not acknowledged by Meta"),
    MetaWord.UNREAD: Template("history.ack.unread", "Meta Status could not be read during the incident"),
    MetaWord.NOT_RECORDED: Template(
        "history.ack.not_recorded", "Meta Status readings not recorded for this incident"
    ),
}
_AFTER = Template("history.ack.after", "{duration} after traywatch saw it")
_BEFORE = Template("history.ack.before", "{duration} before traywatch saw it")
_ABOUT = Template("history.ack.about", "about when traywatch saw it")
_AT = Template("history.ack.at", "Meta acknowledged at {time} ({gap})")
_AT_BY = Template("history.ack.at_by", "Meta acknowledged at {time} ({gap}): {by}")


def ack_words(inc: Incident) -> str:
    """'Meta acknowledged at 15:17 (17 min after traywatch saw it)', 'not acknowledged by Meta'
    (Meta Status was read and said nothing), 'Meta Status could not be read during the incident',
    'not covered by Meta Status', or '' for outages of our own connection. A `Message` but for ''."""
    word = meta_word(inc)
    if word is not MetaWord.ACKNOWLEDGED or inc.acknowledged_at is None:
        said = _NO_ACK_WORDS.get(word)
        return "" if said is None else said()
    when = Moment(inc.acknowledged_at, now=inc.started_at)
    lead = (inc.acknowledged_at - inc.started_at).total_seconds()
    if lead >= 60:
        gap = _AFTER(duration=Duration(lead))
    elif lead <= -60:
        gap = _BEFORE(duration=Duration(-lead))
    else:
        gap = _ABOUT()
    if inc.acknowledged_by:
        return _AT_BY(time=when, gap=gap, by=inc.acknowledged_by)
    return _AT(time=when, gap=gap)
