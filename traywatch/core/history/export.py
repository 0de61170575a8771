"""History as data for other programs: JSON for scripts, CSV for spreadsheets.

CSV cells that start with =, +, -, @, a tab or a carriage return get a leading apostrophe, so
a spreadsheet shows them as text and never runs them as a formula (CSV injection).

Keys, column headers and codes (kind, start and end reasons, Meta's word) stay English for
scripts; sentences (what, cause, summary, notes, the period) are said in `lang`, the language in
use by default: an old incident reads in today's language, an older English row as it was stored.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from traywatch.core.history.acknowledge import ack_words, meta_word
from traywatch.core.history.view import STILL_GOING_ON, HistoryView, IncidentRow
from traywatch.i18n import Template, current_language, formats, render

CSV_TITLE = Template("report.csv_title", "traywatch report: {period}")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | None


def neutralise(value: Cell) -> Cell:
    """Text that a spreadsheet would evaluate becomes plain text; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def utc_iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def local_text(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _say(text: str | None, lang: str | None) -> str | None:
    return None if text is None else render(text, lang or current_language())


def incident_json(row: IncidentRow, lang: str | None = None) -> dict[str, Any]:
    inc = row.incident
    return {
        "id": inc.key,
        "kind": inc.kind.value,
        "what": _say(row.what, lang),
        "services": list(inc.services),
        "started_at": utc_iso(inc.started_at),
        "ended_at": utc_iso(inc.ended_at),
        "ongoing": inc.ongoing,
        "duration_s": round(row.duration_s),
        "cause": _say(inc.cause, lang),
        "summary": _say(inc.summary, lang),
        "layer": inc.layer,
        "start_reason": inc.start_reason.value,
        "end_reason": None if inc.end_reason is None else inc.end_reason.value,
        "own_internet_trouble_s": None if row.own_trouble_s is None else round(row.own_trouble_s),
        "note": _say(row.note, lang),
        "part_of": row.part_of,
        "acknowledged_at": utc_iso(inc.acknowledged_at),
        "acknowledged_by": _say(inc.acknowledged_by, lang),
        "acknowledgement": _say(ack_words(inc), lang),
        "meta_status": meta_word(inc).value,
    }


def view_json(view: HistoryView, lang: str | None = None) -> dict[str, Any]:
    return {
        "from": utc_iso(view.window.since),
        "to": utc_iso(view.window.until),
        "window": _say(view.window.label, lang),
        "generated_at": utc_iso(view.generated_at),
        "service": view.service,
        "uptime": [u.to_json() for u in view.uptime.services],
        "internet": view.uptime.internet.to_json(),
        "incidents": [incident_json(r, lang) for r in view.incidents],
    }


_INCIDENT_HEADER = [
    "start (local)",
    "end (local)",
    "duration_s",
    "duration",
    "what",
    "services",
    "your internet working?",
    "cause",
    "summary",
    "note",
    "kind",
    "start_utc",
    "end_utc",
    "id",
    "part_of",
    "meta acknowledged",
]
_UPTIME_HEADER = [
    "service",
    "name",
    "uptime_pct",
    "up_s",
    "degraded_s",
    "down_s",
    "unknown_s",
    "your_internet_down_s",
    "not_watching_s",
]


def _incident_cells(row: IncidentRow, lang: str) -> list[Cell]:
    inc = row.incident
    return [
        local_text(inc.started_at),
        local_text(inc.ended_at) or render(STILL_GOING_ON(), lang),
        round(row.duration_s),
        formats.duration(row.duration_s, lang),
        render(row.what, lang),
        ", ".join(row.service_names),
        render(row.internet_words, lang),
        render(inc.cause, lang),
        render(inc.summary, lang),
        render(row.note, lang),
        inc.kind.value,
        utc_iso(inc.started_at),
        utc_iso(inc.ended_at),
        inc.key,
        row.part_of,
        render(ack_words(inc), lang),
    ]


def _uptime_rows(view: HistoryView) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for u in view.uptime.services:
        pct = u.uptime_pct
        rows.append(
            [
                u.service,
                u.name,
                None if pct is None else round(pct, 3),
                round(u.up_s),
                round(u.degraded_s),
                round(u.down_s),
                round(u.unknown_s),
                round(u.internet_down_s),
                round(u.not_watching_s),
            ]
        )
    return rows


def _write(rows: list[list[Cell]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if c is None else neutralise(c) for c in row])
    return out.getvalue()


def incidents_csv(view: HistoryView, lang: str | None = None) -> str:
    """One row per incident (what scripts want from `traywatch history --csv`)."""
    said = lang or current_language()
    return _write([list[Cell](_INCIDENT_HEADER), *(_incident_cells(r, said) for r in view.incidents)])


def report_csv(view: HistoryView, lang: str | None = None) -> str:
    """The report for a spreadsheet: an uptime table, a blank line, then the incidents table."""
    said = lang or current_language()
    title: list[Cell] = [render(CSV_TITLE(period=view.window.label), said), local_text(view.window.since)]
    title.append(local_text(view.window.until))
    return _write(
        [
            title,
            [],
            list[Cell](_UPTIME_HEADER),
            *_uptime_rows(view),
            [],
            list[Cell](_INCIDENT_HEADER),
            *(_incident_cells(r, said) for r in view.incidents),
        ]
    )
