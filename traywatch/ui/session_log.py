"""What happened during this run (recent rounds, alerts, whether they were shown), in memory."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from traywatch.core.models import Alert, RoundResult
from traywatch.core.watch.monitor import MonitorUpdate


@dataclass(frozen=True)
class LogEntry:
    round: RoundResult
    alerts: tuple[Alert, ...]
    shown: bool  # whether a notification was shown for the alerts (False while paused)


class SessionLog:
    def __init__(self, keep: int = 200) -> None:
        self._entries: deque[LogEntry] = deque(maxlen=keep)

    def add(self, update: MonitorUpdate, shown: bool) -> None:
        self._entries.append(LogEntry(update.snapshot.round, update.alerts, shown))

    def entries(self) -> list[LogEntry]:
        return list(self._entries)

    def alerts(self) -> list[Alert]:
        return [a for e in self._entries for a in e.alerts]

    def __len__(self) -> int:
        return len(self._entries)
