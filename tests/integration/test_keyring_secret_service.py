"""The token in a real Secret Service (gnome-keyring inside a private `dbus-run-session`): stored,
read, replaced through `traywatch account set-token`, deleted; no file under TRAYWATCH_HOME (nor
the home folder, where the keyring's own file is encrypted) ever holds it, logs included. And
with no session bus at all: "no secure keyring", and nothing is stored anywhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
TOKEN = "EAAGm0PX4ZCpsBAKsecretSERVICEtoken1234567890x9Q2"
SECOND = "EAAGsecondTOKENfromSTDINabcdefghijklmnop987654AbCd"
HELPER = "tests.integration.official.keyring_session"
UNLOCK = 'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"; exec "$@"'

needs_secret_service = pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="needs dbus-run-session and gnome-keyring-daemon (apt-get install dbus gnome-keyring)",
)


def environment(tmp_path: Path, traywatch_home: Path) -> dict[str, str]:
    home, runtime = tmp_path / "home", tmp_path / "runtime"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DBUS_", "PYTHON_KEYRING", "KEYRING_", "XDG_", "GNOME_KEYRING", "SSH_AUTH"))
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_RUNTIME_DIR=str(runtime),
        TRAYWATCH_HOME=str(traywatch_home),
        PYTHONPATH=str(REPO),
        TW_TEST_TOKEN=TOKEN,
        TW_TEST_TOKEN_2=SECOND,
    )
    return env


def run(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=90)
    lines = [line for line in result.stdout.splitlines() if line.startswith("REPORT ")]
    assert result.returncode == 0 and lines, (
        f"helper failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    )
    assert TOKEN not in result.stderr and SECOND not in result.stderr  # nothing on the console either
    report: dict[str, Any] = json.loads(lines[-1].removeprefix("REPORT "))
    return report


@needs_secret_service
def test_a_real_secret_service_stores_reads_and_deletes_the_token_and_no_file_holds_it(
    tmp_path: Path, traywatch_home: Path
) -> None:
    env = environment(tmp_path, traywatch_home)
    command = [
        "dbus-run-session",
        "--",
        "sh",
        "-c",
        UNLOCK,
        "sh",
        sys.executable,
        "-m",
        HELPER,
        "secret-service",
    ]
    report = run(command, env)

    assert report["status"]["available"], report["status"]
    assert report["status"]["backend"] == "keyring.backends.SecretService.Keyring"
    assert report["read_back"] and report["in_keyring"]
    status = json.loads(report["cli_status"]["out"])
    assert status["token"] == "EAAG…x9Q2" and status["whatsapp_phone_id"] == "106540352242922"
    assert report["cli_set"]["code"] == 0 and "EAAG…AbCd" in report["cli_set"]["out"]
    assert report["second_read_back"]
    assert report["leaks_while_stored"] == [] and report["leaks"] == []
    # what traywatch did write: the note (names only) and the log (token masked)
    assert {"data/account.json", "logs/traywatch.log"} <= set(report["traywatch_files"])
    log_text = (traywatch_home / "logs" / "traywatch.log").read_text()
    assert "Bearer EAAG…AbCd" in log_text and "an f-string with the token EAAG…AbCd in it" in log_text
    assert report["cli_clear"]["code"] == 0
    assert report["after_clear"] == {"token": None, "phone": None, "in_keyring": None, "note_exists": False}


def test_without_a_secret_service_nothing_is_stored_anywhere(tmp_path: Path, traywatch_home: Path) -> None:
    env = environment(tmp_path, traywatch_home)  # no DBUS_SESSION_BUS_ADDRESS: no keyring service
    report = run([sys.executable, "-m", HELPER, "no-keyring"], env)

    assert not report["status"]["available"]
    assert report["status"]["description"].startswith("no secure keyring available: ")
    assert report["set_error"]["no_keyring"]
    assert report["set_error"]["message"].startswith("no secure keyring available")
    assert report["cli_set"]["code"] == 2 and "no secure keyring available" in report["cli_set"]["err"]
    assert "Nothing was stored." in report["cli_set"]["err"]
    assert (
        "Keyring: none" in report["cli_status"]["out"]
        and "Signed-in checks stay off." in report["cli_status"]["out"]
    )
    assert not report["note_exists"]
    assert report["leaks"] == []
