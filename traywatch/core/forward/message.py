"""What a forwarded message says: one alert (marked late when it waited), or one summary of many
(alerts older than a day, or those quiet hours held back), never a burst. Forwarding is an edge:
the text is said in the language in use when it is sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from traywatch.core.forward.outbox import OutboxItem
from traywatch.core.models import Alert, AlertKind
from traywatch.core.verdict import wording
from traywatch.core.watch import monitor
from traywatch.i18n import Duration, Moment, Template, join, render
from traywatch.i18n import Message as Said

LATE_S = 60.0  # delivered later than this after the alert: say so, and why
DAY_S = 86400.0
_RECOVERIES = {AlertKind.INTERNET_RESTORED, AlertKind.NETWORK_RESTORED, AlertKind.META_RECOVERED}
_WHY = {
    "internet": Template("forward.why_internet", "your internet was down"),
    "service": Template("forward.why_service", "the forwarding service could not be reached or refused it"),
    "keyring": Template("forward.why_keyring", "its secret could not be read from the keyring"),
}
WHY_UNKNOWN = Template("forward.why_unknown", "traywatch could not send it earlier")
LASTED = Template("forward.lasted", "It lasted {duration}.")
LATE = Template("forward.late", "sent {duration} late: {reason}")
LATE_BODY = Template("forward.late_body", "{body}\n(At {at}; {note}.)")
QUIET_TITLE = Template(
    "forward.quiet_title",
    "During quiet hours: {count} alert",
    "During quiet hours: {count} alerts",
    count="count",
)
OLD_TITLE = Template(
    "forward.old_title",
    "{count} alert from more than a day ago",
    "{count} alerts from more than a day ago",
    count="count",
)
HELD_QUIET = Template("forward.held_quiet", "held during your forwarding quiet hours")
NOT_IN_TIME = Template("forward.not_in_time", "not delivered in time")
NOT_IN_TIME_BECAUSE = Template("forward.not_in_time_because", "not delivered in time ({reasons})")
LINE = Template("forward.line", "{at}  {title}. {text}")
FOOTER = Template(
    "forward.footer",
    "({count} alert from {first} to {last}, {why}.)",
    "({count} alerts from {first} to {last}, {why}.)",
    count="count",
)
TEST_TITLE = Template("forward.test_title", "traywatch: test message")
TEST_BODY = Template(
    "forward.test_body", "Forwarding works: traywatch alerts will reach you here (sent at {at})."
)
# recovery messages that already say how long the trouble lasted
_SAY_DURATION = {monitor.OUT_FOR.code, monitor.WORKING_AGAIN.code}


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    kind: str  # "failure", "success" or "info": how the target may colour it


def tone(kinds: Sequence[AlertKind]) -> str:
    return "success" if kinds and all(k in _RECOVERIES for k in kinds) else "failure"


def _says_duration(text: str) -> bool:
    if isinstance(text, Said):
        parts = text.params["parts"] if text.code == "join" else (text,)
        return any(isinstance(p, Said) and p.code in _SAY_DURATION for p in parts)  # type: ignore[union-attr]
    return False


def _alert_said(alert: Alert) -> Said | str:
    """The alert's message; a recovery always says how long it lasted."""
    text = alert.message
    if alert.kind not in _RECOVERIES or alert.duration_s is None or _says_duration(text):
        return text
    if isinstance(text, Said) or wording.duration(alert.duration_s) not in text:  # old English rows
        return join(text, LASTED(duration=Duration(alert.duration_s)))
    return text


def alert_text(alert: Alert) -> str:
    """The alert's message in the language in use; a recovery always says how long it lasted."""
    return render(_alert_said(alert))


def _late(item: OutboxItem, now: datetime) -> Said | None:
    waited = (now - item.alert.at).total_seconds()
    if waited < LATE_S:
        return None
    reason = _WHY.get(item.why or "", WHY_UNKNOWN)()
    return LATE(duration=Duration(waited), reason=reason)


def late_note(item: OutboxItem, now: datetime) -> str | None:
    """'sent 14 min late: your internet was down', or None when it was not late."""
    note = _late(item, now)
    return None if note is None else render(note)


def single(item: OutboxItem, now: datetime) -> Message:
    alert = item.alert
    body: Said | str = _alert_said(alert)
    note = _late(item, now)
    if note is not None:
        body = LATE_BODY(body=body, at=Moment(alert.at, now), note=note)
    return Message(render(alert.title), render(body), tone([alert.kind]))


def summary(items: Sequence[OutboxItem], now: datetime, held_by_quiet: bool) -> Message:
    """One message for many waiting alerts, oldest first."""
    count = len(items)
    first, last = items[0].alert.at, items[-1].alert.at
    if held_by_quiet:
        title, why = QUIET_TITLE(count=count), HELD_QUIET()
    else:
        title = OLD_TITLE(count=count)
        reasons = {i.why for i in items if i.why in _WHY}
        said = sorted((_WHY[r]() for r in reasons if r is not None), key=str)
        why = NOT_IN_TIME_BECAUSE(reasons=wording.semicolons(said)) if said else NOT_IN_TIME()
    lines = [
        render(LINE(at=Moment(i.alert.at, now), title=i.alert.title, text=_alert_said(i.alert)))
        for i in items
    ]
    footer = FOOTER(count=count, first=Moment(first, now), last=Moment(last, now), why=why)
    return Message(render(title), "\n".join([*lines, render(footer)]), tone([i.alert.kind for i in items]))


def test_message(now: datetime) -> Message:
    return Message(render(TEST_TITLE()), render(TEST_BODY(at=Moment(now, now))), "info")
