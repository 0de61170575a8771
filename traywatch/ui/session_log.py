"""What happened during this run (recent rounds, alerts, whether they were shown), in memory.

An entry keeps a round's time, verdict and sentence, not the round itself: a whole round (every
probe's result, addresses, Meta Status) is 9-11 KB, so 200 of them held ~2 MB for a log that only
needs the outline; the history database keeps the rounds."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from traywatch.core.models import Alert, Verdict
from traywatch.core.watch.monitor import MonitorUpdate


@dataclass(frozen=True)
class LogEntry:
    checked_at: datetime
    verdict: Verdict
    summary: str
    alerts: tuple[Alert, ...]
    shown: bool  # whether a notification was shown for the alerts (False while paused)


class SessionLog:
    def __init__(self, keep: int = 200) -> None:
        self._entries: deque[LogEntry] = deque(maxlen=keep)

    def add(self, update: MonitorUpdate, shown: bool) -> None:
        rnd = update.snapshot.round
        self._entries.append(LogEntry(rnd.checked_at, rnd.verdict, rnd.summary, update.alerts, shown))

    def entries(self) -> list[LogEntry]:
        return list(self._entries)

    def alerts(self) -> list[Alert]:
        return [a for e in self._entries for a in e.alerts]

    def __len__(self) -> int:
        return len(self._entries)
