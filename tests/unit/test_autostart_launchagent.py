"""Start at login on macOS: the LaunchAgent plist's content and its file (in a temporary home)."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from traywatch.platform.autostart import APP_ID, AutostartError, LaunchAgent, pick
from traywatch.platform.autostart.launchagent import launch_agent_plist

APP = "/Applications/traywatch.app/Contents/MacOS/traywatch"


def test_plist_starts_the_program_once_at_login_in_the_gui_session() -> None:
    data = plistlib.loads(launch_agent_plist([APP, "--show", "history"]))
    assert data == {
        "Label": APP_ID,
        "ProgramArguments": [APP, "--show", "history"],
        "RunAtLoad": True,
        "KeepAlive": False,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }


def test_plist_is_xml_with_the_apple_doctype() -> None:
    text = launch_agent_plist([APP]).decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist')
    assert f"<string>{APP}</string>" in text
    with pytest.raises(ValueError):
        launch_agent_plist([])


def test_enable_and_disable_write_and_remove_the_agent_file(tmp_path: Path) -> None:
    agent = LaunchAgent(home=tmp_path)
    path = tmp_path / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    assert agent.location == str(path)
    assert not agent.is_enabled()
    agent.enable([APP])
    assert plistlib.loads(path.read_bytes())["ProgramArguments"] == [APP]
    assert agent.is_enabled()
    agent.disable()
    assert not path.exists()
    assert not agent.is_enabled()
    agent.disable()


def test_an_agent_marked_disabled_counts_as_disabled(tmp_path: Path) -> None:
    agent = LaunchAgent(home=tmp_path)
    agent.enable([APP])
    path = Path(agent.location)
    data = plistlib.loads(path.read_bytes())
    path.write_bytes(plistlib.dumps({**data, "Disabled": True}))
    assert not agent.is_enabled()


def test_a_corrupt_agent_file_raises_autostart_error(tmp_path: Path) -> None:
    agent = LaunchAgent(home=tmp_path)
    Path(agent.location).parent.mkdir(parents=True)
    Path(agent.location).write_bytes(b"not a plist")
    with pytest.raises(AutostartError, match="cannot be read"):
        agent.is_enabled()


def test_pick_gives_the_launch_agent_on_macos() -> None:
    assert isinstance(pick("darwin"), LaunchAgent)
