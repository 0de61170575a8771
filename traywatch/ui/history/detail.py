"""The selected incident in words: what, when, how long, cause, evidence, your internet, Meta."""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from traywatch.core.history import IncidentKind, IncidentRow
from traywatch.core.history.acknowledge import ack_words
from traywatch.i18n import N_, _, render
from traywatch.ui import when
from traywatch.ui.history.incident_model import KIND_WORDS, names_text, when_text

_LAYERS = {
    "dns": N_("the address lookup (DNS) failed; confirmed by a second check"),
    "tcp": N_("no connection could be made (TCP); confirmed by a second check"),
    "tls": N_("the secure connection failed (TLS); confirmed by a second check"),
    "http": N_("the server answered with an error (HTTP); confirmed by a second check"),
    "content": N_("the answer was not the normal page (content); confirmed by a second check"),
}
EMPTY = N_("Select an incident to see its cause, evidence and duration.")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def detail_html(row: IncidentRow, now: datetime) -> str:
    """The detail pane's text (all values escaped)."""
    inc = row.incident
    end = when_text(inc.ended_at) if inc.ended_at else _("still going on")
    lasted = when.duration(inc.duration_s(now))
    facts: list[tuple[str, str]] = [
        (_("Kind"), _(KIND_WORDS[inc.kind])),
        (_("Started"), when_text(inc.started_at)),
        (_("Ended"), end),
        (_("Duration"), _("{duration} so far").format(duration=lasted) if inc.ongoing else lasted),
    ]
    if inc.kind is IncidentKind.META or len(row.service_names) > 1:
        facts.append((_("Services"), names_text(row.service_names)))
    facts.append((_("Cause"), render(inc.cause)))
    if inc.layer:
        layer = _LAYERS.get(inc.layer)
        evidence = _(layer) if layer else _("{layer}; confirmed by a second check").format(layer=inc.layer)
        facts.append((_("Evidence"), evidence))
    facts.append((_("Your internet working?"), render(row.internet_words)))
    ack = ack_words(inc)
    if ack:
        facts.append((_("Meta Status"), render(ack)))
    if row.note:
        facts.append((_("Note"), render(row.note)))
    if row.part_of:
        facts.append((_("Part of"), _("a Meta-wide outage listed just above it")))
    cells = "".join(
        f'<tr><td style="padding-right:12px;white-space:nowrap"><b>{_e(k)}</b></td><td>{_e(v)}</td></tr>'
        for k, v in facts
    )
    return (
        f"<h3 style='margin:0 0 4px 0'>{_e(render(row.what))}</h3>"
        f"<p style='margin:0 0 6px 0'>{_e(render(inc.summary))}</p>"
        f"<table cellspacing='0' cellpadding='1'>{cells}</table>"
    )


class IncidentDetail(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident_detail")
        self.setAccessibleName(_("Incident details"))
        self.setOpenLinks(False)
        self.show_row(None, datetime.now())

    def show_row(self, row: IncidentRow | None, now: datetime) -> None:
        if row is None:
            self.setPlainText(_(EMPTY))
        else:
            self.setHtml(detail_html(row, now))
