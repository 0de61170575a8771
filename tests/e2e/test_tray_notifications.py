"""Notifications from the real app in real broken networks, through a real D-Bus session.

The app runs inside a network namespace under `dbus-run-session`, with a stand-in desktop that
owns org.freedesktop.Notifications and org.kde.StatusNotifierWatcher (so Qt uses the D-Bus tray
and sends each notification as a Notify call, which the stand-in records).
"""

from __future__ import annotations

import contextlib
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.helpers.dbus_standin import read_calls
from tests.ui.helpers.xsession import (
    Xvfb,
    app_command,
    app_env,
    log_text,
    skip_unless_root,
    skip_unless_tools,
    stop_group,
    wait_for,
    write_config,
)

pytestmark = [pytest.mark.xvfb, pytest.mark.netns]

META_WORDS = re.compile(r"Meta is down|Facebook|Instagram|WhatsApp|Messenger|Threads|Ads Manager|Graph API")


@pytest.fixture
def xvfb() -> Iterator[Xvfb]:
    skip_unless_root()
    skip_unless_tools("Xvfb", "dbus-run-session", "ip")
    from tests.support.netns import skip_unless_netns

    skip_unless_netns()
    with Xvfb() as x:
        yield x


def session_command(
    record: Path,
    *app_args: str,
    click_after: float = -1.0,
    restart_after: float = -1.0,
    restart_drops: int = 0,
) -> list[str]:
    return [
        "dbus-run-session", "--", sys.executable, "-m", "tests.ui.helpers.session_runner",
        "--record", str(record), "--click-after", str(click_after),
        "--restart-after", str(restart_after), "--restart-drops", str(restart_drops),
        "--", *app_command(*app_args),
    ]  # fmt: skip


@contextlib.contextmanager
def app_without_route(xvfb: Xvfb, home: Path, command: list[str]) -> Iterator[None]:
    """The app's D-Bus session in a namespace without a route (quick checks); stopped, and its
    clean exit awaited, when the block ends."""
    from tests.support.netns import NoRouteNamespace

    write_config(home, "[check]\ntimeout = 2\nconfirm_delay = 1\n")
    with NoRouteNamespace() as ns:
        proc = ns.popen(command, env=xvfb.child_env(app_env(home)), start_new_session=True)
        try:
            yield
        finally:
            stop_group(proc)
        wait_for(lambda: "traywatch stopped" in log_text(home), 10, "a clean exit")


def notifications(record: Path) -> list[dict[str, Any]]:
    return [{"title": c["args"][3], "body": c["args"][4]} for c in read_calls(record, "Notify")]


def test_no_route_gives_one_internet_down_notification_and_none_about_meta(
    xvfb: Xvfb, traywatch_home: Path, tmp_path: Path
) -> None:
    record = tmp_path / "calls.jsonl"
    with app_without_route(xvfb, traywatch_home, session_command(record, "--interval", "2", click_after=0.5)):
        wait_for(lambda: read_calls(record, "RegisterStatusNotifierItem"), 15, "the D-Bus tray item")
        wait_for(lambda: notifications(record), 15, "a notification")
        wait_for(lambda: "showing the history window" in log_text(traywatch_home), 5, "click -> history")
        time.sleep(6)  # several more rounds (every 2 s) of the same outage
    sent = notifications(record)
    assert len(sent) == 1, sent
    assert "internet is down" in sent[0]["title"].lower()
    assert not any(META_WORDS.search(n["title"]) for n in sent)
    assert "This is not Meta" in sent[0]["body"]
    call = read_calls(record, "Notify")[0]["args"]
    assert call[5] == ["default", "Open history"]  # a click on the bubble means something everywhere
    assert call[6]["desktop-entry"][1] == "traywatch" and call[2].endswith("internet_down.svg")


def test_meta_addresses_dropping_give_one_meta_notification_then_one_recovery(
    xvfb: Xvfb, traywatch_home: Path, tmp_path: Path
) -> None:
    from tests.support.netns import FakeInternet

    record = tmp_path / "calls.jsonl"
    with FakeInternet() as net:
        write_config(
            traywatch_home,
            "[check]\ntimeout = 2\nconfirm_delay = 1\nbackoff_cap = 10\n"
            f'[network]\nca_file = "{net.ca_file}"\n',
        )
        proc = net.popen(
            session_command(record, "--interval", "2"),
            env=xvfb.child_env(app_env(traywatch_home)),
            start_new_session=True,
        )
        try:
            wait_for(lambda: "tray icon now ok" in log_text(traywatch_home), 20, "a confirmed 'all fine'")
            assert notifications(record) == []  # a good start is not worth a notification
            net.drop("meta")
            wait_for(lambda: notifications(record), 20, "the Meta notification")
            time.sleep(3)  # room for a wrong second notification
            net.undrop()
            wait_for(lambda: len(notifications(record)) >= 2, 30, "the recovery notification")
            time.sleep(3)
        finally:
            stop_group(proc)
        wait_for(lambda: "traywatch stopped" in log_text(traywatch_home), 10, "a clean exit")
    sent = notifications(record)
    assert len(sent) == 2, sent
    down, back = sent
    assert down["title"].startswith("Meta is down: Facebook, Instagram"), down
    assert "internet" not in down["title"].lower()
    assert back["title"].endswith(" are back") and back["body"].startswith("Working again after"), back


@pytest.mark.parametrize(
    "drops", [0, 1, 2], ids=["answers", "misses-the-first-registration", "misses-ours-too"]
)
def test_a_restarted_status_notifier_host_gets_the_icon_back(
    xvfb: Xvfb, traywatch_home: Path, tmp_path: Path, drops: int
) -> None:
    """With drops=1 the new panel ignores the first registration it gets (as one still starting
    does, which Qt never retries): Qt's own, or the app's if its poll saw the new panel first (and
    re-showing the icon took Qt's retry away). With drops=2 it ignores both. Either way the app
    reads the panel's list of items at its next polls and registers again until it is listed."""
    record = tmp_path / "calls.jsonl"
    command = session_command(record, "--interval", "2", restart_after=4.0, restart_drops=drops)
    with app_without_route(xvfb, traywatch_home, command):
        wait_for(lambda: read_calls(record, "RegisterStatusNotifierItem"), 15, "the D-Bus tray item")
        # the panel (watcher) goes away after 4 s and a new one starts: the item registers again
        registered = lambda: read_calls(record, "RegisterStatusNotifierItem")  # noqa: E731
        wait_for(lambda: len(registered()) >= 2, 40, "the item registered with the new watcher")
    log = log_text(traywatch_home)
    assert log.count(" starting: checks every ") == 1  # the same running app, not a restarted one
    if drops:  # a registration went unanswered: the app's poll saw the new panel
        assert "StatusNotifierWatcher restarted; registering the tray icon again" in log
    if drops == 2:  # and its own registration too: the panel's list did not have the icon
        assert "the panel does not list the tray icon; registering it again" in log
    assert "still does not list" not in log
    assert "Traceback" not in log_text(traywatch_home)
