"""The outage report: one self-contained, printable HTML page (inline CSS, no scripts, nothing
fetched from the network) with uptime per service and every incident. All text is escaped.

Every word on the page is a message (`report.*`, and the history's own `history.*` sentences),
said in the language asked for when the page is rendered (`render_html(view, lang)`): an old
incident reads in today's language, and a row stored before sentences had codes as its English."""

from __future__ import annotations

from datetime import datetime
from html import escape

from traywatch import __version__
from traywatch.core.history.acknowledge import ack_words
from traywatch.core.history.records import IncidentKind
from traywatch.core.history.view import STILL_GOING_ON, HistoryView, IncidentRow
from traywatch.i18n import Decimal, Duration, Template, current_language, formats, render

_CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #1b1b1b; margin: 2em auto; max-width: 62em; padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h2 { font-size: 1.2em; margin: 1.6em 0 .4em; border-bottom: 1px solid #bbb; padding-bottom: .2em; }
p.meta { color: #555; margin: 0; }
p.note { color: #444; font-size: .92em; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { text-align: left; vertical-align: top; padding: .35em .5em; border-bottom: 1px solid #ddd; }
th { background: #f1f1f1; }
td.num { text-align: right; white-space: nowrap; }
td.when { white-space: nowrap; }
tr.own td { color: #555; }
tr.child td { font-size: .95em; border-bottom-style: dotted; }
tr.child td:nth-child(4) { padding-left: 1.5em; }
.bad { color: #a40000; font-weight: 600; }
.ok { color: #1d6b1d; }
small { color: #555; }
@page { size: A4; margin: 14mm; }
@media print { body { margin: 0; max-width: none; } tr { page-break-inside: avoid; } }
"""


NO_DATA = Template("report.no_data", "Nothing was recorded in this period.")
NO_INCIDENTS = Template("report.no_incidents", "No incidents in this period.")
PERCENT = Template("report.percent", "{value} %")
NO_VALUE = "—"
UPTIME_COLUMNS = (
    Template("report.column.service", "Service"),
    Template("report.column.uptime", "Uptime"),
    Template("report.column.down", "Down"),
    Template("report.column.slow", "Slow"),
    Template("report.column.observed", "Observed"),
    Template("report.column.internet_down", "Your internet down"),
    Template("report.column.not_watching", "Not watching / unknown"),
)
INCIDENT_COLUMNS = (
    Template("report.column.start", "Start"),
    Template("report.column.end", "End"),
    Template("report.column.duration", "Duration"),
    Template("report.column.what", "What"),
    Template("report.column.cause", "Cause"),
    Template("report.column.internet_working", "Your internet working?"),
)
OWN_INTERNET = Template(
    "report.own_internet",
    "Your own internet: working {up}, limited {limited}, down {down}; not watched {idle}.",
)
TITLE = Template("report.title", "Outage report {since} to {until}")
TITLE_OF = Template("report.title_of", "Outage report {since} to {until} — {service}")
HEADING = Template("report.heading", "Outage report")
HEADING_OF = Template("report.heading_of", "Outage report — {service}")
PERIOD = Template("report.period", "{since} to {until} ({period}), local time")
MADE_BY = Template("report.made_by", "Made by traywatch {version} on {when}")
UPTIME_HEADING = Template("report.uptime_heading", "Uptime per service")
UPTIME_NOTE = Template(
    "report.uptime_note",
    "Uptime counts only the time when your own internet was working and traywatch was watching. "
    "Time when your own internet was down or limited, and time when traywatch was not running or "
    "the computer was asleep, is shown beside it and counted neither for nor against Meta.",
)
INCIDENTS_HEADING = Template("report.incidents_heading", "Incidents ({count})")
INCIDENTS_NOTE = Template(
    "report.incidents_note",
    "Each outage that traywatch confirmed with a second check, with its start, end, duration, "
    "cause, and whether your own internet was working meanwhile.",
)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


class _Page:
    """Says every piece of one page in one language, escaped for HTML."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, text: str) -> str:
        return _e(render(text, self.lang))

    def when(self, moment: datetime | None) -> str:
        """Dates and times as YYYY-MM-DD HH:MM (local): the same in every language."""
        return self(STILL_GOING_ON()) if moment is None else _e(_stamp(moment))

    def pct(self, value: float | None) -> str:
        return NO_VALUE if value is None else self(PERCENT(value=Decimal(value, 2)))

    def duration(self, seconds: float) -> str:
        return _e(formats.duration(seconds, self.lang))

    def head(self, columns: tuple[Template, ...]) -> str:
        return "<tr>" + "".join(f"<th>{self(c())}</th>" for c in columns) + "</tr>"


def _stamp(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _uptime_table(view: HistoryView, say: _Page) -> str:
    rows = []
    for u in view.uptime.services:
        cls = "bad" if u.down_s > 0 else "ok"
        rows.append(
            "<tr>"
            f"<td>{_e(u.name)}</td>"
            f'<td class="num {cls}">{say.pct(u.uptime_pct)}</td>'
            f'<td class="num">{say.duration(u.down_s)}</td>'
            f'<td class="num">{say.duration(u.degraded_s)}</td>'
            f'<td class="num">{say.duration(u.observed_s)}</td>'
            f'<td class="num">{say.duration(u.internet_down_s)}</td>'
            f'<td class="num">{say.duration(u.not_watching_s + u.unknown_s)}</td>'
            "</tr>"
        )
    if not rows:
        return f"<p>{say(NO_DATA())}</p>"
    net = view.uptime.internet
    own = OWN_INTERNET(
        up=Duration(net.up_s),
        limited=Duration(net.limited_s),
        down=Duration(net.down_s),
        idle=Duration(net.not_watching_s),
    )
    head = say.head(UPTIME_COLUMNS)
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table><p>{say(own)}</p>"


def _incident_row(row: IncidentRow, say: _Page) -> str:
    inc = row.incident
    own = row.own_trouble_s is None
    services = _e(formats.list_join(row.service_names, say.lang))
    what = say(row.what) + (f"<br><small>{services}</small>" if inc.kind is IncidentKind.META else "")
    note = f"<br><small>{say(row.note)}</small>" if row.note else ""
    ack = ack_words(inc)
    note += f"<br><small>{say(ack)}</small>" if ack else ""
    if row.part_of:
        what = f"&#8627; {what}"
    return (
        f'<tr class="{"own" if own else "child" if row.part_of else ""}">'
        f'<td class="when">{say.when(inc.started_at)}</td>'
        f'<td class="when">{say.when(inc.ended_at)}</td>'
        f'<td class="num">{say.duration(row.duration_s)}</td>'
        f"<td>{what}</td>"
        f"<td>{say(inc.cause)}<br><small>{say(inc.summary)}</small>{note}</td>"
        f"<td>{say(row.internet_words)}</td>"
        "</tr>"
    )


def _incident_table(view: HistoryView, say: _Page) -> str:
    if not view.incidents:
        return f"<p>{say(NO_INCIDENTS())}</p>"
    body = "".join(_incident_row(r, say) for r in view.incidents)
    return f"<table><thead>{say.head(INCIDENT_COLUMNS)}</thead><tbody>{body}</tbody></table>"


def render_html(view: HistoryView, lang: str | None = None) -> str:
    """The whole page, said in `lang` (the language in use by default)."""
    say = _Page(lang or current_language())
    dates = {"since": _stamp(view.window.since), "until": _stamp(view.window.until)}
    if view.service:
        name = view.names.get(view.service, view.service)
        title, heading = TITLE_OF(service=name, **dates), HEADING_OF(service=name)
    else:
        title, heading = TITLE(**dates), HEADING()
    period = PERIOD(period=view.window.label, **dates)
    made = MADE_BY(version=__version__, when=_stamp(view.generated_at))
    return f"""<!DOCTYPE html>
<html lang="{_e(say.lang.replace("_", "-"))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{say(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{say(heading)}</h1>
<p class="meta">{say(period)}</p>
<p class="meta">{say(made)}</p>

<h2>{say(UPTIME_HEADING())}</h2>
<p class="note">{say(UPTIME_NOTE())}</p>
{_uptime_table(view, say)}

<h2>{say(INCIDENTS_HEADING(count=len(view.incidents)))}</h2>
<p class="note">{say(INCIDENTS_NOTE())}</p>
{_incident_table(view, say)}
</body>
</html>
"""
