"""The history window's exports, as plain functions (the buttons only ask where): a CSV for a
spreadsheet (uptime table + incidents, formulas neutralised) and the printable HTML report."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from traywatch.core.history import HistoryView
from traywatch.core.history.export import report_csv
from traywatch.core.history.report import render_html


def default_name(kind: str, today: date | None = None) -> str:
    day = (today or date.today()).isoformat()
    return f"traywatch-history-{day}.csv" if kind == "csv" else f"traywatch-report-{day}.html"


def _write(path: Path, text: str) -> Path:
    """Write the whole file or nothing (a half-written report is worse than none)."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(temp, 0o644)  # a document to share, not a secret (mkstemp makes it 0600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def write_csv(path: Path, view: HistoryView) -> Path:
    return _write(path, report_csv(view))


def write_report(path: Path, view: HistoryView) -> Path:
    return _write(path, render_html(view))
