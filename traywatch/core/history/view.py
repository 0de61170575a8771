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
from traywatch.core.verdict import wording

_OWN = (IncidentKind.INTERNET, IncidentKind.LIMITED)
_SLACK = timedelta(minutes=10)  # services confirmed a little before or after the Meta-wide outage


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    what: str  # "Instagram down", "Meta-wide outage", "Your internet down"
    service_names: tuple[str, ...]
    duration_s: float
    own_trouble_s: float | None  # our internet down/limited during it; None for our own outages
    note: str  # caveats about its start or end, in words ("" when seen start to end)
    part_of: str | None = None  # key of the Meta-wide incident this service outage belongs to

    @property
    def internet_words(self) -> str:
        """Was our own internet working meanwhile? The question an insurer asks first."""
        if self.own_trouble_s is None:
            return "no (this is your own connection)"
        if self.own_trouble_s <= 0:
            return "yes, working"
        return f"down or limited for {wording.duration(self.own_trouble_s)} of it"


@dataclass(frozen=True)
class HistoryView:
    window: Window
    generated_at: datetime
    service: str | None
    uptime: WindowUptime
    incidents: tuple[IncidentRow, ...]
    names: Mapping[str, str]


def _what(inc: Incident, names: Mapping[str, str]) -> str:
    if inc.kind is IncidentKind.SERVICE:
        return f"{wording.join_names([names.get(s, s) for s in inc.services])} down"
    if inc.kind is IncidentKind.META:
        return "Meta-wide outage"
    return "Your internet down" if inc.kind is IncidentKind.INTERNET else "Your network limited"


def _note(inc: Incident) -> str:
    parts = []
    if inc.start_reason is StartReason.AT_START:
        parts.append("already going on when traywatch started watching")
    if inc.ongoing:
        parts.append("still going on")
    elif inc.end_reason is not None and END_WORDS[inc.end_reason]:
        parts.append(END_WORDS[inc.end_reason])
    return "; ".join(parts)


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
