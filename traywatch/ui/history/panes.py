"""The history window's two lower panes: incidents (filters, table, detail) and uptime in detail."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.history import INTERNET, IncidentKind, IncidentRow, WindowUptime
from traywatch.i18n import N_, _, ngettext
from traywatch.ui import when
from traywatch.ui.history.detail import IncidentDetail
from traywatch.ui.history.incident_model import KIND_WORDS, IncidentFilter, IncidentTableModel
from traywatch.ui.history.uptime_model import UptimeTableModel

HONEST = N_(
    "Uptime counts only the time when your own internet worked and traywatch was watching. "
    "Time when your internet was down, and time when traywatch was not running or the computer "
    "slept, is shown beside it and counted neither for nor against Meta."
)


def table(name: str, accessible: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table: keyboard users reach every control
    view.verticalHeader().hide()
    view.horizontalHeader().setHighlightSections(False)
    return view


def _combo(name: str, accessible: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    return combo


class IncidentsPane(QWidget):
    """Filters by service and kind, the sortable incidents table, and the selected one's detail."""

    def __init__(self, clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.service_filter = _combo("service_filter", _("Show incidents of service"))
        self.service_filter.addItem(_("All services"), None)
        self.kind_filter = _combo("kind_filter", _("Show incidents of kind"))
        self.kind_filter.addItem(_("All kinds"), None)
        for kind, words in KIND_WORDS.items():
            self.kind_filter.addItem(_(words), kind.value)
        self.model = IncidentTableModel(self)
        self.proxy = IncidentFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = table("incidents", _("Incidents"))
        self.view.setModel(self.proxy)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.service_filter.currentIndexChanged.connect(self._filter_changed)
        self.kind_filter.currentIndexChanged.connect(self._filter_changed)
        self.detail = IncidentDetail()
        self.detail.setTabChangesFocus(True)
        self.count_label = QLabel()
        filters = QHBoxLayout()
        for text, combo in ((_("&Service:"), self.service_filter), (_("&Kind:"), self.kind_filter)):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([660, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

    def focus_order(self) -> list[QWidget]:
        return [self.service_filter, self.kind_filter, self.view, self.detail]

    def show_rows(
        self, rows: Sequence[IncidentRow], elements: Sequence[str], names: Mapping[str, str]
    ) -> None:
        """New rows (a reload): the chosen filters and the selected incident stay when they can."""
        current = self.service_filter.currentData()
        self.service_filter.blockSignals(True)
        self.service_filter.clear()
        self.service_filter.addItem(_("All services"), None)
        for element in elements:
            if element != INTERNET:
                self.service_filter.addItem(names.get(element, element), element)
        self.service_filter.setCurrentIndex(max(0, self.service_filter.findData(current)))
        self.service_filter.blockSignals(False)
        self.proxy.set_service(self.service_filter.currentData())
        selected = self.selected_row()
        self.model.set_rows(rows)
        self._select_key(selected.incident.key if selected else None)
        self._update_count()

    def service(self) -> str | None:
        value = self.service_filter.currentData()
        return value if isinstance(value, str) else None

    def selected_row(self) -> IncidentRow | None:
        return self.proxy.row_at(self.view.currentIndex())

    def _filter_changed(self) -> None:
        self.proxy.set_service(self.service())
        kind = self.kind_filter.currentData()
        self.proxy.set_kind(IncidentKind(kind) if kind else None)
        self._update_count()
        self._on_current(self.view.currentIndex())

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown != total:
            text = _("{shown} of {total}").format(shown=shown, total=total)
        else:
            text = ngettext("{count} incident", "{count} incidents", total).format(count=total)
        self.count_label.setText(text)
        self.view.resizeColumnToContents(0)
        self.view.resizeColumnToContents(1)
        self.view.setColumnWidth(2, max(160, self.view.columnWidth(2)))

    def _select_key(self, key: str | None) -> None:
        for r in range(self.proxy.rowCount() if key else 0):
            index = self.proxy.index(r, 0)
            row = self.proxy.row_at(index)
            if row is not None and row.incident.key == key:
                self.view.setCurrentIndex(index)
                return
        self.detail.show_row(None, self.clock())

    def _on_current(self, index: QModelIndex) -> None:
        self.detail.show_row(self.proxy.row_at(index) if index.isValid() else None, self.clock())


class UptimePane(QWidget):
    """Uptime per service in seconds, and how your own internet did."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = UptimeTableModel(self)
        self.view = table("uptime", _("Uptime per service"))
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)  # catalogue order: the order of the timeline
        self.model.modelReset.connect(self.view.resizeColumnsToContents)
        self.internet_label = QLabel()
        self.internet_label.setObjectName("internet_time")
        self.internet_label.setWordWrap(True)
        honest = QLabel(_(HONEST))
        honest.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(honest)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.internet_label)

    def show_uptime(self, uptime: WindowUptime) -> None:
        self.model.set_uptime(uptime)
        net, d = uptime.internet, when.duration
        self.internet_label.setText(
            _(
                "Your own internet: working {up}, limited {limited}, down {down}; not watched {unwatched}."
            ).format(
                up=d(net.up_s), limited=d(net.limited_s), down=d(net.down_s), unwatched=d(net.not_watching_s)
            )
        )
