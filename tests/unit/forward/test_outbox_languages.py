"""What waits in the forwarding outbox is said in today's language: an alert's title and message
and the last delivery error keep their code (schema v6), so `forward status` renders them after a
restart or a language switch; rows stored as plain English stay exactly as they were."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.unit.history.fake_language import bracketed  # noqa: F401  (fixture)
from traywatch.core.forward.delivery import NOT_ACCEPTED
from traywatch.core.forward.outbox import Outbox
from traywatch.core.models import Alert, AlertKind
from traywatch.core.signed_in.credential_texts import SECRET_GONE
from traywatch.i18n import Duration, Message, Template, render

TITLE = Template("test.outbox.title", "Meta is down: {names}")
BODY = Template("test.outbox.body", "out for {duration}\nsee the history")
AT = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def test_a_waiting_alert_and_its_error_are_said_again_in_the_language(
    tmp_path: Path,
    bracketed: str,  # noqa: F811
) -> None:
    outbox = Outbox(tmp_path / "history.sqlite3")
    alert = Alert(AlertKind.META_DOWN, TITLE(names="WhatsApp"), BODY(duration=Duration(120)), ("wa",), AT)
    rid = outbox.add(alert, ["ntfy"])
    outbox.failed([rid], AT.timestamp(), SECRET_GONE(target="ntfy://x/shop"), "keyring")
    outbox.close()

    (item,) = Outbox(tmp_path / "history.sqlite3").items()
    assert isinstance(item.alert.title, Message) and item.alert.title == "Meta is down: WhatsApp"
    assert render(item.alert.title) == "[Meta is down: WhatsApp]"
    assert item.alert.message == "out for 2 min\nsee the history"  # forwarded as it was written
    assert item.last_error is not None and render(item.last_error).startswith("[the keyring no longer")


def test_plain_english_rows_and_errors_stay_as_stored(tmp_path: Path, bracketed: str) -> None:  # noqa: F811
    outbox = Outbox(tmp_path / "history.sqlite3")
    rid = outbox.add(Alert(AlertKind.META_DOWN, "Meta is down", "line one\nline two", (), AT), ["ntfy"])
    outbox.failed([rid], AT.timestamp(), "HTTP 500 from ntfy", "service")
    (item,) = outbox.items()
    outbox.close()
    assert not isinstance(item.alert.title, Message) and render(item.alert.title) == "Meta is down"
    assert item.alert.message == "line one\nline two" and item.last_error == "HTTP 500 from ntfy"
    assert render(NOT_ACCEPTED()) == "[the service did not accept the message]"
