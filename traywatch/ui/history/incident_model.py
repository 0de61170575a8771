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
from traywatch.i18n import N_, _, current_language, formats, render
from traywatch.ui import when

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = (N_("Started"), N_("Duration"), N_("What"), N_("Your internet"), N_("Meta said"), N_("Cause"))
CAUSE, INTERNET_COL, META_COL = 5, 3, 4
KIND_WORDS = {
    IncidentKind.META: N_("Meta-wide outage"),
    IncidentKind.SERVICE: N_("One service down"),
    IncidentKind.INTERNET: N_("Your internet down"),
    IncidentKind.LIMITED: N_("Your network limited"),
}
Index = QModelIndex | QPersistentModelIndex


def when_text(moment: datetime, now: datetime | None = None) -> str:
    """'Mon 23 Nov 17:40' (with the year when it is not this year's), in the language in use."""
    local = moment.astimezone()
    this_year = (now or datetime.now(local.tzinfo)).astimezone().year
    return when.day_and_time(moment, with_year=local.year != this_year)


def names_text(names: Sequence[str]) -> str:
    """'Facebook, Instagram and WhatsApp' the language's way."""
    return formats.list_join(list(names), current_language())


_META_SHORT = {
    MetaWord.OWN: "—",
    MetaWord.NOT_COVERED: N_("not covered"),
    MetaWord.SILENT: N_("nothing"),
    MetaWord.UNREAD: N_("could not read"),
    MetaWord.NOT_RECORDED: N_("not recorded"),
}


def _meta_short(row: IncidentRow) -> str:
    inc = row.incident
    word = meta_word(inc)
    if word is not MetaWord.ACKNOWLEDGED or inc.acknowledged_at is None:
        short = _META_SHORT.get(word)
        return _(short) if short else "—"
    lead = (inc.acknowledged_at - inc.started_at).total_seconds()
    return _("after {duration}").format(duration=when.duration(lead)) if lead >= 60 else _("at once")


def _internet_short(row: IncidentRow) -> str:
    if row.own_trouble_s is None:
        return "—"
    if row.own_trouble_s <= 0:
        return _("working")
    return _("down {duration}").format(duration=when.duration(row.own_trouble_s))


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
            return _(COLUMNS[section])
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
            lasted = when.duration(row.duration_s)
            return _("{duration} (going on)").format(duration=lasted) if inc.ongoing else lasted
        if col == 2:
            return f"↳ {render(row.what)}" if row.part_of else render(row.what)
        if col == INTERNET_COL:
            return _internet_short(row)
        if col == META_COL:
            return _meta_short(row)
        return render(inc.cause)

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
            return _("Was your own internet working meanwhile? {answer}").format(
                answer=render(row.internet_words)
            )
        if col == META_COL:
            ack = ack_words(row.incident)
            return render(ack) if ack else _("Your own connection: Meta has nothing to say about it")
        if col == 2 and row.service_names:
            return names_text(row.service_names)
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
