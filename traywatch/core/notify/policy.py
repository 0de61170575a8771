"""The notification policy: which of the monitor's alerts become a notification, and when.

Plain logic, no Qt: the tray's notifiers (ui/notifications.py) only deliver what this decides,
and `traywatch watch` runs the same policy in front of its forwarding hooks.
Only the monitor's (grouped, confirmed) alerts; nothing while paused or when switched off in the
config; only the kinds the owner chose (`[notifications] kinds`; a recovery is told only when the
outage it ends was; `recovery = false` silences recoveries); at start-up one summary instead of a
burst; never a word about Meta while our own connection is at fault; recoveries carry their
duration. Meta recoveries are held while other down services have not been re-probed yet (they
back off at slightly different times) or a change awaits confirmation, then told in one
notification. Quiet hours (`quiet_hours = "22:00-07:00"`): notifications are held (the icon still
updates); when they end, one summary of what is still wrong, never the held burst.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from traywatch.core.models import Alert, AlertKind, MonitorSnapshot, ServiceState, Verdict
from traywatch.core.notify.pause import PauseState
from traywatch.core.notify.settings import KindChoice, NotificationSettings
from traywatch.core.verdict.wording import chain
from traywatch.core.watch.monitor import SERVICES_BACK, WORKING_AGAIN, MonitorUpdate
from traywatch.i18n import Duration, Names, Template

log = logging.getLogger(__name__)

VERDICT_TITLES = {
    Verdict.OK: Template("verdict.title.ok", "Everything works")(),
    Verdict.META_PARTIAL: Template("verdict.title.meta_partial", "Some Meta services are down")(),
    Verdict.META_DOWN: Template("verdict.title.meta_down", "Meta is down")(),
    Verdict.INTERNET_DOWN: Template("verdict.title.internet_down", "Your internet is down")(),
    Verdict.NETWORK_LIMITED: Template(
        "verdict.title.network_limited", "Your network is limiting the internet"
    )(),
}
STARTED = {
    Verdict.OK: Template("alert.started.ok", "traywatch started: everything works")(),
    Verdict.META_PARTIAL: Template(
        "alert.started.meta_partial", "traywatch started: some Meta services are down"
    )(),
    Verdict.META_DOWN: Template("alert.started.meta_down", "traywatch started: Meta is down")(),
    Verdict.INTERNET_DOWN: Template(
        "alert.started.internet_down", "traywatch started: your internet is down"
    )(),
    Verdict.NETWORK_LIMITED: Template(
        "alert.started.network_limited", "traywatch started: your network is limiting the internet"
    )(),
}
AFTER_QUIET = Template("alert.after_quiet", "After quiet hours: {title}")
QUIET_BODY = Template(
    "alert.quiet_body",
    "{summary}\n({count} notification held during quiet hours; see History.)",
    "{summary}\n({count} notifications held during quiet hours; see History.)",
    count="count",
)
ALERT_LINE = Template("alert.line", "{title}. {message}")
NEXT_LINE = Template("alert.next_line", "{first}\n{then}")


class NoticeIcon(enum.StrEnum):
    """Which state icon a notification shows (the tray's icon kinds of the same names)."""

    OK = "ok"
    META_PARTIAL = "meta_partial"
    META_DOWN = "meta_down"
    INTERNET_DOWN = "internet_down"
    NETWORK_LIMITED = "network_limited"


_RANK = [
    AlertKind.INTERNET_DOWN,
    AlertKind.NETWORK_LIMITED,
    AlertKind.META_DOWN,
    AlertKind.META_PARTIAL,
    AlertKind.INTERNET_RESTORED,
    AlertKind.NETWORK_RESTORED,
    AlertKind.META_RECOVERED,
]
_META = {AlertKind.META_DOWN, AlertKind.META_PARTIAL, AlertKind.META_RECOVERED}
_VERDICT_KIND = {
    Verdict.INTERNET_DOWN: AlertKind.INTERNET_DOWN,
    Verdict.NETWORK_LIMITED: AlertKind.NETWORK_LIMITED,
    Verdict.META_DOWN: AlertKind.META_DOWN,
    Verdict.META_PARTIAL: AlertKind.META_PARTIAL,
}
_ICON = {
    AlertKind.INTERNET_DOWN: NoticeIcon.INTERNET_DOWN,
    AlertKind.NETWORK_LIMITED: NoticeIcon.NETWORK_LIMITED,
    AlertKind.META_DOWN: NoticeIcon.META_DOWN,
    AlertKind.META_PARTIAL: NoticeIcon.META_PARTIAL,
}


def _local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Notice:
    """What one desktop notification says."""

    title: str
    message: str
    icon: NoticeIcon
    alerts: tuple[Alert, ...]


class NotificationPolicy:
    """Decides which alerts become a notification; subclasses deliver it (`deliver`). The pause
    state is the policy's own (`pause`), unless `handle` is told otherwise."""

    def __init__(
        self,
        settings: NotificationSettings | None = None,
        now: Callable[[], datetime] = _local_now,
        pause: PauseState | None = None,
    ) -> None:
        self.settings = settings or NotificationSettings()
        self._now = now
        self.pause = pause if pause is not None else PauseState(clock=now)
        self.sent: list[Notice] = []
        self._held: list[Alert] = []  # Meta recoveries waiting for the other services
        self.quiet_held: list[Notice] = []  # what quiet hours kept back (summarised at their end)
        self._choice = KindChoice()  # the kinds chosen (forwarding applies the same rule)

    def configure(self, settings: NotificationSettings) -> None:
        """New settings from the settings dialog, from the next update on."""
        self.settings = settings
        if settings.quiet_hours is None:
            self.quiet_held.clear()

    def now(self) -> datetime:
        """Local time as the policy sees it (a fake clock in tests)."""
        return self._now()

    def in_quiet_hours(self) -> bool:
        quiet = self.settings.quiet_hours
        return quiet is not None and quiet.contains(self._now())

    def notice_for(self, update: MonitorUpdate, paused: bool) -> Notice | None:
        """The one notification this update deserves, if any, before quiet hours (pure policy)."""
        if not update.alerts or not self.settings.enabled:
            return None
        if paused:
            log.info("paused: alert(s) not shown: %s", [a.title for a in update.alerts])
            return None
        own_fault = update.snapshot.verdict in (Verdict.INTERNET_DOWN, Verdict.NETWORK_LIMITED)
        if own_fault:
            self._held.clear()
        alerts = [a for a in update.alerts if not (own_fault and a.kind in _META)]
        alerts = self._chosen_kinds(alerts)
        alerts = self._hold_recoveries(alerts, update.snapshot)
        if not alerts:
            return None
        alerts.sort(key=lambda a: _RANK.index(a.kind))
        first = alerts[0]
        icon = _ICON.get(first.kind, NoticeIcon.OK)
        if any(a.startup for a in alerts):
            title = STARTED[update.snapshot.verdict]
            return Notice(title, update.snapshot.summary, icon, tuple(alerts))
        if len(alerts) == 1:
            return Notice(first.title, first.message, icon, (first,))
        message = chain(NEXT_LINE, [ALERT_LINE(title=a.title, message=a.message) for a in alerts])
        return Notice(first.title, message, icon, tuple(alerts))

    def _chosen_kinds(self, alerts: list[Alert]) -> list[Alert]:
        """The kinds the owner wants; a Meta recovery only for services whose outage was told."""
        return self._choice.choose(alerts, self.settings)

    def quiet_summary(self, snapshot: MonitorSnapshot) -> Notice | None:
        """After quiet hours: one notification of what is still wrong, if anything (the held
        notifications are dropped; a change awaiting its re-check waits for it)."""
        if not self.quiet_held or snapshot.pending:
            return None
        held, self.quiet_held = self.quiet_held, []
        kind = _VERDICT_KIND.get(snapshot.verdict)
        if kind is None or not self.settings.allows(kind):
            return None
        title = AFTER_QUIET(title=VERDICT_TITLES[snapshot.verdict])
        body = QUIET_BODY(summary=snapshot.summary, count=len(held))
        return Notice(title, body, _ICON[kind], ())

    def end_of_quiet(self, snapshot: MonitorSnapshot | None, paused: bool | None = None) -> Notice | None:
        """Quiet hours just ended (a timer, or the next update): deliver the summary if due."""
        if paused is None:
            paused = self.pause.active
        if snapshot is None or self.in_quiet_hours() or not self.quiet_held:
            return None
        if paused:
            self.quiet_held.clear()
            return None
        notice = self.quiet_summary(snapshot)
        if notice is not None:
            self._deliver_logged(notice)
        return notice

    def _hold_recoveries(self, alerts: list[Alert], snapshot: MonitorSnapshot) -> list[Alert]:
        """Keep Meta recoveries back until no down service is still waiting for its re-check."""
        self._held.extend(a for a in alerts if a.kind is AlertKind.META_RECOVERED)
        others = [a for a in alerts if a.kind is not AlertKind.META_RECOVERED]
        down = {sid for sid, s in snapshot.confirmed_states.items() if s is ServiceState.DOWN}
        waiting = any(not svc.checked and svc.id in down for svc in snapshot.round.services)
        if not self._held or (not others and (waiting or snapshot.pending)):
            return others
        held, self._held = self._held, []
        return [*others, _merge_recoveries(held, snapshot)]

    def handle(self, update: MonitorUpdate, paused: bool | None = None) -> Notice | None:
        """Apply the policy to one update and deliver what it allows; returns what was shown.
        `paused`: None means the policy's own pause state."""
        if paused is None:
            paused = self.pause.active
        notice = self.notice_for(update, paused)
        if self.in_quiet_hours():
            if notice is not None:
                log.info("quiet hours: notification held: %s", notice.title)
                self.quiet_held.append(notice)
            return None
        if self.quiet_held:
            if notice is not None or paused:  # a change seen right now says it best; never both
                self.quiet_held.clear()
            else:
                notice = self.quiet_summary(update.snapshot)
        if notice is not None:
            self._deliver_logged(notice)
        return notice

    def tell(self, notice: Notice) -> None:
        """Something about traywatch itself (not an alert): shown unless notifications are off."""
        if self.settings.enabled:
            self._deliver_logged(notice)

    def _deliver_logged(self, notice: Notice) -> None:
        log.info("notification: %s — %s", notice.title, notice.message)
        self.sent.append(notice)
        del self.sent[:-50]
        self.deliver(notice)

    def deliver(self, notice: Notice) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release what delivering holds (a bus connection); nothing by default."""


def _merge_recoveries(held: list[Alert], snapshot: MonitorSnapshot) -> Alert:
    if len(held) == 1:
        return held[0]
    rank = {svc.id: i for i, svc in enumerate(snapshot.round.services)}
    ids = tuple(sorted({sid for a in held for sid in a.services}, key=lambda s: (rank.get(s, len(rank)), s)))
    names = [svc.name if (svc := snapshot.round.service(sid)) else sid for sid in ids]
    longest = max((a.duration_s or 0.0 for a in held), default=0.0)
    return Alert(
        AlertKind.META_RECOVERED,
        SERVICES_BACK(names=Names(dict.fromkeys(names)), n=len(ids)),
        WORKING_AGAIN(duration=Duration(longest)),
        ids,
        held[-1].at,
        longest,
    )
