"""Pausing notifications (1 h, 4 h, until tomorrow morning): checks and history go on meanwhile.

Part of the notification policy (core/notify/policy.py reads it); the tray only offers the choices."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

MORNING = time(7, 0)  # "until tomorrow" ends when a shop day starts


class PauseChoice(enum.StrEnum):
    ONE_HOUR = "1h"
    FOUR_HOURS = "4h"
    TOMORROW = "tomorrow"

    @property
    def label(self) -> str:
        return {
            PauseChoice.ONE_HOUR: "For 1 hour",
            PauseChoice.FOUR_HOURS: "For 4 hours",
            PauseChoice.TOMORROW: f"Until tomorrow ({MORNING:%H:%M})",
        }[self]


def _now() -> datetime:
    return datetime.now().astimezone()


def pause_end(choice: PauseChoice, now: datetime) -> datetime:
    """When a pause chosen at `now` (an aware local time) ends."""
    if choice is PauseChoice.ONE_HOUR:
        return now + timedelta(hours=1)
    if choice is PauseChoice.FOUR_HOURS:
        return now + timedelta(hours=4)
    tomorrow = (now + timedelta(days=1)).date()
    return datetime.combine(tomorrow, MORNING, tzinfo=now.tzinfo)


@dataclass
class PauseState:
    """Whether notifications are paused; expiry is judged lazily against the clock."""

    clock: Callable[[], datetime] = _now
    until: datetime | None = field(default=None)

    def pause(self, choice: PauseChoice) -> datetime:
        self.until = pause_end(choice, self.clock())
        return self.until

    def resume(self) -> None:
        self.until = None

    @property
    def active(self) -> bool:
        if self.until is not None and self.clock() >= self.until:
            self.until = None
        return self.until is not None

    def remaining_s(self) -> float:
        return max(0.0, (self.until - self.clock()).total_seconds()) if self.active and self.until else 0.0
