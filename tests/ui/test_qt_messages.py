"""Qt's own warnings go into traywatch's log file once the tray app's QApplication is made (not to
an stderr nobody reads). A real process: pytest-qt installs its own handler inside the test run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

QT_WARNS = """
import sys
from pathlib import Path
from traywatch.log import setup_logging
setup_logging(Path(sys.argv[1]))
from PySide6.QtCore import QLoggingCategory, qCWarning, qWarning
from traywatch.ui.app import _application
app = _application()
qWarning("a warning from Qt itself")
qCWarning(QLoggingCategory("qt.qpa.tray"), "no system tray here")
"""


def test_the_tray_app_sends_qt_messages_to_the_log_file(tmp_path: Path) -> None:
    log_file = tmp_path / "traywatch.log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TRAYWATCH_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", QT_WARNS, str(log_file)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = log_file.read_text("utf-8")
    assert "WARNING traywatch.qt: Qt: a warning from Qt itself" in text
    assert "WARNING traywatch.qt: Qt [qt.qpa.tray]: no system tray here" in text
