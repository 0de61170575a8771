"""`traywatch account set-token` started with no standard input at all (`<&-`, as some launchers
do), with a real Secret Service there to store into: one clear line and exit 2, never an
AttributeError traceback; nothing is stored."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.integration.test_keyring_secret_service import REPO, UNLOCK, environment, needs_secret_service

# set-token with stdin closed, then `account status` in the same keyring session
SCRIPT = (
    'exec 0<&-; "$0" -m traywatch account set-token --no-test; echo "rc=$?"; "$0" -m traywatch account status'
)


@needs_secret_service
def test_set_token_without_standard_input_says_so_in_one_line(tmp_path: Path, traywatch_home: Path) -> None:
    command = ["dbus-run-session", "--", "sh", "-c", UNLOCK, "sh", "sh", "-c", SCRIPT, sys.executable]
    result = subprocess.run(
        command,
        env=environment(tmp_path, traywatch_home),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    ours = [line for line in result.stderr.splitlines() if line.startswith(("traywatch", "Traceback", " "))]
    assert "Traceback" not in result.stderr, result.stderr
    assert len(ours) == 1 and "standard input is closed" in ours[0], result.stderr
    assert "rc=2" in result.stdout
    assert "Graph API token: not stored" in result.stdout
