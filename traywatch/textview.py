"""Readable terminal output for `check` and `watch` (the JSON forms live on the models)."""

from __future__ import annotations

from traywatch.core.models import Alert, RoundResult, ServiceState

_MARK = {
    ServiceState.UP: "ok  ",
    ServiceState.DEGRADED: "SLOW",
    ServiceState.DOWN: "DOWN",
    ServiceState.UNKNOWN: " ?  ",
}


def round_table(rnd: RoundResult) -> str:
    width = max((len(s.name) for s in rnd.services), default=8)
    lines = [
        rnd.summary,
        f"Your internet: {rnd.internet.state.value} — {rnd.internet.detail}",
        "",
    ]
    for s in rnd.services:
        latency = f"{s.latency_ms:6.0f} ms" if s.latency_ms is not None else "       —"
        layer = f" [{s.failed_layer.value}]" if s.failed_layer else ""
        lines.append(f"  {_MARK[s.state]}  {s.name:<{width}}  {latency}  {s.detail}{layer}")
    local = rnd.checked_at.astimezone().strftime("%H:%M:%S")
    lines.append("")
    lines.append(f"Checked at {local} in {rnd.duration_ms / 1000:.1f} s.")
    return "\n".join(lines)


def round_line(rnd: RoundResult) -> str:
    local = rnd.checked_at.astimezone().strftime("%H:%M:%S")
    return f"{local}  {rnd.verdict.value:<15}  {rnd.summary}"


def alert_line(alert: Alert) -> str:
    local = alert.at.astimezone().strftime("%H:%M:%S")
    return f"{local}  ALERT  {alert.title} — {alert.message}"
