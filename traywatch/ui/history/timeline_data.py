"""What the timeline draws, computed once per read: rows, cells (one per band) and their words.

A cell's look is the worst thing seen in its bin; its hover text gives the time range and the
seconds in every state, so nothing is hidden by the colour. Colours are the tray icons' own;
every look is also told apart without colour (height, hatching, hollow outline).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from traywatch.core.history import INTERNET, Band
from traywatch.core.history.official_rows import OfficialEvent
from traywatch.core.history.records import to_ts
from traywatch.core.history.uptime import Step
from traywatch.i18n import N_, _, render
from traywatch.ui import when
from traywatch.ui.icons import COLOURS, IconKind

META_STATUS = "meta_status"  # key of the row with Meta Status's own reports


class Look(enum.StrEnum):
    UP = "up"
    SLOW = "degraded"
    DOWN = "down"
    OWN_DOWN = "internet_down"  # our own internet was down (service rows: "not Meta's fault")
    LIMITED = "limited"  # our own network limited the internet (internet row)
    UNKNOWN = "unknown"
    NOT_WATCHING = "not_watching"
    META_SAID = "meta_said"  # Meta Status showed a problem


LOOK_COLOURS: dict[Look, str] = {
    Look.UP: COLOURS[IconKind.OK],
    Look.SLOW: COLOURS[IconKind.META_PARTIAL],
    Look.DOWN: COLOURS[IconKind.META_DOWN],
    Look.OWN_DOWN: COLOURS[IconKind.INTERNET_DOWN],
    Look.LIMITED: COLOURS[IconKind.NETWORK_LIMITED],
    Look.UNKNOWN: COLOURS[IconKind.CHECKING],
    Look.NOT_WATCHING: COLOURS[IconKind.CHECKING],
    Look.META_SAID: "#c25400",
}
LOOK_LABELS: dict[Look, str] = {
    Look.UP: N_("Working"),
    Look.SLOW: N_("Slow"),
    Look.DOWN: N_("Down"),
    Look.OWN_DOWN: N_("Your internet down"),
    Look.LIMITED: N_("Your network limited"),
    Look.UNKNOWN: N_("Unknown"),
    Look.NOT_WATCHING: N_("Not watching"),
    Look.META_SAID: N_("Meta Status reported a problem"),
}
LEGEND = (Look.UP, Look.SLOW, Look.DOWN, Look.OWN_DOWN, Look.LIMITED, Look.UNKNOWN, Look.META_SAID)


@dataclass(frozen=True)
class Row:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    start: float  # UTC epoch seconds
    end: float
    look: Look
    band: Band | None = None
    event: OfficialEvent | None = None


@dataclass(frozen=True)
class TimelineData:
    rows: tuple[Row, ...]
    cells: tuple[Cell, ...]
    since: float
    until: float
    step: Step

    def row_cells(self, row: int) -> list[Cell]:
        return [c for c in self.cells if c.row == row]

    def cell_at(self, row: int, ts: float) -> Cell | None:
        return next((c for c in self.cells if c.row == row and c.start <= ts < c.end), None)


def look_of(band: Band) -> Look:
    if band.element == INTERNET:  # up = working, degraded = limited, down = down
        if band.down_s > 0:
            return Look.OWN_DOWN
        if band.degraded_s > 0:
            return Look.LIMITED
        return Look.UP if band.up_s > 0 else Look.NOT_WATCHING
    return {
        "down": Look.DOWN,
        "degraded": Look.SLOW,
        "internet_down": Look.OWN_DOWN,
        "up": Look.UP,
        "unknown": Look.UNKNOWN,
    }.get(band.worst, Look.NOT_WATCHING)


def build(
    bands: Iterable[Band],
    elements: Iterable[str],
    names: Mapping[str, str],
    step: Step,
    since: datetime,
    until: datetime,
    official: Iterable[OfficialEvent] = (),
    with_meta_row: bool = True,
) -> TimelineData:
    """Rows ('Your internet', the services, 'Meta Status said') and one cell per band (O(bands))."""
    keys = list(elements)
    rows = [Row(k, _("Your internet") if k == INTERNET else names.get(k, k)) for k in keys]
    index = {k: i for i, k in enumerate(keys)}
    cells = [
        Cell(index[b.element], to_ts(b.start), to_ts(b.end), look_of(b), band=b)
        for b in bands
        if b.element in index
    ]
    if with_meta_row:
        meta = len(rows)
        rows.append(Row(META_STATUS, _("Meta Status said")))
        for event in official:
            end = event.ended_at or event.last_seen
            cells.append(Cell(meta, to_ts(event.first_seen), max(to_ts(end), to_ts(event.first_seen) + 60),
                              Look.META_SAID, event=event))  # fmt: skip
    return TimelineData(tuple(rows), tuple(cells), to_ts(since), to_ts(until), step)


def _range_words(start: datetime, end: datetime, step: Step) -> str:
    a, b = start.astimezone(), end.astimezone()
    if step == "day":
        return when.day(a, "ddd dd MMM yyyy")
    if a.date() == b.date() or b.strftime("%H:%M") == "00:00":
        return _("{day}, {start}–{end}").format(
            day=when.day(a, "ddd dd MMM"), start=f"{a:%H:%M}", end=f"{b:%H:%M}"
        )
    return _("{start} – {end}").format(
        start=when.day(a, "ddd dd MMM HH:mm"), end=when.day(b, "ddd dd MMM HH:mm")
    )


def _parts(band: Band) -> list[tuple[str, float]]:
    if band.element == INTERNET:
        return [
            (N_("down {duration}"), band.down_s),
            (N_("limited {duration}"), band.degraded_s),
            (N_("working {duration}"), band.up_s),
            (N_("not watching {duration}"), band.not_watching_s),
        ]
    return [
        (N_("down {duration}"), band.down_s),
        (N_("slow {duration}"), band.degraded_s),
        (N_("your internet down {duration}"), band.internet_down_s),
        (N_("working {duration}"), band.up_s),
        (N_("unknown {duration}"), band.unknown_s),
        (N_("not watching {duration}"), band.not_watching_s),
    ]


def hover_text(data: TimelineData, cell: Cell) -> str:
    """'Instagram · Wed 11 Dec, 14:00–15:00 · Down: down 42 min, working 18 min'."""
    label = data.rows[cell.row].label
    if cell.event is not None:
        ev = cell.event
        end = ev.ended_at
        since = when.clock(ev.meta_since or ev.first_seen, ev.first_seen)
        said = render(ev.status or ev.state)  # Meta's own words
        if end:
            return _("{row} · {name}: {said} · from {since}, until {until}").format(
                row=label, name=ev.name, said=said, since=since, until=when.clock(end, ev.first_seen)
            )
        return _("{row} · {name}: {said} · from {since}, still shown at the last reading").format(
            row=label, name=ev.name, said=said, since=since
        )
    band = cell.band
    if band is None:
        return label
    parts = [(what, s) for what, s in _parts(band) if s >= 1]
    look = _(LOOK_LABELS[cell.look])
    if len(parts) == 1:
        state = _("{look} for {duration}").format(look=look, duration=when.duration(parts[0][1]))
    else:
        listed = _(", ").join(_(w).format(duration=when.duration(s)) for w, s in parts)
        state = _("{look}: {parts}").format(look=look, parts=listed)
    return _("{row} · {period} · {state}").format(
        row=label, period=_range_words(band.start, band.end, data.step), state=state
    )
