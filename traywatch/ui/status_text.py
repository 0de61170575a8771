"""The words the tray shows (tooltip, menu rows, window titles), as pure functions of the core's objects.

No Qt here, so the wording is easy to test and reuse by the fallback status window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from traywatch.core.models import Hint, Layer, MonitorSnapshot, ServiceResult, ServiceState, Verdict
from traywatch.core.notify.policy import VERDICT_TITLES
from traywatch.core.verdict.diagnosis import BLOCKED_BY_NETWORK, blocked_by_network
from traywatch.i18n import N_, Message, _, current_language, formats, render

APP_TITLE = "traywatch"
# A menu row per state, without and with the few words on why (one msgid per sentence shape).
_ROW_TEXTS = {
    ServiceState.UP: (N_("{name} — working"), N_("{name} — working ({cause})")),
    ServiceState.DEGRADED: (N_("{name} — having trouble"), N_("{name} — having trouble ({cause})")),
    ServiceState.DOWN: (N_("{name} — down"), N_("{name} — down ({cause})")),
    ServiceState.UNKNOWN: (N_("{name} — unknown"), N_("{name} — unknown ({cause})")),
}
_LAYER_CAUSES = {
    Layer.DNS: N_("name lookup failed"),
    Layer.TCP: N_("cannot connect"),
    Layer.TLS: N_("secure connection failed"),
    Layer.HTTP: N_("bad answer"),
    Layer.CONTENT: N_("error page"),
}


def said(text: str) -> str:
    """A core text in the language in use: a Message rendered, a plain constant the core declares
    (a verdict title, a marked phrase) looked up in the catalogue."""
    return render(text) if isinstance(text, Message) else _(text)


@dataclass(frozen=True)
class ServiceRow:
    """One menu row: 'Facebook — down (name lookup failed)'."""

    id: str
    name: str
    state: ServiceState
    cause: str

    @property
    def text(self) -> str:
        plain, with_cause = _ROW_TEXTS[self.state]
        if self.cause:
            return _(with_cause).format(name=self.name, cause=render(self.cause))
        return _(plain).format(name=self.name)


def short_cause(svc: ServiceResult, verdict: Verdict | None = None) -> str:
    """A few words on why a service is in its state (the detail is for the history window)."""
    lang = current_language()
    if svc.state is ServiceState.UNKNOWN:
        if blocked_by_network(svc):
            return said(BLOCKED_BY_NETWORK)
        if verdict in (Verdict.INTERNET_DOWN, Verdict.NETWORK_LIMITED):
            return _("your own connection is at fault")
        return _("not checked yet")
    if svc.state is ServiceState.UP and svc.note:
        return _note_cause(svc)
    if not svc.checked:
        return _("re-checked later")
    if svc.state is ServiceState.UP:
        return (
            ""
            if svc.latency_ms is None
            else _("{ms} ms").format(ms=formats.integer(round(svc.latency_ms), lang))
        )
    hints = {h for p in svc.probes for h in p.hints}
    if Hint.TIMEOUT in hints:
        cause = _("no answer in time")
    elif Hint.RATE_LIMITED in hints:
        cause = _("busy, asked us to wait")
    elif Hint.SERVER_ERROR in hints:
        status = next((p.status for p in svc.probes if p.status and p.status >= 500), None)
        cause = _("server error {status}").format(status=status) if status else _("server error")
    elif Hint.ERROR_PAGE in hints:
        cause = _("\u201csomething went wrong\u201d page")
    elif svc.failed_layer is not None:
        cause = _(_LAYER_CAUSES[svc.failed_layer])
    elif svc.state is ServiceState.DEGRADED and svc.latency_ms is not None:
        cause = _("slow, {seconds} s").format(seconds=formats.decimal(svc.latency_ms / 1000, 1, lang))
    else:
        cause = ""
    return cause


def _note_cause(svc: ServiceResult) -> str:
    """A working service's note in a few words: about this address or network, not Meta."""
    if any(p.has(Hint.RATE_LIMITED) for p in svc.probes):
        return _("limiting requests from your address")
    port = next((urlsplit(p.target).port for p in svc.probes if not p.ok), None)
    return _("port {port} blocked by your network").format(port=port) if port else _("see details")


def service_rows(snapshot: MonitorSnapshot | None) -> list[ServiceRow]:
    if snapshot is None:
        return []
    verdict = snapshot.verdict
    return [ServiceRow(s.id, s.name, s.state, short_cause(s, verdict)) for s in snapshot.round.services]


def clock(at: datetime) -> str:
    """Local wall-clock time of day, e.g. '14:03:22'."""
    return at.astimezone().strftime("%H:%M:%S")


def last_check(at: datetime) -> str:
    return _("Last check: {time}").format(time=clock(at))


def pause_line(paused_until: datetime | None) -> str:
    if paused_until is None:
        return ""
    return _("Paused until {time}: no notifications (checks and history continue).").format(
        time=formats.clock(paused_until, current_language())
    )


def pause_short(paused_until: datetime) -> str:
    """'Paused until 18:30', without the explanation (the short Windows tooltip)."""
    return _("Paused until {time}").format(time=formats.clock(paused_until, current_language()))


def headline(snapshot: MonitorSnapshot | None) -> str:
    if snapshot is None:
        return _("Checking your internet and Meta…")
    title = said(VERDICT_TITLES[snapshot.verdict])
    return _("{verdict} (re-checking…)").format(verdict=title) if snapshot.pending else title


def problem_line(problem: str, width: int = 110) -> str:
    """One start-up problem (a broken settings file...) as a short line with a warning sign."""
    text = " ".join(render(problem).split())
    return "\u26a0 " + (text if len(text) <= width else text[: width - 1].rstrip() + "\u2026")


WINDOWS_TOOLTIP_MAX = 127  # Shell_NotifyIcon's szTip: 128 WCHARs with the terminator; Qt cuts the rest


def tooltip(
    snapshot: MonitorSnapshot | None,
    paused_until: datetime | None = None,
    problems: tuple[str, ...] = (),
    limit: int | None = None,
) -> str:
    """Summary sentence, one line per service, the time of the last check (and any problem).

    With `limit` (Windows: 127 characters) the most useful lines that fit, never a sentence cut
    in the middle: the verdict, the pause, problems, the last check, then the summary."""
    if limit is not None:
        return _short_tooltip(snapshot, paused_until, problems, limit)
    lines = [APP_TITLE]
    lines.extend(problem_line(p) for p in problems)
    if paused_until is not None:
        lines.append(pause_line(paused_until))
    if snapshot is None:
        lines.append(_("Checking your internet and Meta… (first check running)"))
        return "\n".join(lines)
    lines.append(render(snapshot.summary))
    lines.extend(row.text for row in service_rows(snapshot))
    lines.append(last_check(snapshot.round.checked_at))
    return "\n".join(lines)


def _short_tooltip(
    snapshot: MonitorSnapshot | None, paused_until: datetime | None, problems: tuple[str, ...], limit: int
) -> str:
    first = _("traywatch: {verdict}").format(verdict=headline(snapshot))
    candidates = [(0, first)]  # (display position, line), in order of importance
    if paused_until is not None:  # "Paused until 18:30", without the explanation
        candidates.append((2, pause_short(paused_until)))
    candidates += [(1, problem_line(p, 60)) for p in problems]
    if snapshot is not None:
        candidates.append((4, last_check(snapshot.round.checked_at)))
        candidates.append((3, render(snapshot.summary)))
    if len(first) > limit:
        return first[: limit - 1] + "\u2026"
    chosen: list[tuple[int, str]] = []
    used = -1  # no newline before the first line
    for position, line in candidates:
        if used + 1 + len(line) <= limit:
            chosen.append((position, line))
            used += 1 + len(line)
    return "\n".join(line for _, line in sorted(chosen, key=lambda item: item[0]))
