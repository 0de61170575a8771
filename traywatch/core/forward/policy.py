"""Which alerts are forwarded: the same confirmed, grouped alerts as the desktop notifications,
with the same per-kind choices (`[notifications] kinds` and `recovery`), never a word about Meta
while our own connection is at fault, and a Meta recovery only for an outage that was forwarded.
Quiet hours are forwarding's own (`[forward] quiet_hours`): alerts in them are held, then sent
as one summary when they end. The desktop's pause does not apply: it is a separate channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from traywatch.core.forward.settings import ForwardSettings
from traywatch.core.models import Alert, AlertKind, MonitorSnapshot, Verdict
from traywatch.core.notify.settings import KindChoice, NotificationSettings

_META = {AlertKind.META_DOWN, AlertKind.META_PARTIAL, AlertKind.META_RECOVERED}
OWN_FAULT = (Verdict.INTERNET_DOWN, Verdict.NETWORK_LIMITED)


class ForwardPolicy:
    def __init__(self, forward: ForwardSettings, notifications: NotificationSettings) -> None:
        self.forward = forward
        self.kinds = notifications
        self._choice = KindChoice()

    def configure(self, forward: ForwardSettings, notifications: NotificationSettings) -> None:
        self.forward, self.kinds = forward, notifications

    def in_quiet_hours(self, now: datetime) -> bool:
        quiet = self.forward.quiet_hours
        return quiet is not None and quiet.contains(now)

    def select(self, alerts: Sequence[Alert], snapshot: MonitorSnapshot | None) -> list[Alert]:
        """The alerts of one update that go out (before quiet hours)."""
        if not self.forward.active or not alerts:
            return []
        # Forwarding has no desktop on/off switch of its own: [forward] enabled decides.
        chosen = replace(self.kinds, enabled=True)
        own_fault = snapshot is not None and snapshot.verdict in OWN_FAULT
        mine = [a for a in alerts if not (own_fault and a.kind in _META)]
        return self._choice.choose(mine, chosen)
