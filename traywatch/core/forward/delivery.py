"""Delivering one message to one target through Apprise (imported on first use). Returns None on
success or a short reason (Apprise's own warning, without secrets) on failure."""

from __future__ import annotations

import logging
import re
from typing import Protocol

from traywatch.core.forward.message import Message
from traywatch.core.forward.secrets import load_apprise
from traywatch.core.forward.targets import TargetRefused
from traywatch.core.redact import REDACTOR
from traywatch.i18n import Template

UNUSABLE_URL = Template("forward.unusable_url", "Apprise cannot use this URL ({reason})")
UNKNOWN_SERVICE = Template("forward.unknown_service", "Apprise cannot use this URL (unknown service)")
NOT_ACCEPTED = Template("forward.not_accepted", "the service did not accept the message")

log = logging.getLogger(__name__)
_PREFIX = re.compile(r"^.*? - (WARNING|ERROR|CRITICAL) - ")


class Sender(Protocol):
    def send(self, url: str, message: Message) -> str | None: ...


class AppriseSender:
    """The real sender. Each call builds its own Apprise object (targets never share state)."""

    def send(self, url: str, message: Message) -> str | None:
        try:
            apprise = load_apprise()
        except TargetRefused as exc:
            return exc.message
        app = apprise.Apprise()
        with apprise.LogCapture(level=logging.WARNING) as refused:
            usable = app.add(url)
        if not usable:
            reason = _last_line(refused.getvalue())
            return UNUSABLE_URL(reason=reason) if reason else UNKNOWN_SERVICE()
        tone = {
            "failure": apprise.NotifyType.FAILURE,
            "success": apprise.NotifyType.SUCCESS,
        }.get(message.kind, apprise.NotifyType.INFO)
        with apprise.LogCapture(level=logging.WARNING) as captured:
            try:
                ok = bool(app.notify(body=message.body, title=message.title, notify_type=tone))
            except Exception as exc:  # a plugin bug must not stop the outbox
                log.warning("apprise failed: %s", type(exc).__name__)
                ok, captured = False, None
        if ok:
            return None
        detail = _last_line(captured.getvalue()) if captured is not None else ""
        return detail or NOT_ACCEPTED()


def _last_line(captured: str) -> str:
    """Apprise's first complaint (the later ones repeat it with the URL), without secrets."""
    lines = [_PREFIX.sub("", ln).strip() for ln in captured.splitlines() if ln.strip()]
    return REDACTOR.redact(lines[0]) if lines else ""
