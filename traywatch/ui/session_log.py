"""What happened during this run (recent rounds, alerts, whether they were shown), in memory.

An entry keeps a round's time, verdict and sentence, not the round itself: a whole round (every
probe's result, addresses, Meta Status) is 9-11 KB, so 200 of them held ~2 MB for a log that only
needs the outline; the history database keeps the rounds. A sentence equal to the one before
(every healthy round says the same) is kept once: each round makes its own copy, a tree of
`Message`s of about 1 KB, which filled the log by ~200 KB over its first 33 minutes."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from traywatch.core.models import Alert, Verdict
from traywatch.core.watch.monitor import MonitorUpdate
from traywatch.i18n import Message


@dataclass(frozen=True, slots=True)
class LogEntry:
    checked_at: datetime
    verdict: Verdict
    summary: str
    alerts: tuple[Alert, ...]
    shown: bool  # whether a notification was shown for the alerts (False while paused)


def same_sentence(a: str, b: str) -> bool:
    """The same words and, for a `Message`, the same codes and parameters all the way down (so
    either can stand for the other in any language)."""
    if a != b or type(a) is not type(b):
        return False
    if isinstance(a, Message) and isinstance(b, Message):
        return a.to_json() == b.to_json()
    return True


class SessionLog:
    def __init__(self, keep: int = 200) -> None:
        self._entries: deque[LogEntry] = deque(maxlen=keep)

    def add(self, update: MonitorUpdate, shown: bool) -> None:
        rnd = update.snapshot.round
        summary = rnd.summary
        if self._entries and same_sentence(summary, self._entries[-1].summary):
            summary = self._entries[-1].summary
        self._entries.append(LogEntry(rnd.checked_at, rnd.verdict, summary, update.alerts, shown))

    def entries(self) -> list[LogEntry]:
        return list(self._entries)

    def alerts(self) -> list[Alert]:
        return [a for e in self._entries for a in e.alerts]

    def __len__(self) -> int:
        return len(self._entries)
