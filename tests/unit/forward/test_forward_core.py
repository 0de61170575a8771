"""The forwarding core without a network: Meta targets refused, the [forward] config, secrets
split out of URLs, which alerts are forwarded, the outbox (its migration from schema v3, back-off,
oldest first, late marks, one summary for alerts older than a day or held by quiet hours)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from traywatch.core.errors import ConfigError
from traywatch.core.forward.forwarder import Forwarder
from traywatch.core.forward.message import Message
from traywatch.core.forward.outbox import Outbox
from traywatch.core.forward.secrets import split_secret
from traywatch.core.forward.settings import ForwardSettings, entry_of
from traywatch.core.forward.targets import Target, TargetRefused, refusal
from traywatch.core.history.connection import open_connection
from traywatch.core.history.schema import MIGRATIONS, version_of
from traywatch.core.models import Alert, AlertKind
from traywatch.core.notify.settings import NotificationSettings, QuietHours
from traywatch.core.settings.config import parse_config

T0 = datetime(2026, 3, 5, 12, 0, tzinfo=UTC).timestamp()
HOOK = Target("json://127.0.0.1:8080/hook")


class FakeSender:
    """Records what would be sent; fails while `down` (a unit-test stand-in for Apprise)."""

    def __init__(self) -> None:
        self.down = False
        self.sent: list[tuple[str, Message]] = []

    def send(self, url: str, message: Message) -> str | None:
        if self.down:
            return "A Connection error occurred"
        self.sent.append((url, message))
        return None


def alert(kind: AlertKind, at: float, title: str = "", services: tuple[str, ...] = ()) -> Alert:
    moment = datetime.fromtimestamp(at, UTC)
    return Alert(kind, title or kind.value, f"{kind.value} message", services, moment)


def forwarder(tmp_path: Path, sender: FakeSender, **settings: object) -> Forwarder:
    fwd = ForwardSettings(targets=(HOOK,), **settings)  # type: ignore[arg-type]
    return Forwarder(fwd, NotificationSettings(), Outbox(tmp_path / "h.sqlite3"), sender, clock=lambda: T0)


@pytest.mark.parametrize(
    "url",
    [
        "whatsapp://token@12345/15551234567",
        "instagram://user:pass@",
        "json://graph.facebook.com/v21.0/me/messages",
        "form://hooks.messenger.com/x",
        "jsons://api.whatsapp.com/send",
    ],
)
def test_a_meta_service_target_is_refused_with_a_reason(url: str) -> None:
    reason = refusal(url)
    assert reason is not None and "Meta service" in reason and "outage" in reason
    with pytest.raises(ConfigError, match="refused"):
        parse_config({"forward": {"urls": [url]}}, "config.toml")


@pytest.mark.parametrize(
    "url", ["ntfys://ntfy.sh/shop", "mailtos://a:b@mail.example.com", "json://10.0.0.2/x"]
)
def test_channels_that_do_not_depend_on_meta_are_accepted(url: str) -> None:
    assert refusal(url) is None


def test_the_config_keeps_a_masked_url_and_a_keyring_reference() -> None:
    config = parse_config(
        {
            "forward": {
                "urls": [
                    "ntfy://192.168.1.20/shop",
                    {
                        "url": "mailtos://shop:****@mail.example.com/o%40example.com",
                        "secret": "keyring:forward-1",
                    },
                ],
                "quiet_hours": "23:00-06:00",
            }
        },
        "config.toml",
    )
    plain, secret = config.forward.targets
    assert plain.secret_ref is None and secret.secret_ref == "forward-1"
    assert config.forward.quiet_hours == QuietHours(time(23), time(6))
    assert entry_of(secret) == {"url": secret.shown, "secret": "keyring:forward-1"}
    with pytest.raises(ConfigError, match="keyring reference"):
        parse_config({"forward": {"urls": [{"url": "ntfy://x/y"}]}}, "c")


def test_apprise_says_which_part_of_a_url_is_secret() -> None:
    target, full = split_secret("ntfys://tk_abcdefghij123456@ntfy.example.com/shop")
    assert full == "ntfys://tk_abcdefghij123456@ntfy.example.com/shop"
    assert "tk_abcdefghij123456" not in target.shown and target.secret_ref
    assert target.shown.startswith("ntfys://") and "ntfy.example.com/shop" in target.shown
    plain, none = split_secret("json://127.0.0.1:8080/hook")
    assert none is None and plain.shown == "json://127.0.0.1:8080/hook"
    with pytest.raises(TargetRefused, match="Apprise cannot use"):
        split_secret("nosuchservice://x")


def test_a_v3_history_file_is_backed_up_and_gains_the_outbox(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    conn, _, _ = open_connection(path, 5.0, migrations=MIGRATIONS[:3])
    conn.close()
    conn, _, backup = open_connection(path, 5.0)
    assert version_of(conn) == len(MIGRATIONS) and backup is not None and ".v3-backup-" in backup.name
    assert conn.execute("SELECT count(*) FROM forward_outbox").fetchone() == (0,)
    conn.close()
    with sqlite3.connect(backup) as old:
        assert old.execute("PRAGMA user_version").fetchone() == (3,)


def test_the_same_kinds_as_notifications_and_no_meta_word_while_our_internet_is_at_fault() -> None:
    from traywatch.core.forward.policy import ForwardPolicy

    policy = ForwardPolicy(
        ForwardSettings(targets=(HOOK,)),
        NotificationSettings(enabled=False, kinds=frozenset({"meta_down", "internet_down"})),
    )
    partial = alert(AlertKind.META_PARTIAL, T0, services=("threads",))
    down = alert(AlertKind.META_DOWN, T0, services=("facebook",))
    assert policy.select([partial, down], None) == [down]  # desktop off does not stop forwarding
    back = alert(AlertKind.META_RECOVERED, T0, services=("threads",))
    assert policy.select([back], None) == []  # its outage was not forwarded
    assert policy.select([alert(AlertKind.INTERNET_DOWN, T0)], None)[0].kind is AlertKind.INTERNET_DOWN


def test_delivery_fails_backs_off_then_sends_oldest_first_marked_late(tmp_path: Path) -> None:
    sender = FakeSender()
    fwd = forwarder(tmp_path, sender)
    sender.down = True
    fwd.submit([alert(AlertKind.META_DOWN, T0, "Meta is down")], now=T0)
    fwd.submit([alert(AlertKind.META_RECOVERED, T0 + 60, "Meta is back")], now=T0 + 60)
    assert [d.error for d in fwd.pump(T0 + 60)] == ["A Connection error occurred"]
    assert fwd.pump(T0 + 65) == []  # backing off
    sender.down = False
    assert fwd.pump(T0 + 70) == []  # still backing off (15 s after the failure)
    delivered = fwd.pump(T0 + 60 + 14 * 60)
    assert [d.error for d in delivered] == [None, None]
    titles = [m.title for _, m in sender.sent]
    assert titles == ["Meta is down", "Meta is back"]
    late = "sent 15 min late: the forwarding service could not be reached or refused it"
    assert late in sender.sent[0][1].body
    assert fwd.outbox.items() == []
    assert fwd.pump(T0 + 3600) == []  # never twice


def test_alerts_older_than_a_day_go_as_one_summary(tmp_path: Path) -> None:
    sender = FakeSender()
    fwd = forwarder(tmp_path, sender)
    sender.down = True
    for n in range(5):
        fwd.submit([alert(AlertKind.META_DOWN, T0 + n * 600, f"Meta is down #{n}")], now=T0 + n * 600)
    fwd.pump(T0 + 3000)
    sender.down = False
    fwd.submit([alert(AlertKind.META_DOWN, T0 + 2 * 86400, "Meta is down again")], now=T0 + 2 * 86400)
    fwd.pump(T0 + 2 * 86400)
    assert [m.title for _, m in sender.sent] == ["5 alerts from more than a day ago", "Meta is down again"]
    assert sender.sent[0][1].body.count("Meta is down #") == 5


def test_quiet_hours_hold_alerts_then_send_one_summary(tmp_path: Path) -> None:
    sender = FakeSender()
    now = datetime.now().astimezone()
    quiet = QuietHours((now - timedelta(minutes=5)).time(), (now + timedelta(minutes=30)).time())
    fwd = forwarder(tmp_path, sender, quiet_hours=quiet)
    start = now.timestamp()
    fwd.submit([alert(AlertKind.META_DOWN, start, "Meta is down")], now=start)
    fwd.submit([alert(AlertKind.META_RECOVERED, start + 60, "Meta is back")], now=start + 60)
    assert fwd.pump(start + 60) == [] and sender.sent == []
    fwd.pump(start + 40 * 60)
    assert [m.title for _, m in sender.sent] == ["During quiet hours: 2 alerts"]


def test_one_forwarder_per_profile_and_the_other_takes_over_when_it_stops(tmp_path: Path) -> None:
    tray, watch = FakeSender(), FakeSender()
    first, second = forwarder(tmp_path, tray), forwarder(tmp_path, watch)
    assert first.submit([alert(AlertKind.META_DOWN, T0, "Meta is down")], now=T0)
    assert second.submit([alert(AlertKind.META_DOWN, T0, "Meta is down")], now=T0) == []
    tray.down = True  # the first one cannot deliver: the alert waits in the outbox
    first.pump(T0)
    assert second.pump(T0) == [] and watch.sent == []  # the waiting alert is not the second's
    first.stop()
    assert [d.error for d in second.pump(T0 + 60)] == [None]
    assert [m.title for _, m in watch.sent] == ["Meta is down"]


def test_a_password_written_into_the_settings_file_is_warned_about() -> None:
    config = parse_config({"forward": {"urls": ["mailtos://shop:hunter2pass@mail.example.com"]}}, "c.toml")
    assert len(config.forward.targets) == 1
    assert any("has a password in the settings file" in w for w in config.warnings)
    assert not parse_config({"forward": {"urls": ["ntfys://ntfy.sh/t"]}}, "c.toml").warnings


def test_a_secret_found_in_a_url_is_masked_in_every_log_line(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from traywatch.core.redact import install_log_redaction

    install_log_redaction()
    token = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    target, _ = split_secret(f"tgram://{token}/12345678")
    assert token not in target.shown and ":" not in target.shown.split("//")[1].split("/")[0]
    with caplog.at_level(logging.INFO):
        logging.getLogger("traywatch.test").info("a library said: POST /bot%s/sendMessage", token)
    assert token not in caplog.text and "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in caplog.text
