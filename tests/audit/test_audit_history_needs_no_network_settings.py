"""Audit of issue 16 (hostile or senseless files): `traywatch history` and `report` refuse to show
the history at all when a *network* setting is broken, e.g. `[network] ca_file` names a CA file
that was since removed: "config.toml [network.ca_file]: no such file: …", exit 2. Reading the
local record needs no network setting; the owner loses access to their outage records (the very
thing they need while sorting out their network) because of one. Seen after a watch run whose
CA file was gone: reading the history failed until the line was deleted."""

# audit: fails on main at e298e8b (the fix makes it pass)

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


COMMANDS = [["history", "--since", "1h"], ["report", "--since", "1h", "--out", "{out}"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_history_and_report_read_the_record_although_the_ca_file_is_gone(
    traywatch_home: Path, tmp_path: Path, command: list[str]
) -> None:
    (traywatch_home / "config").mkdir(parents=True)
    (traywatch_home / "config" / "config.toml").write_text(
        f'[network]\nca_file = "{tmp_path / "removed-ca.pem"}"\n', "utf-8"
    )
    env = {**os.environ, "TRAYWATCH_HOME": str(traywatch_home), "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "traywatch", *(a.format(out=tmp_path / "report.html") for a in command)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
