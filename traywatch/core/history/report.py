"""The outage report: one self-contained, printable HTML page (inline CSS, no scripts, nothing
fetched from the network) with uptime per service and every incident. All text is escaped."""

from __future__ import annotations

from datetime import datetime
from html import escape

from traywatch import __version__
from traywatch.core.history.acknowledge import ack_words
from traywatch.core.history.records import IncidentKind
from traywatch.core.history.view import HistoryView, IncidentRow
from traywatch.core.verdict import wording

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


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _when(moment: datetime | None) -> str:
    return "still going on" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} %"


def _uptime_table(view: HistoryView) -> str:
    rows = []
    for u in view.uptime.services:
        cls = "bad" if u.down_s > 0 else "ok"
        rows.append(
            "<tr>"
            f"<td>{_e(u.name)}</td>"
            f'<td class="num {cls}">{_e(_pct(u.uptime_pct))}</td>'
            f'<td class="num">{_e(wording.duration(u.down_s))}</td>'
            f'<td class="num">{_e(wording.duration(u.degraded_s))}</td>'
            f'<td class="num">{_e(wording.duration(u.observed_s))}</td>'
            f'<td class="num">{_e(wording.duration(u.internet_down_s))}</td>'
            f'<td class="num">{_e(wording.duration(u.not_watching_s + u.unknown_s))}</td>'
            "</tr>"
        )
    if not rows:
        return "<p>Nothing was recorded in this period.</p>"
    head = (
        "<tr><th>Service</th><th>Uptime</th><th>Down</th><th>Slow</th><th>Observed</th>"
        "<th>Your internet down</th><th>Not watching / unknown</th></tr>"
    )
    net = view.uptime.internet
    own = (
        f"<p>Your own internet: working {_e(wording.duration(net.up_s))}, limited "
        f"{_e(wording.duration(net.limited_s))}, down {_e(wording.duration(net.down_s))}; not watched "
        f"{_e(wording.duration(net.not_watching_s))}.</p>"
    )
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>{own}"


def _incident_row(row: IncidentRow) -> str:
    inc = row.incident
    own = row.own_trouble_s is None
    services = ", ".join(row.service_names)
    what = _e(row.what) + (f"<br><small>{_e(services)}</small>" if inc.kind is IncidentKind.META else "")
    note = f"<br><small>{_e(row.note)}</small>" if row.note else ""
    ack = ack_words(inc)
    note += f"<br><small>{_e(ack)}</small>" if ack else ""
    if row.part_of:
        what = f"&#8627; {what}"
    return (
        f'<tr class="{"own" if own else "child" if row.part_of else ""}">'
        f'<td class="when">{_e(_when(inc.started_at))}</td>'
        f'<td class="when">{_e(_when(inc.ended_at))}</td>'
        f'<td class="num">{_e(wording.duration(row.duration_s))}</td>'
        f"<td>{what}</td>"
        f"<td>{_e(inc.cause)}<br><small>{_e(inc.summary)}</small>{note}</td>"
        f"<td>{_e(row.internet_words)}</td>"
        "</tr>"
    )


def _incident_table(view: HistoryView) -> str:
    if not view.incidents:
        return "<p>No incidents in this period.</p>"
    head = (
        "<tr><th>Start</th><th>End</th><th>Duration</th><th>What</th><th>Cause</th>"
        "<th>Your internet working?</th></tr>"
    )
    body = "".join(_incident_row(r) for r in view.incidents)
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def render_html(view: HistoryView) -> str:
    since, until = _when(view.window.since), _when(view.window.until)
    scope = f" — {view.names.get(view.service, view.service)}" if view.service else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Outage report {_e(since)} to {_e(until)}{_e(scope)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>Outage report{_e(scope)}</h1>
<p class="meta">{_e(since)} to {_e(until)} ({_e(view.window.label)}), local time</p>
<p class="meta">Made by traywatch {_e(__version__)} on {_e(_when(view.generated_at))}</p>

<h2>Uptime per service</h2>
<p class="note">Uptime counts only the time when your own internet was working and traywatch was
watching. Time when your own internet was down or limited, and time when traywatch was not running
or the computer was asleep, is shown beside it and counted neither for nor against Meta.</p>
{_uptime_table(view)}

<h2>Incidents ({len(view.incidents)})</h2>
<p class="note">Each outage that traywatch confirmed with a second check, with its start, end,
duration, cause, and whether your own internet was working meanwhile.</p>
{_incident_table(view)}
</body>
</html>
"""
