"""Notification bodies and the Desktop Notifications spec's body markup: a server that announces
"body-markup" reads `<a href>`, `<img>` and `&` as markup, so network text (host names, Meta
Status texts) is escaped for it; a server without it shows the body as plain text, so the body
goes as it is. Unit level with a fake connection, then through a real D-Bus session."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jeepney import new_method_return
from pytestqt.qtbot import QtBot

from tests.ui.helpers.dbus_standin import read_calls
from tests.ui.helpers.fake_bus import FakeConnection, as_received

REPO = Path(__file__).resolve().parents[2]
HOSTILE = "Sent to <a href='http://evil.example/'>evil.example</a> & <img src=x> — R&D <b>"
ESCAPED = (
    "Sent to &lt;a href='http://evil.example/'&gt;evil.example&lt;/a&gt; &amp; &lt;img src=x&gt; "
    "— R&amp;D &lt;b&gt;"
)


def answer_capabilities(conn: FakeConnection, capabilities: list[str]) -> None:
    serial, asked = next((s, m) for s, m in conn.sent if m.header.fields[3] == "GetCapabilities")
    reply = new_method_return(as_received(asked, serial), "as", (capabilities,))
    conn.inbox.put(as_received(reply, 5))


def sent_notify(conn: FakeConnection) -> tuple[str, str]:
    _, message = [(s, m) for s, m in conn.sent if m.header.fields[3] == "Notify"][-1]
    return message.body[3], message.body[4]


def test_the_body_is_escaped_until_the_server_has_said_what_it_supports(bus: Any) -> None:
    conn, notes = bus
    notes.notify("Meta is down: <Instagram>", HOSTILE)
    title, body = sent_notify(conn)
    assert body == ESCAPED
    assert title == "Meta is down: <Instagram>"  # the summary is plain text by the spec, never markup


def test_a_server_with_body_markup_gets_the_body_escaped(bus: Any, qtbot: QtBot) -> None:
    conn, notes = bus
    answer_capabilities(conn, ["body", "body-markup", "actions"])
    qtbot.waitUntil(lambda: notes.body_markup is True, timeout=3000)
    notes.notify("Your network is limited", HOSTILE)
    assert sent_notify(conn)[1] == ESCAPED


def test_a_server_without_body_markup_gets_the_text_as_it_is(bus: Any, qtbot: QtBot) -> None:
    conn, notes = bus
    answer_capabilities(conn, ["body", "actions"])
    qtbot.waitUntil(lambda: notes.body_markup is False, timeout=3000)
    notes.notify("Your network is limited", HOSTILE)
    assert sent_notify(conn)[1] == HOSTILE


def test_a_refused_notification_falls_back_with_the_plain_text(bus: Any, qtbot: QtBot) -> None:
    from jeepney import new_error

    conn, notes = bus
    notes.notify("Meta is down", HOSTILE, tag="meta_down")
    serial, sent = [(s, m) for s, m in conn.sent if m.header.fields[3] == "Notify"][-1]
    refusal = new_error(as_received(sent, serial), "org.freedesktop.DBus.Error.ServiceUnknown")
    with qtbot.waitSignal(notes.failed, timeout=3000) as got:
        conn.inbox.put(as_received(refusal, 9))
    assert got.args[1] == HOSTILE  # the tray's balloon shows plain text: no entities there


NOTIFY_ONCE = """
import sys, time
from PySide6.QtCore import QCoreApplication
from traywatch.ui.desktop_notify import DesktopNotifications
app = QCoreApplication([])
notes = DesktopNotifications.open()
deadline = time.monotonic() + 10
while notes.body_markup is None and time.monotonic() < deadline:
    time.sleep(0.02)
notes.notify("Your network is limited", sys.argv[1])
time.sleep(0.5)
notes.close()
"""


@pytest.mark.skipif(
    not shutil.which("dbus-run-session"), reason="needs dbus-run-session (apt-get install dbus)"
)
@pytest.mark.parametrize(
    ("capabilities", "expected"),
    [("body,body-markup,actions", ESCAPED), ("body,actions", HOSTILE)],
    ids=["markup", "plain"],
)
def test_through_a_real_session_bus_the_body_follows_the_server_s_capabilities(
    tmp_path: Path, capabilities: str, expected: str
) -> None:
    record = tmp_path / "calls.jsonl"
    script = tmp_path / "notify_once.py"
    script.write_text(NOTIFY_ONCE, "utf-8")
    subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-m", "tests.ui.helpers.session_runner",
         "--record", str(record), "--capabilities", capabilities, "--",
         sys.executable, str(script), HOSTILE],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(tmp_path),
             "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
        check=True,
    )  # fmt: skip
    calls = read_calls(record, "Notify")
    assert len(calls) == 1, json.dumps(calls)
    assert calls[0]["args"][4] == expected
