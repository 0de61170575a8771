"""Desktop notifications from the monitor's alerts: the policy in `Notifier`, delivery in subclasses.

Policy, in one place: only the monitor's (grouped, confirmed) alerts; nothing while paused or
when switched off in the config; only the kinds the owner chose (`[notifications] kinds`; a
recovery is told only when the outage it ends was; `recovery = false` silences recoveries); at
start-up one summary instead of a burst; never a word about Meta while our own connection is at
fault; recoveries carry their duration. Meta recoveries are held while other down services have
not been re-probed yet (they back off at slightly different times) or a change awaits
confirmation, then told in one notification.
Quiet hours (`quiet_hours = "22:00-07:00"`): notifications are held (the icon still updates); when
they end, one summary of what is still wrong, never the held burst.
Delivery: `TrayNotifier` (the desktop's org.freedesktop.Notifications service with a click action,
see desktop_notify; without one QSystemTrayIcon.showMessage: Qt's D-Bus call with a
StatusNotifierItem host, Qt's balloon otherwise) or `NullNotifier` (log only).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import QSystemTrayIcon

from traywatch.core import wording
from traywatch.core.models import Alert, AlertKind, MonitorSnapshot, ServiceState, Verdict
from traywatch.core.monitor import MonitorUpdate
from traywatch.core.notify_settings import KindChoice, NotificationSettings
from traywatch.ui.desktop_notify import DesktopNotifications
from traywatch.ui.icons import IconKind, make_icon, panel_theme
from traywatch.ui.resources import ResourceError, resource_path
from traywatch.ui.status_text import VERDICT_TITLES

log = logging.getLogger(__name__)

SHOW_MS = 10_000
DESKTOP_RETRY_S = 600.0  # after the notification service failed, the tray's own way meanwhile
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
    AlertKind.INTERNET_DOWN: IconKind.INTERNET_DOWN,
    AlertKind.NETWORK_LIMITED: IconKind.NETWORK_LIMITED,
    AlertKind.META_DOWN: IconKind.META_DOWN,
    AlertKind.META_PARTIAL: IconKind.META_PARTIAL,
}


def _local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Notice:
    """What one desktop notification says."""

    title: str
    message: str
    icon: IconKind
    alerts: tuple[Alert, ...]


class Notifier:
    """Decides which alerts become a notification; subclasses deliver it."""

    def __init__(
        self,
        settings: NotificationSettings | None = None,
        now: Callable[[], datetime] = _local_now,
    ) -> None:
        self.settings = settings or NotificationSettings()
        self._now = now
        self.sent: list[Notice] = []
        self._held: list[Alert] = []  # Meta recoveries waiting for the other services
        self.quiet_held: list[Notice] = []  # what quiet hours kept back (summarised at their end)
        self._kinds = KindChoice()  # the kinds chosen, Meta recoveries only for outages told

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
        alerts = self._kinds.choose(alerts, self.settings)
        alerts = self._hold_recoveries(alerts, update.snapshot)
        if not alerts:
            return None
        alerts.sort(key=lambda a: _RANK.index(a.kind))
        first = alerts[0]
        icon = _ICON.get(first.kind, IconKind.OK)
        if any(a.startup for a in alerts):
            title = f"traywatch started: {VERDICT_TITLES[update.snapshot.verdict].lower()}"
            return Notice(title, update.snapshot.summary, icon, tuple(alerts))
        if len(alerts) == 1:
            return Notice(first.title, first.message, icon, (first,))
        message = "\n".join(f"{a.title}. {a.message}" for a in alerts)
        return Notice(first.title, message, icon, tuple(alerts))

    def quiet_summary(self, snapshot: MonitorSnapshot) -> Notice | None:
        """After quiet hours: one notification of what is still wrong, if anything (the held
        notifications are dropped; a change awaiting its re-check waits for it)."""
        if not self.quiet_held or snapshot.pending:
            return None
        held, self.quiet_held = self.quiet_held, []
        kind = _VERDICT_KIND.get(snapshot.verdict)
        if kind is None or not self.settings.allows(kind):
            return None
        count = f"{len(held)} notification{'s' if len(held) != 1 else ''} held during quiet hours"
        title = f"After quiet hours: {VERDICT_TITLES[snapshot.verdict]}"
        return Notice(title, f"{snapshot.summary}\n({count}; see History.)", _ICON[kind], ())

    def end_of_quiet(self, snapshot: MonitorSnapshot | None, paused: bool = False) -> Notice | None:
        """Quiet hours just ended (a timer, or the next update): deliver the summary if due."""
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

    def handle(self, update: MonitorUpdate, paused: bool = False) -> Notice | None:
        """Apply the policy to one update and deliver what it allows; returns what was shown."""
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
    verb = "is" if len(ids) == 1 else "are"
    return Alert(
        AlertKind.META_RECOVERED,
        f"{wording.join_names(names)} {verb} back",
        f"Working again after {wording.duration(longest)} down.",
        ids,
        held[-1].at,
        longest,
    )


class NullNotifier(Notifier):
    """No way to show notifications here (no tray, no notification service): log only."""

    def deliver(self, notice: Notice) -> None:
        log.info("no notification service; not shown: %s", notice.title)


class TrayNotifier(Notifier):
    """Through the desktop's notification service when the session has one (a click opens the
    history: `on_click`), else through the tray icon: Qt's balloon with an XEmbed tray, Qt's own
    D-Bus call with a StatusNotifierItem host. The D-Bus connection is made at the first notice
    (nothing to load for an app that never notifies) and retried a while after it failed."""

    def __init__(
        self,
        tray: QSystemTrayIcon,
        settings: NotificationSettings | None = None,
        on_click: Callable[[], None] | None = None,
        open_desktop: Callable[[], DesktopNotifications | None] = DesktopNotifications.open,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(settings)
        self.tray = tray
        self.on_click = on_click
        self._open_desktop = open_desktop
        self._clock = clock
        self.desktop: DesktopNotifications | None = None
        self._retry_at = 0.0

    def deliver(self, notice: Notice) -> None:
        desktop = self._desktop()
        if desktop is not None:
            desktop.notify(notice.title, notice.message, _icon_file(notice.icon), notice.icon.value)
        else:
            self._balloon(notice.title, notice.message, notice.icon)

    def close(self) -> None:
        if self.desktop is not None:
            self.desktop.close()
            self.desktop = None

    def _desktop(self) -> DesktopNotifications | None:
        if self.desktop is None and self._clock() >= self._retry_at:
            self.desktop = self._open_desktop()
            if self.desktop is None:
                self._retry_at = self._clock() + DESKTOP_RETRY_S
            else:
                self.desktop.failed.connect(self._on_failed)
                if self.on_click is not None:
                    self.desktop.clicked.connect(self.on_click)
        return self.desktop

    def _on_failed(self, title: str, body: str, icon: str, why: str) -> None:
        log.info("notification service unusable (%s); the tray shows it instead", why)
        self.close()
        self._retry_at = self._clock() + DESKTOP_RETRY_S
        self._balloon(title, body, IconKind(icon) if icon in {k.value for k in IconKind} else None)

    def _balloon(self, title: str, message: str, icon: IconKind | None) -> None:
        if not (self.tray.isVisible() and QSystemTrayIcon.supportsMessages()):
            log.info("tray cannot show messages now; not shown: %s", title)
            return
        shown = make_icon(icon, panel_theme()) if icon is not None else self.tray.icon()
        self.tray.showMessage(title, message, shown, SHOW_MS)


def _icon_file(kind: IconKind) -> str:
    try:
        return str(resource_path("icons", f"{kind.value}.svg"))
    except ResourceError:
        return ""


def pick(
    tray: QSystemTrayIcon | None,
    settings: NotificationSettings | None = None,
    on_click: Callable[[], None] | None = None,
) -> Notifier:
    """The best notifier available: the desktop's service or the tray icon, if there is a tray."""
    if tray is None:
        return NullNotifier(settings)
    return TrayNotifier(tray, settings, on_click)
