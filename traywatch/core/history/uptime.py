"""Honest uptime maths: seconds per state over a window, with our own outages and unwatched time
kept beside the service's uptime, never mixed into it.

A service's uptime counts only time when our own internet worked and traywatch was watching:
    uptime % = (up + degraded) / (up + degraded + down)
Time with our internet down or limited, time the service's state was unknown, and time nobody
was watching (app closed, machine asleep) are reported next to it. Pure functions; no SQL here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from traywatch.core.history.records import INTERNET, Incident, IncidentKind, from_ts

HOUR = 3600
DAY = 86400
MAX_SPAN_S = 3600.0  # a round never stands for longer than this (the recorder's gap limit is lower)
Step = Literal["hour", "day"]

# Bucket indexes. For a service: its state, or INTERNET when our own connection was at fault.
# For the 'internet' element: UP = working, DEGRADED = limited, DOWN = down.
UP, DEGRADED, DOWN, UNKNOWN, OWN = range(5)
NBUCKETS = 5
_SERVICE_BUCKET = {"up": UP, "degraded": DEGRADED, "down": DOWN}
_INTERNET_BUCKET = {"up": UP, "limited": DEGRADED, "down": DOWN}


def service_bucket(internet: str, state: str) -> int:
    """Where one service's second goes: our own outage wins over whatever the service showed."""
    if internet != "up":
        return OWN
    return _SERVICE_BUCKET.get(state, UNKNOWN)


def internet_bucket(internet: str) -> int:
    return _INTERNET_BUCKET.get(internet, DOWN)


def overlap(start: float, span: float, lo: float, hi: float) -> float:
    """Seconds of [start, start + span) inside [lo, hi); never negative."""
    return max(0.0, min(start + max(0.0, span), hi) - max(start, lo))


def split_hours(start: float, span: float) -> list[tuple[int, float]]:
    """[(hour start, seconds)] for an interval cut at UTC hour boundaries."""
    out: list[tuple[int, float]] = []
    end = start + max(0.0, span)
    at = start
    while at < end:
        hour = int(at // HOUR) * HOUR
        piece = min(end, hour + HOUR) - at
        out.append((hour, piece))
        at += piece
    return out


def hour_pieces(
    lo: float, hi: float
) -> tuple[tuple[float, float], tuple[int, int] | None, tuple[float, float]]:
    """Cut [lo, hi) into a head before the first whole hour, whole hours, and a tail."""
    h0 = math.ceil(lo / HOUR) * HOUR
    h1 = math.floor(hi / HOUR) * HOUR
    if h1 <= h0:  # no whole hour inside: at most two partial pieces around one boundary
        middle = min(max(h0, lo), hi)
        return (lo, middle), None, (middle, hi)
    return (lo, h0), (h0, h1), (h1, hi)


@dataclass(frozen=True)
class Uptime:
    """One service over one window. `uptime_pct` is None when nothing was observed."""

    service: str
    name: str
    since: datetime
    until: datetime
    up_s: float
    degraded_s: float
    down_s: float
    unknown_s: float  # our internet worked but the service's state could not be told
    internet_down_s: float  # our own internet was down or limited: not counted against the service
    not_watching_s: float  # traywatch not running, or the machine asleep

    @property
    def observed_s(self) -> float:
        return self.up_s + self.degraded_s + self.down_s

    @property
    def uptime_pct(self) -> float | None:
        observed = self.observed_s
        return None if observed <= 0 else 100.0 * (self.up_s + self.degraded_s) / observed

    def to_json(self) -> dict[str, Any]:
        pct = self.uptime_pct
        return {
            "id": self.service,
            "name": self.name,
            "uptime_pct": None if pct is None else round(pct, 3),
            "observed_s": round(self.observed_s),
            "up_s": round(self.up_s),
            "degraded_s": round(self.degraded_s),
            "down_s": round(self.down_s),
            "unknown_s": round(self.unknown_s),
            "internet_down_s": round(self.internet_down_s),
            "not_watching_s": round(self.not_watching_s),
        }


@dataclass(frozen=True)
class InternetTime:
    """Our own connection over the window."""

    since: datetime
    until: datetime
    up_s: float
    limited_s: float
    down_s: float
    not_watching_s: float

    def to_json(self) -> dict[str, Any]:
        return {
            "up_s": round(self.up_s),
            "limited_s": round(self.limited_s),
            "down_s": round(self.down_s),
            "not_watching_s": round(self.not_watching_s),
        }


@dataclass(frozen=True)
class WindowUptime:
    since: datetime
    until: datetime
    services: tuple[Uptime, ...]
    internet: InternetTime

    def service(self, service_id: str) -> Uptime | None:
        return next((u for u in self.services if u.service == service_id), None)


def _fit(seconds: Sequence[float], window_s: float) -> tuple[list[float], float]:
    """Buckets scaled to fit the window (overlapping sessions after a clock jump) + unwatched time."""
    clean = [max(0.0, s) for s in seconds]
    covered = sum(clean)
    if covered > window_s > 0:
        clean = [s * window_s / covered for s in clean]
        covered = window_s
    return clean, max(0.0, window_s - covered)


def make_window_uptime(
    since: float, until: float, totals: dict[str, list[float]], services: Sequence[str], names: dict[str, str]
) -> WindowUptime:
    window_s = max(0.0, until - since)
    start, end = from_ts(since), from_ts(until)
    rows = []
    for sid in services:
        b, idle = _fit(totals.get(sid, [0.0] * NBUCKETS), window_s)
        rows.append(
            Uptime(
                sid, names.get(sid, sid), start, end, b[UP], b[DEGRADED], b[DOWN], b[UNKNOWN], b[OWN], idle
            )
        )
    b, idle = _fit(totals.get(INTERNET, [0.0] * NBUCKETS), window_s)
    internet = InternetTime(start, end, b[UP], b[DEGRADED], b[DOWN], idle)
    return WindowUptime(start, end, tuple(rows), internet)


@dataclass(frozen=True, slots=True)
class Band:
    """One element over one bin of the timeline (an hour or a local day).

    For the 'internet' element: up_s = working, degraded_s = limited, down_s = down.
    Bins come from whole UTC hours, so a day band is exact to the hour, not to the second.
    """

    element: str
    start: datetime
    end: datetime
    up_s: float
    degraded_s: float
    down_s: float
    unknown_s: float
    internet_down_s: float
    not_watching_s: float

    @property
    def worst(self) -> str:
        """The worst thing seen in the bin: down, degraded, internet_down, up, unknown, not_watching."""
        for name, value in (
            ("down", self.down_s),
            ("degraded", self.degraded_s),
            ("internet_down", self.internet_down_s),
            ("up", self.up_s),
            ("unknown", self.unknown_s),
        ):
            if value > 0:
                return name
        return "not_watching"


def bin_edges(since: float, until: float, step: Step) -> list[float]:
    """Bin boundaries covering [since, until): UTC hours, or local midnights for days."""
    if until <= since:
        return [since, since]
    if step == "hour":
        first = math.floor(since / HOUR) * HOUR
        last = max(math.ceil(until / HOUR) * HOUR, first + HOUR)
        return [float(h) for h in range(first, last + 1, HOUR)]
    day = datetime.fromtimestamp(since).date()  # local calendar day
    edges = []
    while True:
        midnight = datetime(day.year, day.month, day.day).timestamp()  # naive = local time
        edges.append(midnight)
        if midnight >= until:
            return edges
        day = day.fromordinal(day.toordinal() + 1)


def make_bands(
    rows: Iterable[Sequence[Any]], edges: Sequence[float], elements: Sequence[str], until: float
) -> tuple[Band, ...]:
    """Bands from per-bin sums (bin index, element, up, degraded, down, unknown, own), per element.

    Time after `until` (the future part of the current hour or day) is not counted as unwatched.
    """
    nbins = len(edges) - 1
    sums = {e: [[0.0] * NBUCKETS for _ in range(nbins)] for e in elements}
    for index, element, *values in rows:
        target = sums.get(element)
        if target is not None and 0 <= index < nbins:
            acc = target[index]
            for i in range(NBUCKETS):
                acc[i] += values[i] or 0.0
    starts = [from_ts(e) for e in edges]
    bands = []
    for element in elements:
        for i, acc in enumerate(sums[element]):
            b, idle = _fit(acc, max(0.0, min(edges[i + 1], until) - edges[i]))
            bands.append(Band(element, starts[i], starts[i + 1], b[0], b[1], b[2], b[3], b[4], idle))
    return tuple(bands)


def own_trouble_s(incident: Incident, incidents: Iterable[Incident], now: datetime) -> float:
    """Seconds of an incident during which our own internet was down or limited."""
    start, end = incident.started_at, incident.end_or(now)
    total = 0.0
    for other in incidents:
        if other.kind not in (IncidentKind.INTERNET, IncidentKind.LIMITED):
            continue
        lo, hi = max(start, other.started_at), min(end, other.end_or(now))
        total += max(0.0, (hi - lo).total_seconds())
    return min(total, max(0.0, (end - start).total_seconds()))
