"""Desktop notifications: delivery of what the core's notification policy decides.

The policy (which alerts, quiet hours, held recoveries, pause) is `NotificationPolicy` in
core/notify/policy.py; the classes here only show its notices. Delivery: `TrayNotifier` (the
desktop's org.freedesktop.Notifications service with a click action, see desktop_notify; without
one QSystemTrayIcon.showMessage: Qt's D-Bus call with a StatusNotifierItem host, Qt's balloon
otherwise) or `NullNotifier` (log only).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtWidgets import QSystemTrayIcon

from traywatch.core.notify.pause import PauseState
from traywatch.core.notify.policy import Notice, NoticeIcon, NotificationPolicy
from traywatch.core.notify.settings import NotificationSettings
from traywatch.i18n import render
from traywatch.ui.desktop_notify import DesktopNotifications
from traywatch.ui.icons import IconKind, make_icon, panel_theme
from traywatch.ui.resources import ResourceError, resource_path

__all__ = [
    "DESKTOP_RETRY_S",
    "SHOW_MS",
    "Notice",
    "NoticeIcon",
    "Notifier",
    "NullNotifier",
    "TrayNotifier",
    "pick",
]

log = logging.getLogger(__name__)

SHOW_MS = 10_000
DESKTOP_RETRY_S = 600.0  # after the notification service failed, the tray's own way meanwhile

Notifier = NotificationPolicy  # a notifier is the core's policy with a way to deliver


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
        pause: PauseState | None = None,
    ) -> None:
        super().__init__(settings, pause=pause)
        self.tray = tray
        self.on_click = on_click
        self._open_desktop = open_desktop
        self._clock = clock
        self.desktop: DesktopNotifications | None = None
        self._retry_at = 0.0

    def deliver(self, notice: Notice) -> None:
        icon = IconKind(notice.icon.value)
        title, message = render(notice.title), render(notice.message)  # the language in use now
        desktop = self._desktop()
        if desktop is not None:
            desktop.notify(title, message, _icon_file(icon), icon.value)
        else:
            self._balloon(title, message, icon)

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
        self.tray.showMessage(render(title), render(message), shown, SHOW_MS)


def _icon_file(kind: IconKind) -> str:
    try:
        return str(resource_path("icons", f"{kind.value}.svg"))
    except ResourceError:
        return ""


def pick(
    tray: QSystemTrayIcon | None,
    settings: NotificationSettings | None = None,
    on_click: Callable[[], None] | None = None,
    pause: PauseState | None = None,
) -> Notifier:
    """The best notifier available: the desktop's service or the tray icon, if there is a tray."""
    if tray is None:
        return NullNotifier(settings, pause=pause)
    return TrayNotifier(tray, settings, on_click, pause=pause)
