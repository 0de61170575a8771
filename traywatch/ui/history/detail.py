"""The selected incident in words: what, when, how long, cause, evidence, your internet, Meta."""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from traywatch.core.history import IncidentKind, IncidentRow
from traywatch.core.history.acknowledge import ack_words
from traywatch.core.verdict import wording
from traywatch.ui.history.incident_model import KIND_WORDS, when_text

_LAYERS = {
    "dns": "the address lookup (DNS) failed",
    "tcp": "no connection could be made (TCP)",
    "tls": "the secure connection failed (TLS)",
    "http": "the server answered with an error (HTTP)",
    "content": "the answer was not the normal page (content)",
}
EMPTY = "Select an incident to see its cause, evidence and duration."


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def detail_html(row: IncidentRow, now: datetime) -> str:
    """The detail pane's text (all values escaped)."""
    inc = row.incident
    end = when_text(inc.ended_at) if inc.ended_at else "still going on"
    facts: list[tuple[str, str]] = [
        ("Kind", KIND_WORDS[inc.kind]),
        ("Started", when_text(inc.started_at)),
        ("Ended", end),
        ("Duration", wording.duration(inc.duration_s(now)) + (" so far" if inc.ongoing else "")),
    ]
    if inc.kind is IncidentKind.META or len(row.service_names) > 1:
        facts.append(("Services", ", ".join(row.service_names)))
    facts.append(("Cause", inc.cause))
    if inc.layer:
        facts.append(("Evidence", f"{_LAYERS.get(inc.layer, inc.layer)}; confirmed by a second check"))
    facts.append(("Your internet working?", row.internet_words))
    ack = ack_words(inc)
    if ack:
        facts.append(("Meta Status", ack))
    if row.note:
        facts.append(("Note", row.note))
    if row.part_of:
        facts.append(("Part of", "a Meta-wide outage listed just above it"))
    cells = "".join(
        f'<tr><td style="padding-right:12px;white-space:nowrap"><b>{_e(k)}</b></td><td>{_e(v)}</td></tr>'
        for k, v in facts
    )
    return (
        f"<h3 style='margin:0 0 4px 0'>{_e(row.what)}</h3>"
        f"<p style='margin:0 0 6px 0'>{_e(inc.summary)}</p>"
        f"<table cellspacing='0' cellpadding='1'>{cells}</table>"
    )


class IncidentDetail(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident_detail")
        self.setAccessibleName("Incident details")
        self.setOpenLinks(False)
        self.show_row(None, datetime.now())

    def show_row(self, row: IncidentRow | None, now: datetime) -> None:
        if row is None:
            self.setPlainText(EMPTY)
        else:
            self.setHtml(detail_html(row, now))
