"""Desktop notifications from the monitor's alerts: the policy in `Notifier`, delivery in subclasses.

Policy, in one place: only the monitor's (grouped, confirmed) alerts; nothing while paused or when
switched off in the config; at start-up one summary instead of a burst; never a word about Meta
while our own connection is at fault; recoveries (with their duration) unless switched off.
Meta recoveries are held while other down services have not been re-probed yet (they back off
at slightly different times) or a change awaits confirmation, then told in one notification.
Delivery: `TrayNotifier` (QSystemTrayIcon.showMessage: a D-Bus Notify call with a
StatusNotifierItem host, Qt's balloon otherwise) or `NullNotifier` (log only).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QSystemTrayIcon

from traywatch.core import wording
from traywatch.core.models import Alert, AlertKind, MonitorSnapshot, ServiceState, Verdict
from traywatch.core.monitor import MonitorUpdate
from traywatch.ui.icons import IconKind, make_icon, panel_theme
from traywatch.ui.status_text import VERDICT_TITLES

log = logging.getLogger(__name__)

SHOW_MS = 10_000
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
_RECOVERY = {AlertKind.INTERNET_RESTORED, AlertKind.NETWORK_RESTORED, AlertKind.META_RECOVERED}
_ICON = {
    AlertKind.INTERNET_DOWN: IconKind.INTERNET_DOWN,
    AlertKind.NETWORK_LIMITED: IconKind.NETWORK_LIMITED,
    AlertKind.META_DOWN: IconKind.META_DOWN,
    AlertKind.META_PARTIAL: IconKind.META_PARTIAL,
}


@dataclass(frozen=True)
class Notice:
    """What one desktop notification says."""

    title: str
    message: str
    icon: IconKind
    alerts: tuple[Alert, ...]


class Notifier:
    """Decides which alerts become a notification; subclasses deliver it."""

    def __init__(self, enabled: bool = True, recovery: bool = True) -> None:
        self.enabled = enabled
        self.recovery = recovery
        self.sent: list[Notice] = []
        self._held: list[Alert] = []  # Meta recoveries waiting for the other services

    @classmethod
    def settings_from(cls, raw: Mapping[str, Any]) -> dict[str, bool]:
        """`[notifications] enabled / recovery` from the config file (other keys: a later issue)."""
        section = raw.get("notifications", {})
        section = section if isinstance(section, dict) else {}
        return {
            "enabled": bool(section.get("enabled", True)),
            "recovery": bool(section.get("recovery", True)),
        }

    def notice_for(self, update: MonitorUpdate, paused: bool) -> Notice | None:
        """The one notification this update deserves, if any (pure policy)."""
        if not update.alerts or not self.enabled:
            return None
        if paused:
            log.info("paused: alert(s) not shown: %s", [a.title for a in update.alerts])
            return None
        own_fault = update.snapshot.verdict in (Verdict.INTERNET_DOWN, Verdict.NETWORK_LIMITED)
        if own_fault:
            self._held.clear()
        alerts = [a for a in update.alerts if not (own_fault and a.kind in _META)]
        if not self.recovery:
            alerts = [a for a in alerts if a.kind not in _RECOVERY]
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
        notice = self.notice_for(update, paused)
        if notice is not None:
            log.info("notification: %s — %s", notice.title, notice.message)
            self.sent.append(notice)
            del self.sent[:-50]
            self.deliver(notice)
        return notice

    def deliver(self, notice: Notice) -> None:
        raise NotImplementedError


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
    """Through the tray icon: a D-Bus notification with an SNI host, Qt's balloon with XEmbed."""

    def __init__(self, tray: QSystemTrayIcon, enabled: bool = True, recovery: bool = True) -> None:
        super().__init__(enabled, recovery)
        self.tray = tray

    def deliver(self, notice: Notice) -> None:
        if not (self.tray.isVisible() and QSystemTrayIcon.supportsMessages()):
            log.info("tray cannot show messages now; not shown: %s", notice.title)
            return
        self.tray.showMessage(notice.title, notice.message, make_icon(notice.icon, panel_theme()), SHOW_MS)


def pick(tray: QSystemTrayIcon | None, raw_config: Mapping[str, Any]) -> Notifier:
    """The best notifier available: through the tray icon if there is one."""
    settings = Notifier.settings_from(raw_config)
    if tray is None:
        return NullNotifier(**settings)
    return TrayNotifier(tray, **settings)
