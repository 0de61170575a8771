"""Everything a history listing or report shows for one window, gathered from the store once.

The CLI table, JSON, CSV and the HTML report all render this, so they always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from traywatch.core.history.period import Window
from traywatch.core.history.records import END_WORDS, Incident, IncidentKind, StartReason
from traywatch.core.history.store import HistoryStore
from traywatch.core.history.uptime import WindowUptime, own_trouble_s
from traywatch.i18n import Duration, Message, Template, names

_OWN = (IncidentKind.INTERNET, IncidentKind.LIMITED)
SERVICE_DOWN = Template("history.what.service", "{services} down")
META_WIDE = Template("history.what.meta", "Meta-wide outage")
INTERNET_DOWN = Template("history.what.internet", "Your internet down")
NETWORK_LIMITED = Template("history.what.limited", "Your network limited")
ALREADY_GOING_ON = Template("history.note.at_start", "already going on when traywatch started watching")
STILL_GOING_ON = Template("history.note.ongoing", "still going on")
TWO_NOTES = Template("history.note.two", "{first}; {second}")
OWN_CONNECTION = Template("history.internet.own", "no (this is your own connection)")
WORKING = Template("history.internet.working", "yes, working")
TROUBLE_FOR = Template("history.internet.trouble", "down or limited for {duration} of it")
_SLACK = timedelta(minutes=10)  # services confirmed a little before or after the Meta-wide outage


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    what: str  # a Message: "Instagram down", "Meta-wide outage", "Your internet down"
    service_names: tuple[str, ...]
    duration_s: float
    own_trouble_s: float | None  # our internet down/limited during it; None for our own outages
    note: str  # caveats about its start or end, a Message ("" when seen start to end)
    part_of: str | None = None  # key of the Meta-wide incident this service outage belongs to

    @property
    def internet_words(self) -> Message:
        """Was our own internet working meanwhile? The question an insurer asks first."""
        if self.own_trouble_s is None:
            return OWN_CONNECTION()
        if self.own_trouble_s <= 0:
            return WORKING()
        return TROUBLE_FOR(duration=Duration(self.own_trouble_s))


@dataclass(frozen=True)
class HistoryView:
    window: Window
    generated_at: datetime
    service: str | None
    uptime: WindowUptime
    incidents: tuple[IncidentRow, ...]
    names: Mapping[str, str]


def _what(inc: Incident, known: Mapping[str, str]) -> Message:
    if inc.kind is IncidentKind.SERVICE:
        return SERVICE_DOWN(services=names(known.get(s, s) for s in inc.services))
    if inc.kind is IncidentKind.META:
        return META_WIDE()
    return INTERNET_DOWN() if inc.kind is IncidentKind.INTERNET else NETWORK_LIMITED()


def _note(inc: Incident) -> str:
    """Caveats about the start and the end: a Message, or "" when it was seen start to end."""
    parts: list[Message] = []
    if inc.start_reason is StartReason.AT_START:
        parts.append(ALREADY_GOING_ON())
    if inc.ongoing:
        parts.append(STILL_GOING_ON())
    elif inc.end_reason in END_WORDS:
        parts.append(END_WORDS[inc.end_reason]())
    if len(parts) == 2:
        return TWO_NOTES(first=parts[0], second=parts[1])
    return parts[0] if parts else ""


def load_view(
    store: HistoryStore,
    window: Window,
    now: datetime,
    service: str | None = None,
    names: Mapping[str, str] | None = None,
) -> HistoryView:
    """Uptime and incidents over the window (one service's, with `service`), cut at `now`: the
    future is not "not watching"."""
    window = window.until_now(now)
    known = {**(names or {}), **store.service_names()}
    wanted = [service] if service else list(dict.fromkeys([*(names or {}), *store.service_names()]))
    uptime = store.uptime(window.since, window.until, wanted)
    # Services never recorded yet still get their display name from the catalogue.
    named = tuple(replace(u, name=known.get(u.service, u.name)) for u in uptime.services)
    uptime = replace(uptime, services=named)
    everything = store.incidents(window.since, window.until)
    own = [i for i in everything if i.kind in _OWN]
    chosen = everything if service is None else store.incidents(window.since, window.until, service=service)
    rows = [
        IncidentRow(
            incident=inc,
            what=_what(inc, known),
            service_names=tuple(known.get(s, s) for s in inc.services),
            duration_s=inc.duration_s(now),
            own_trouble_s=None if inc.kind in _OWN else own_trouble_s(inc, own, now),
            note=_note(inc),
        )
        for inc in chosen
    ]
    return HistoryView(window, now, service, uptime, _grouped(rows, now), known)


def _grouped(rows: list[IncidentRow], now: datetime) -> tuple[IncidentRow, ...]:
    """Service outages inside a Meta-wide one follow it, marked `part_of`; the rest by start."""
    metas = [r for r in rows if r.incident.kind is IncidentKind.META]
    children: dict[str, list[IncidentRow]] = {m.incident.key: [] for m in metas}
    top: list[IncidentRow] = []
    for row in rows:
        inc = row.incident
        parent = next(
            (
                m.incident
                for m in metas
                if inc.kind is IncidentKind.SERVICE
                and inc.services[0] in m.incident.services
                and inc.started_at >= m.incident.started_at - _SLACK
                and inc.end_or(now) <= m.incident.end_or(now) + _SLACK
            ),
            None,
        )
        if parent is None:
            top.append(row)
        else:
            children[parent.key].append(replace(row, part_of=parent.key))
    out: list[IncidentRow] = []
    for row in top:
        out.append(row)
        out.extend(children.get(row.incident.key, ()))
    return tuple(out)
