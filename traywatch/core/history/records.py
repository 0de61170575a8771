"""The history's value types: what is written (write operations) and what is read back (incidents).

Frozen dataclasses only; no SQL and no maths here. Times are aware UTC datetimes at this boundary
and UTC epoch seconds inside the database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from traywatch.core.errors import TraywatchError
from traywatch.core.models import RoundResult
from traywatch.i18n import Template

INTERNET = "internet"  # the element id of our own connection (same as the monitor's)


class HistoryError(TraywatchError):
    """The history file cannot be used (unreadable folder, made by a newer traywatch...)."""


class IncidentKind(enum.StrEnum):
    SERVICE = "service"  # one Meta service was confirmed down
    META = "meta"  # most Meta services were down at once (Meta-wide)
    INTERNET = "internet"  # our own internet was down
    LIMITED = "limited"  # our own network limited the internet (portal, filter, interception)


class StartReason(enum.StrEnum):
    SEEN = "seen"  # the change was seen live
    AT_START = "at_start"  # already so when watching began (or resumed after a gap)


class EndReason(enum.StrEnum):
    RECOVERED = "recovered"  # the change back was seen live
    APP_STOPPED = "app_stopped"  # traywatch was quit while it was still going on
    APP_DIED = "app_died"  # traywatch stopped unexpectedly; closed at the last round seen
    NOT_WATCHING = "not_watching"  # the machine slept / rounds stopped; closed at the last round seen


# How an incident ended, when it was not seen recovering (the recovered ones need no words).
END_WORDS: dict[EndReason, Template] = {
    EndReason.APP_STOPPED: Template(
        "history.end.app_stopped", "traywatch was closed while this was still going on"
    ),
    EndReason.APP_DIED: Template(
        "history.end.app_died", "traywatch stopped unexpectedly; closed at the last check it made"
    ),
    EndReason.NOT_WATCHING: Template(
        "history.end.not_watching", "the computer slept or stopped checking; closed at the last check"
    ),
}


def to_ts(moment: datetime) -> float:
    """UTC epoch seconds of an aware datetime (naive ones are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def from_ts(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True)
class Incident:
    """One outage as stored: what, which services, when, why, and how it was opened/closed.

    `cause`, `summary` and `acknowledged_by` are `Message`s when their code was kept (render()
    them), or plain English text (rows from before schema v5, sentences without a code)."""

    key: str
    kind: IncidentKind
    services: tuple[str, ...]
    started_at: datetime
    ended_at: datetime | None
    cause: str
    summary: str
    layer: str | None = None
    start_reason: StartReason = StartReason.SEEN
    end_reason: EndReason | None = None
    acknowledged_at: datetime | None = None  # when Meta Status first showed a problem overlapping it
    acknowledged_by: str | None = None  # what it showed: "Graph API: Major disruptions"
    # Meta Status was read while it was open (False: never could be; None: not recorded, older file)
    official_read: bool | None = None

    @property
    def ongoing(self) -> bool:
        return self.ended_at is None

    def end_or(self, now: datetime) -> datetime:
        """The end, or `now` for an incident still going on (never before the start)."""
        end = self.ended_at or now
        return max(end, self.started_at)

    def duration_s(self, now: datetime) -> float:
        return max(0.0, (self.end_or(now) - self.started_at).total_seconds())


# -- write operations: the recorder queues these (in memory while the disk cannot be written) --
@dataclass(frozen=True)
class SessionStarted:
    key: str
    at: datetime
    interval_s: float


@dataclass(frozen=True)
class SessionEnded:
    key: str
    at: datetime
    reason: EndReason
    max_span_s: float


@dataclass(frozen=True)
class RoundRecorded:
    """A round, stripped of probe evidence so thousands fit in memory while the disk is full."""

    session_key: str
    round: RoundResult
    max_span_s: float


@dataclass(frozen=True)
class IncidentOpened:
    session_key: str
    incident: Incident


@dataclass(frozen=True)
class IncidentClosed:
    key: str
    at: datetime
    reason: EndReason


@dataclass(frozen=True)
class IncidentServicesChanged:
    key: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class IncidentAcknowledged:
    """Meta Status showed a problem overlapping this incident (first time only is kept)."""

    key: str
    at: datetime  # Meta's own time for it when given, else when traywatch read it
    by: str


@dataclass(frozen=True)
class OfficialRead:
    """Meta Status was read while this incident was open (so its silence means something)."""

    key: str


@dataclass(frozen=True)
class OfficialEventSeen:
    """Meta Status shows a problem for an organisation (opens or continues its episode)."""

    org: str
    name: str
    state: str
    status: str
    meta_since: datetime | None
    at: datetime  # when traywatch read it


@dataclass(frozen=True)
class OfficialEventEnded:
    org: str
    at: datetime


WriteOp = (
    SessionStarted
    | SessionEnded
    | RoundRecorded
    | IncidentOpened
    | IncidentClosed
    | IncidentServicesChanged
    | IncidentAcknowledged
    | OfficialRead
    | OfficialEventSeen
    | OfficialEventEnded
)
