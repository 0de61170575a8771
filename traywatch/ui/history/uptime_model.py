"""The uptime table: one row per service for the chosen window, counted honestly (uptime only
over time when your internet worked and traywatch watched; the rest shown beside it)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from traywatch.core.history import Uptime, WindowUptime
from traywatch.i18n import N_, _, current_language, formats
from traywatch.ui import when
from traywatch.ui.history.incident_model import SORT_ROLE

COLUMNS = (
    N_("Service"),
    N_("Uptime"),
    N_("Down"),
    N_("Slow"),
    N_("Your internet\ndown"),
    N_("Not\nwatching"),
)
_TIPS = (
    "",
    N_("Working time ÷ time observed while your own internet worked"),
    N_("Time the service was confirmed down while your internet worked"),
    N_("Time it answered, but slowly or partly"),
    N_("Not counted against Meta: your own connection was at fault"),
    N_("traywatch was not running, the computer slept, or the state could not be told"),
)
Index = QModelIndex | QPersistentModelIndex


def pct_text(value: float | None) -> str:
    if value is None:
        return "—"
    lang = current_language()
    if value >= 99.995 and value < 100:
        value = 99.99  # never round a real outage up to a perfect score
    return _("{percent} %").format(percent=formats.decimal(value, 2, lang))


class UptimeTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: tuple[Uptime, ...] = ()

    def set_uptime(self, uptime: WindowUptime) -> None:
        self.beginResetModel()
        self.rows = uptime.services
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            return _(_TIPS[section]) if _TIPS[section] else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        u = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return u.name
            if col == 1:
                return pct_text(u.uptime_pct)
            seconds = (u.down_s, u.degraded_s, u.internet_down_s, u.not_watching_s + u.unknown_s)[col - 2]
            return when.duration(seconds) if seconds >= 1 else "—"
        if role == SORT_ROLE:
            if col == 0:
                return u.name.lower()
            if col == 1:
                return -1.0 if u.uptime_pct is None else u.uptime_pct
            return (u.down_s, u.degraded_s, u.internet_down_s, u.not_watching_s + u.unknown_s)[col - 2]
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1 and u.uptime_pct is None:
                return _("Nothing observed in this period while your internet worked")
            return _(_TIPS[col]) if _TIPS[col] else None
        return None
