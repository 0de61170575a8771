"""What a forwarded message says: one alert (marked late when it waited), or one summary of many
(alerts older than a day, or those quiet hours held back), never a burst."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from traywatch.core.forward.outbox import OutboxItem
from traywatch.core.models import Alert, AlertKind
from traywatch.core.verdict import wording

LATE_S = 60.0  # delivered later than this after the alert: say so, and why
DAY_S = 86400.0
_RECOVERIES = {AlertKind.INTERNET_RESTORED, AlertKind.NETWORK_RESTORED, AlertKind.META_RECOVERED}
_WHY = {
    "internet": "your internet was down",
    "service": "the forwarding service could not be reached or refused it",
    "keyring": "its secret could not be read from the keyring",
}


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    kind: str  # "failure", "success" or "info": how the target may colour it


def tone(kinds: Sequence[AlertKind]) -> str:
    return "success" if kinds and all(k in _RECOVERIES for k in kinds) else "failure"


def alert_text(alert: Alert) -> str:
    """The alert's message; a recovery always says how long it lasted."""
    text = alert.message
    if alert.kind in _RECOVERIES and alert.duration_s is not None:
        took = wording.duration(alert.duration_s)
        if took not in text:
            text = f"{text} It lasted {took}."
    return text


def late_note(item: OutboxItem, now: datetime) -> str | None:
    """'sent 14 min late: your internet was down', or None when it was not late."""
    waited = (now - item.alert.at).total_seconds()
    if waited < LATE_S:
        return None
    reason = _WHY.get(item.why or "", "traywatch could not send it earlier")
    return f"sent {wording.duration(waited)} late: {reason}"


def single(item: OutboxItem, now: datetime) -> Message:
    alert = item.alert
    body = alert_text(alert)
    note = late_note(item, now)
    if note:
        body = f"{body}\n(At {wording.clock(alert.at, now)}; {note}.)"
    return Message(alert.title, body, tone([alert.kind]))


def summary(items: Sequence[OutboxItem], now: datetime, held_by_quiet: bool) -> Message:
    """One message for many waiting alerts, oldest first."""
    count = f"{len(items)} alert{'s' if len(items) != 1 else ''}"
    first, last = items[0].alert.at, items[-1].alert.at
    if held_by_quiet:
        title = f"During quiet hours: {count}"
        why = "held during your forwarding quiet hours"
    else:
        title = f"{count} from more than a day ago"
        reasons = {_WHY.get(i.why or "", "") for i in items} - {""}
        why = "not delivered in time" + (f" ({'; '.join(sorted(reasons))})" if reasons else "")
    lines = [f"{wording.clock(i.alert.at, now)}  {i.alert.title}. {alert_text(i.alert)}" for i in items]
    span = f"from {wording.clock(first, now)} to {wording.clock(last, now)}"
    body = "\n".join([*lines, f"({count} {span}, {why}.)"])
    return Message(title, body, tone([i.alert.kind for i in items]))


def test_message(now: datetime) -> Message:
    return Message(
        "traywatch: test message",
        f"Forwarding works: traywatch alerts will reach you here (sent at {wording.clock(now, now)}).",
        "info",
    )
