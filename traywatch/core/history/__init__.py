"""Local history: every round and every incident in SQLite, honest uptime, exports and reports.

Writers: `Recorder` (a Watcher listener). Readers: `reading.open_for_reading(path)` (read-only,
never a write to the file; the CLI) or `HistoryStore.open(path)` (the tray, next to its recorder),
then `incidents()`, `uptime()`, `bands()`; `load_view()` gathers a window for listings and reports.
"""

from traywatch.core.history.period import Window, WindowError
from traywatch.core.history.recorder import Recorder
from traywatch.core.history.records import (
    INTERNET,
    EndReason,
    HistoryError,
    Incident,
    IncidentKind,
    StartReason,
)
from traywatch.core.history.store import HistoryStore, Recovery
from traywatch.core.history.uptime import Band, InternetTime, Uptime, WindowUptime
from traywatch.core.history.view import HistoryView, IncidentRow, load_view

__all__ = [
    "INTERNET",
    "Band",
    "EndReason",
    "HistoryError",
    "HistoryStore",
    "HistoryView",
    "Incident",
    "IncidentKind",
    "IncidentRow",
    "InternetTime",
    "Recorder",
    "Recovery",
    "StartReason",
    "Uptime",
    "Window",
    "WindowError",
    "WindowUptime",
    "load_view",
]
