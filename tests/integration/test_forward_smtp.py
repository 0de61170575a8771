"""Forwarding by email for real: Apprise delivering to a local SMTP server (aiosmtpd). A confirmed
alert arrives as a mail; while the mail server is down it waits in the outbox (a fresh forwarder
on the same history file — a restart — still has it) and arrives once, marked late, when the
server is back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.support.smtp_sink import SmtpSink, body_of, free_port
from traywatch.core.forward.forwarder import Forwarder
from traywatch.core.forward.outbox import Outbox
from traywatch.core.forward.settings import ForwardSettings
from traywatch.core.forward.targets import Target
from traywatch.core.models import Alert, AlertKind
from traywatch.core.notify.settings import NotificationSettings


def mail_target(port: int) -> Target:
    return Target(f"mailto://127.0.0.1:{port}?from=shop@example.com&to=owner@example.com")


def meta_down(at: float) -> Alert:
    return Alert(
        AlertKind.META_DOWN,
        "Meta is down: Facebook, Instagram, WhatsApp",
        "Your internet works; Meta's services do not answer.",
        ("facebook", "instagram", "whatsapp"),
        datetime.fromtimestamp(at, UTC),
    )


def forwarder(db: Path, port: int, clock: list[float]) -> Forwarder:
    settings = ForwardSettings(targets=(mail_target(port),))
    return Forwarder(settings, NotificationSettings(), Outbox(db), clock=lambda: clock[0])


def test_an_alert_is_mailed_to_a_local_smtp_server(tmp_path: Path) -> None:
    with SmtpSink() as smtp:
        now = [datetime.now(UTC).timestamp()]
        fwd = forwarder(tmp_path / "h.sqlite3", smtp.port, now)
        fwd.submit([meta_down(now[0])])
        results = fwd.pump()
        mails = smtp.wait(1)
    assert [r.error for r in results] == [None]
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Meta is down: Facebook, Instagram, WhatsApp"
    assert mails[0]["To"] == "owner@example.com"
    assert "Meta's services do not answer" in body_of(mails[0])
    assert fwd.outbox.items() == []


def test_with_the_mail_server_down_the_alert_waits_survives_a_restart_and_arrives_once_late(
    tmp_path: Path,
) -> None:
    port = free_port()  # nothing listens yet
    db = tmp_path / "h.sqlite3"
    start = datetime.now(UTC).timestamp() - 14 * 60
    clock = [start]
    first = forwarder(db, port, clock)
    first.submit([meta_down(start)])
    assert [r.error is not None for r in first.pump()] == [True]
    first.stop()  # the app stops while the alert waits

    clock[0] = start + 14 * 60
    with SmtpSink(port=port) as smtp:
        again = forwarder(db, port, clock)  # the app starts again
        assert len(again.outbox.items()) == 1
        assert [r.error for r in again.pump()] == [None]
        assert again.pump() == []
        mails = smtp.wait(1)
        again.stop()
    assert len(mails) == 1
    assert "sent 14 min late" in body_of(mails[0])
