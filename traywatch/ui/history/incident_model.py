"""The incidents table: a QAbstractTableModel over the rows `load_view` read, and a proxy that
sorts (by the real times and durations, not their text) and filters by service and kind."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from traywatch.core.history import IncidentKind, IncidentRow
from traywatch.core.history.acknowledge import MetaWord, ack_words, meta_word
from traywatch.core.verdict import wording

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("Started", "Duration", "What", "Your internet", "Meta said", "Cause")
CAUSE, INTERNET_COL, META_COL = 5, 3, 4
KIND_WORDS = {
    IncidentKind.META: "Meta-wide outage",
    IncidentKind.SERVICE: "One service down",
    IncidentKind.INTERNET: "Your internet down",
    IncidentKind.LIMITED: "Your network limited",
}
Index = QModelIndex | QPersistentModelIndex


def when_text(moment: datetime, now: datetime | None = None) -> str:
    """'Mon 23 Nov 17:40' (with the year when it is not this year's)."""
    local = moment.astimezone()
    this_year = (now or datetime.now(local.tzinfo)).astimezone().year
    return local.strftime("%a %d %b %H:%M" if local.year == this_year else "%a %d %b %Y %H:%M")


_META_SHORT = {
    MetaWord.OWN: "—",
    MetaWord.NOT_COVERED: "not covered",
    MetaWord.SILENT: "nothing",
    MetaWord.UNREAD: "could not read",
    MetaWord.NOT_RECORDED: "not recorded",
}


def _meta_short(row: IncidentRow) -> str:
    inc = row.incident
    word = meta_word(inc)
    if word is not MetaWord.ACKNOWLEDGED or inc.acknowledged_at is None:
        return _META_SHORT.get(word, "—")
    lead = (inc.acknowledged_at - inc.started_at).total_seconds()
    return f"after {wording.duration(lead)}" if lead >= 60 else "at once"


def _internet_short(row: IncidentRow) -> str:
    if row.own_trouble_s is None:
        return "—"
    return "working" if row.own_trouble_s <= 0 else f"down {wording.duration(row.own_trouble_s)}"


class IncidentTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: tuple[IncidentRow, ...] = ()

    def set_rows(self, rows: Sequence[IncidentRow]) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        inc = row.incident
        col = index.column()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.FontRole and inc.ongoing and col == 1:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(row: IncidentRow, col: int) -> str:
        inc = row.incident
        if col == 0:
            return when_text(inc.started_at)
        if col == 1:
            return f"{wording.duration(row.duration_s)}{' (going on)' if inc.ongoing else ''}"
        if col == 2:
            return f"↳ {row.what}" if row.part_of else row.what
        if col == INTERNET_COL:
            return _internet_short(row)
        if col == META_COL:
            return _meta_short(row)
        return inc.cause

    @staticmethod
    def _sort_key(row: IncidentRow, col: int) -> object:
        inc = row.incident
        if col == 0:
            return inc.started_at.timestamp()
        if col == 1:
            return row.duration_s
        if col == INTERNET_COL:
            return -1.0 if row.own_trouble_s is None else row.own_trouble_s
        if col == META_COL:
            ack = inc.acknowledged_at
            return float("inf") if ack is None else (ack - inc.started_at).total_seconds()
        return IncidentTableModel._text(row, col).lower()

    @staticmethod
    def _tooltip(row: IncidentRow, col: int) -> str:
        if col == INTERNET_COL:
            return f"Was your own internet working meanwhile? {row.internet_words}"
        if col == META_COL:
            return ack_words(row.incident) or "Your own connection: Meta has nothing to say about it"
        if col == 2 and row.service_names:
            return ", ".join(row.service_names)
        return IncidentTableModel._text(row, col)


class IncidentFilter(QSortFilterProxyModel):
    """Sorts by the real values; keeps incidents of one service and/or one kind."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.service: str | None = None
        self.kind: IncidentKind | None = None

    def set_service(self, service: str | None) -> None:
        self._refilter(lambda: setattr(self, "service", service))

    def set_kind(self, kind: IncidentKind | None) -> None:
        self._refilter(lambda: setattr(self, "kind", kind))

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, IncidentTableModel):
            return True
        inc = model.rows[source_row].incident
        if self.kind is not None and inc.kind is not self.kind:
            return False
        return self.service is None or self.service in inc.services

    def row_at(self, index: QModelIndex) -> IncidentRow | None:
        value = self.data(index, ROW_ROLE)
        return value if isinstance(value, IncidentRow) else None
