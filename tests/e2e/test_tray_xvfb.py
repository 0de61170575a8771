"""The tray app on a real X desktop (Xvfb + Debian's `trayer` as XEmbed tray host).

Proves by screenshot that the icon is really shown with the verdict's colour, that a restarted
tray host gets the icon back, that a late tray host replaces the fallback status window, that
a second start brings the first one's history window forward, and that `--quit` stops it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.helpers.xsession import (
    Xvfb,
    app_command,
    app_env,
    count_colour,
    log_text,
    skip_unless_root,
    skip_unless_tools,
    stop,
    wait_for,
    write_config,
)
from traywatch.ui.icons import COLOURS, IconKind

pytestmark = pytest.mark.xvfb

FAST_CONFIG = "[check]\ntimeout = 2\nconfirm_delay = 1\n"
MIN_PIXELS = 120  # the badge of a 22 px icon has ~250 pixels of its colour


@pytest.fixture
def xvfb() -> Iterator[Xvfb]:
    skip_unless_tools("Xvfb", "trayer", "xwininfo", "/usr/bin/import")
    with Xvfb() as x:
        yield x


def launch(x: Xvfb, home: Path, *args: str, extra: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(app_command(*args), env=x.child_env(app_env(home, extra)))


def test_checking_icon_is_shown_in_a_real_tray_within_seconds(
    xvfb: Xvfb, traywatch_home: Path, tmp_path: Path
) -> None:
    xvfb.start_trayer()
    app = launch(xvfb, traywatch_home, "--interval", "3600")  # nothing confirmed for a while
    try:
        wait_for(lambda: "tray icon shown" in log_text(traywatch_home), 10, "the icon to be placed")
        shot = xvfb.screenshot(tmp_path / "checking.png")
        assert count_colour(shot, COLOURS[IconKind.CHECKING]) >= MIN_PIXELS // 2, "no grey ring in the tray"
    finally:
        assert stop(app) == 0


def test_internet_down_icon_with_its_colour_in_a_namespace_without_route(
    xvfb: Xvfb, traywatch_home: Path, tmp_path: Path
) -> None:
    skip_unless_root()
    from tests.support.netns import NoRouteNamespace, skip_unless_netns

    skip_unless_netns()
    xvfb.start_trayer()
    write_config(traywatch_home, FAST_CONFIG)
    with NoRouteNamespace() as ns:
        app = ns.popen(app_command("--interval", "2"), env=xvfb.child_env(app_env(traywatch_home)))
        try:
            wait_for(lambda: "tray icon now internet_down" in log_text(traywatch_home), 15, "internet_down")
            shot = wait_for(
                lambda: (
                    (p := xvfb.screenshot(tmp_path / "down.png"))
                    and count_colour(p, COLOURS[IconKind.INTERNET_DOWN]) >= MIN_PIXELS
                    and p
                ),
                5,
                "the purple square in the tray",
            )
            assert count_colour(shot, COLOURS[IconKind.OK]) == 0
        finally:
            assert stop(app) == 0


def test_a_restarted_tray_host_gets_the_icon_back(xvfb: Xvfb, traywatch_home: Path, tmp_path: Path) -> None:
    trayer = xvfb.start_trayer()
    app = launch(xvfb, traywatch_home, "--interval", "3600")
    grey = COLOURS[IconKind.CHECKING]
    try:
        wait_for(lambda: "tray icon shown" in log_text(traywatch_home), 10, "the icon to be placed")
        trayer.terminate()
        trayer.wait(5)
        gone = xvfb.screenshot(tmp_path / "gone.png")
        assert count_colour(gone, grey) == 0
        xvfb.start_trayer()
        wait_for(
            lambda: count_colour(xvfb.screenshot(tmp_path / "back.png"), grey) >= MIN_PIXELS // 2,
            15,
            "the icon back in the restarted tray",
            step=0.5,
        )
    finally:
        assert stop(app) == 0


def test_without_a_tray_a_status_window_says_why_then_a_late_tray_takes_over(
    xvfb: Xvfb, traywatch_home: Path
) -> None:
    app = launch(xvfb, traywatch_home, "--interval", "3600", extra={"TRAYWATCH_TRAY_WAIT": "1"})
    try:
        wait_for(lambda: "no system tray found" in log_text(traywatch_home), 10, "giving up on the tray")
        wait_for(lambda: '"traywatch — ' in xvfb.window_tree(), 5, "the status window to be mapped")
        xvfb.start_trayer()
        wait_for(lambda: "tray icon shown" in log_text(traywatch_home), 15, "the icon in the late tray")
    finally:
        assert stop(app) == 0


def test_second_start_brings_the_history_window_forward_and_exits(xvfb: Xvfb, traywatch_home: Path) -> None:
    xvfb.start_trayer()
    first = launch(xvfb, traywatch_home, "--interval", "3600")
    try:
        wait_for(lambda: "tray icon shown" in log_text(traywatch_home), 10, "the first instance")
        second = launch(xvfb, traywatch_home)
        assert second.wait(10) == 0
        wait_for(lambda: "traywatch — history" in xvfb.window_tree(), 5, "the history window")
        settings = launch(xvfb, traywatch_home, "--show", "settings")
        assert settings.wait(10) == 0
        wait_for(lambda: "traywatch — settings" in xvfb.window_tree(), 5, "the settings window")
    finally:
        assert stop(first) == 0


def test_quit_option_stops_the_running_app_and_returns_once_it_has(xvfb: Xvfb, traywatch_home: Path) -> None:
    """What the Windows installer and uninstaller run before they replace or remove the program's
    files. `--quit` needs no display (no DISPLAY in its environment here)."""

    def quit_option() -> subprocess.CompletedProcess[str]:
        env = app_env(traywatch_home)
        return subprocess.run(app_command("--quit"), env=env, capture_output=True, text=True, timeout=60)

    nobody = quit_option()
    assert (nobody.returncode, nobody.stderr.strip()) == (0, "traywatch is not running.")
    xvfb.start_trayer()
    app = launch(xvfb, traywatch_home, "--interval", "3600")
    try:
        wait_for(lambda: "tray icon shown" in log_text(traywatch_home), 10, "the running app")
        asked = quit_option()
        assert (asked.returncode, asked.stderr.strip()) == (0, "traywatch has quit."), asked.stderr
        assert app.wait(10) == 0
        log = log_text(traywatch_home)
        assert "another start asked for quit" in log and "quit requested" in log
        # checks stopped and history closed before --quit said so
        assert log.index("traywatch stopped") < log.index("asked the running traywatch to quit: it has")
    finally:
        stop(app)
    again = launch(xvfb, traywatch_home, "--interval", "3600")  # the lock is free for the next start
    try:
        wait_for(lambda: log_text(traywatch_home).count("tray icon shown") == 2, 10, "a new start")
    finally:
        assert stop(again) == 0


def test_a_broken_settings_file_or_proxy_variable_is_said_and_the_app_keeps_running(
    xvfb: Xvfb, traywatch_home: Path
) -> None:
    write_config(traywatch_home, '[check]\ninterval = "soon"\n')
    xvfb.start_trayer()
    app = launch(xvfb, traywatch_home, extra={"HTTPS_PROXY": "http://[bad"})
    try:
        wait_for(lambda: "tray icon shown" in log_text(traywatch_home), 10, "the icon, despite the mistakes")
        log = log_text(traywatch_home)
        assert "check.interval" in log and "default settings" in log  # said, with the key to fix
        assert "HTTPS_PROXY" in log and "checking without it" in log
        wait_for(lambda: "notification: traywatch: something to fix" in log_text(traywatch_home), 5, "told")
        assert app.poll() is None  # still running
    finally:
        assert stop(app) == 0
    assert (traywatch_home / "config" / "config.toml").read_text() == '[check]\ninterval = "soon"\n'  # kept
