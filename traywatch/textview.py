"""Readable terminal output for `check` and `watch`, in the language in use (the JSON forms live
on the models; `terminal.json_text` says their messages)."""

from __future__ import annotations

from datetime import datetime

from traywatch.core.models import Alert, InternetState, RoundResult, ServiceState
from traywatch.i18n import N_, _, current_language, formats, ngettext, render

# The mark before each service, upper case where something is wrong (translated where shown).
_MARK = {
    ServiceState.UP: N_("ok"),
    ServiceState.DEGRADED: N_("SLOW"),
    ServiceState.DOWN: N_("DOWN"),
    ServiceState.UNKNOWN: N_("?"),
}
_INTERNET = {
    InternetState.UP: N_("up"),
    InternetState.DOWN: N_("down"),
    InternetState.LIMITED: N_("limited"),
}


def internet_word(state: InternetState) -> str:
    return _(_INTERNET[state])


def names_text(items: list[str], limit: int = 3) -> str:
    """'Facebook, Instagram and WhatsApp'; past `limit` + 1 names, '..., X and 4 more'."""
    shown = list(dict.fromkeys(items))
    if len(shown) > limit + 1:
        rest = len(shown) - limit
        more = ngettext("{count} more", "{count} more", rest).format(
            count=formats.integer(rest, current_language())
        )
        shown = [*shown[:limit], more]
    return formats.list_join(shown, current_language())


def stamp(moment: datetime) -> str:
    """A round's or alert's local time of day, to the second."""
    return moment.astimezone().strftime("%H:%M:%S")


def seconds_text(seconds: float) -> str:
    """'2.3 s' with the language's decimal mark."""
    return _("{seconds} s").format(seconds=formats.decimal(seconds, 1, current_language()))


def round_table(rnd: RoundResult) -> str:
    width = max((len(s.name) for s in rnd.services), default=8)
    marks = {state: _(mark) for state, mark in _MARK.items()}
    mark_width = max(len(mark) for mark in marks.values())
    lines = [
        render(rnd.summary),
        _("Your internet: {state} — {detail}").format(
            state=internet_word(rnd.internet.state), detail=render(rnd.internet.detail)
        ),
        "",
    ]
    for s in rnd.services:
        if s.latency_ms is not None:
            latency = _("{ms} ms").format(ms=formats.integer(round(s.latency_ms), current_language()))
        else:
            latency = "—"
        layer = f" [{s.failed_layer.value}]" if s.failed_layer else ""  # dns, tcp, tls...: technical
        mark = marks[s.state]
        lines.append(f"  {mark:<{mark_width}}  {s.name:<{width}}  {latency:>9}  {render(s.detail)}{layer}")
    lines.append("")
    lines.append(
        _("Checked at {time} in {duration}.").format(
            time=stamp(rnd.checked_at), duration=seconds_text(rnd.duration_ms / 1000)
        )
    )
    return "\n".join(lines)


def round_line(rnd: RoundResult) -> str:
    # The verdict's code stays as it is (a stable word scripts can look for); the summary is said.
    return f"{stamp(rnd.checked_at)}  {rnd.verdict.value:<15}  {render(rnd.summary)}"


def alert_line(alert: Alert) -> str:
    return _("{time}  ALERT  {title} — {message}").format(
        time=stamp(alert.at), title=render(alert.title), message=render(alert.message)
    )
