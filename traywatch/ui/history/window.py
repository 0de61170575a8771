"""The history window: period, timeline (with legend), uptime, incidents with details, exports.

It reads the store through `HistoryReader` (its own connection, off the GUI thread) and reloads
when the controller says new rounds were recorded, while it is visible. Closing only hides it.
"""

from __future__ import annotations

import html
import itertools
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.history import INTERNET, HistoryView, IncidentRow
from traywatch.core.history.records import from_ts, to_ts
from traywatch.i18n import N_, _, render
from traywatch.ui import when
from traywatch.ui.history import exporting
from traywatch.ui.history.legend import Legend
from traywatch.ui.history.panes import IncidentsPane, UptimePane
from traywatch.ui.history.range_bar import RangeBar
from traywatch.ui.history.reader import BandData, HistoryData, HistoryReader
from traywatch.ui.history.timeline import TimelineWidget
from traywatch.ui.history.timeline_data import build
from traywatch.ui.history.uptime_model import pct_text
from traywatch.ui.icons import app_icon
from traywatch.ui.message_box import warn

log = logging.getLogger(__name__)

HINT = N_(
    "Point at a band, or use the arrow keys, for its details. Scroll or press + and − to zoom, 0 to reset."
)
REFRESH_DELAY_MS = 1500


def _utcnow() -> datetime:
    return datetime.now(UTC)


class HistoryWindow(QWidget):
    loaded = Signal(object)  # HistoryData, once shown

    def __init__(
        self,
        history_file: Path,
        catalogue_names: Callable[[], Mapping[str, str]],
        clock: Callable[[], datetime] = _utcnow,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("history_window")
        self.setWindowTitle(_("traywatch — history"))
        self.setWindowIcon(app_icon())
        self.setAccessibleName(_("History"))
        self.history_file = history_file
        self.clock = clock
        self.data: HistoryData | None = None
        self._keep_view = False
        self.reader = HistoryReader(history_file, catalogue_names, self)
        self.reader.loaded.connect(self._on_loaded)
        self.reader.bands_loaded.connect(self._on_bands)
        self.reader.failed.connect(self._on_failed)
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(lambda: self.reload(keep_view=True))
        self._zoom_timer = QTimer(self, singleShot=True, interval=120)
        self._zoom_timer.timeout.connect(self._load_detail)
        self._build()
        self._fit_to_screen(1180, 800)

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.range_bar = RangeBar()
        self.range_bar.changed.connect(lambda: self.reload(keep_view=False))
        self.refresh_button = self._button(_("&Refresh"), "refresh", _("Read the history again"), self.reload)
        self.csv_button = self._button(
            _("Export &CSV…"),
            "export_csv",
            _("Save the uptime and incidents of this period as CSV"),
            self.export_csv,
        )
        self.report_button = self._button(
            _("Save repor&t…"),
            "save_report",
            _("Save a printable outage report (HTML) for this period"),
            self.save_report,
        )
        top = QHBoxLayout()
        top.addWidget(self.range_bar)
        top.addStretch(1)
        for button in (self.refresh_button, self.csv_button, self.report_button):
            top.addWidget(button)

        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.caption = QLabel(_(HINT))
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        self.timeline = TimelineWidget()
        self.timeline.described.connect(lambda text: self.caption.setText(text or _(HINT)))
        self.timeline.zoomed.connect(self._zoom_timer.start)
        self.legend = Legend()
        timeline_box = QGroupBox(_("Timeline"))
        box = QVBoxLayout(timeline_box)
        box.addWidget(self.timeline, 1)
        box.addWidget(self.legend)
        box.addWidget(self.caption)

        self.incidents = IncidentsPane(self.clock)
        self.uptime = UptimePane()
        # the parts tests and the controller reach for
        self.model, self.proxy, self.incidents_view = (
            self.incidents.model,
            self.incidents.proxy,
            self.incidents.view,
        )
        self.detail, self.count_label = self.incidents.detail, self.incidents.count_label
        self.service_filter, self.kind_filter = self.incidents.service_filter, self.incidents.kind_filter
        self.uptime_model, self.uptime_view = self.uptime.model, self.uptime.view

        self.tabs = QTabWidget()
        self.tabs.setObjectName("history_tabs")
        self.tabs.setAccessibleName(_("Incidents and uptime"))
        self.tabs.tabBar().setAccessibleName(_("Incidents or uptime"))
        self.tabs.addTab(self.incidents, _("&Incidents"))
        self.tabs.addTab(self.uptime, _("&Uptime in detail"))

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.status.setOpenExternalLinks(True)
        self.close_button = self._button(_("Close"), "close", _("Close this window"), self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(timeline_box)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        order = [
            self.range_bar.combo,
            self.range_bar.first,
            self.range_bar.last,
            self.refresh_button,
            self.csv_button,
            self.report_button,
            self.timeline,
            self.tabs,
            *self.incidents.focus_order(),
            self.uptime_view,
            self.close_button,
        ]
        for a, b in itertools.pairwise(order):
            QWidget.setTabOrder(a, b)
        for keys, slot in (
            (QKeySequence.StandardKey.Refresh, self.reload),
            (QKeySequence("Ctrl+R"), self.reload),
            (QKeySequence.StandardKey.Close, self.close),
            (QKeySequence("Esc"), self.close),
        ):
            QShortcut(keys, self, slot)

    def _button(self, text: str, name: str, tip: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _=False: slot())
        return button

    def _fit_to_screen(self, width: int, height: int) -> None:
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width() - 40), min(height, room.height() - 60)
        self.resize(max(640, width), max(480, height))

    # -- showing -------------------------------------------------------------------------------
    def present(self) -> None:
        """Show, un-minimise and bring to the front; read the history (again)."""
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()
        self.reload(keep_view=self.data is not None)

    def refresh(self) -> None:
        self.reload(keep_view=True)

    def history_changed(self) -> None:
        """New rounds were recorded: read again soon (coalescing bursts), if anyone is looking."""
        if self.isVisible() and self.range_bar.reaches(self.clock()):
            self._refresh_timer.start()

    def set_notice(self, text: str | None) -> None:
        """A standing note above the timeline (e.g. another traywatch records the history)."""
        self.notice.setText(text or "")
        self.notice.setVisible(bool(text))

    def reload(self, keep_view: bool = False) -> int:
        self._keep_view = keep_view
        window = self.range_bar.period(self.clock())
        if self.data is None:
            self.timeline.set_message(_("Reading the history…"))
        self.status.setText(_("Reading the history…"))
        return self.reader.load(window, self.clock())

    # -- results ---------------------------------------------------------------------------------
    def _on_loaded(self, data: HistoryData) -> None:
        if not self.reader.is_latest(data):
            return
        self.data = data
        view = data.view
        self.uptime.show_uptime(view.uptime)
        self.incidents.show_rows(view.incidents, data.elements, data.names)
        net = view.uptime.internet
        timeline = build(
            data.bands,
            data.elements,
            data.names,
            data.step,
            view.window.since,
            view.window.until,
            data.official,
        )
        self.timeline.set_data(timeline, keep_zoom=self._keep_view)
        self.timeline.set_side(_("Uptime"), _side_texts(data))
        self.tabs.setTabText(0, _("&Incidents ({count})").format(count=len(view.incidents)))
        self._load_detail()
        observed = net.up_s + net.limited_s + net.down_s
        if observed <= 0:
            note = _("Nothing recorded in this period: traywatch records while it runs.")
        else:
            note = _("{period} · read in {ms} ms").format(
                period=self.range_bar.title(), ms=round(data.took_ms)
            )
        self.status.setText(note)
        self.loaded.emit(data)

    def _on_bands(self, detail: BandData) -> None:
        if self.data is None or not self.reader.is_latest(detail):
            return
        data = self.data
        timeline = build(
            detail.bands, detail.elements, data.names, detail.step, detail.since, detail.until, data.official
        )
        self.timeline.set_detail(timeline)

    def _on_failed(self, message: str) -> None:
        text = _("The history cannot be read: {problem}").format(problem=render(message))
        self.timeline.set_message(text)
        self.status.setText(text)

    def _load_detail(self) -> None:
        wanted = self.timeline.wanted_detail()
        if wanted is None or self.data is None:
            return
        lo, hi, step = wanted
        hour = 3600
        end = min(to_ts(self.data.view.window.until), -(-hi // hour) * hour)  # whole hours, not the future
        self.reader.load_bands(from_ts(lo // hour * hour), from_ts(end), step, self.data.elements)

    def selected_row(self) -> IncidentRow | None:
        return self.incidents.selected_row()

    # -- exports -------------------------------------------------------------------------------------
    def _ask(self, kind: str) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        start = str(Path(folder or Path.home()) / exporting.default_name(kind))
        if kind == "csv":
            title, pattern = _("Export history as CSV"), _("CSV files (*.csv)")
        else:
            title, pattern = _("Save outage report"), _("Web pages (*.html)")
        name, _chosen = QFileDialog.getSaveFileName(self, title, start, pattern)
        return Path(name) if name else None

    def export_view(self) -> HistoryView:
        """The view of the current period for exports (one service's, when filtered by one)."""
        window = self.range_bar.period(self.clock())
        return self.reader.view_now(window, self.clock(), self.incidents.service())

    def export_csv(self) -> Path | None:
        return self._export("csv", exporting.write_csv)

    def save_report(self) -> Path | None:
        return self._export("html", exporting.write_report)

    def _export(self, kind: str, write: Callable[..., Path]) -> Path | None:
        path = self._ask(kind)
        if path is None:
            return None
        try:
            written = write(path, self.export_view())
        except Exception as exc:  # a full disk, a read-only folder, a store problem: say so
            log.warning("export to %s failed: %s", path, exc)
            warn(
                self, "traywatch", _("Could not save {name}:\n{problem}").format(name=path.name, problem=exc)
            )
            return None
        url = written.resolve().as_uri()
        link = f'<a href="{html.escape(url)}">{html.escape(written.name)}</a>'
        self.status.setText(
            _("Saved {file} in {folder}").format(file=link, folder=html.escape(str(written.parent)))
        )
        return written

    # -- closing -------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self._refresh_timer.stop()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Let the reader finish and close its connection (at quit)."""
        self._refresh_timer.stop()
        self._zoom_timer.stop()
        self.reader.close()


def _side_texts(data: HistoryData) -> dict[str, tuple[str, str]]:
    """Uptime at the end of each timeline row (the internet: how much of the time it worked)."""
    out: dict[str, tuple[str, str]] = {}
    for u in data.view.uptime.services:
        tip = _("{name}: {percent} uptime over {period} (down {duration} while your internet worked)").format(
            name=u.name,
            percent=pct_text(u.uptime_pct),
            period=data.view.window.label,
            duration=when.duration(u.down_s),
        )
        out[u.service] = (pct_text(u.uptime_pct), tip)
    net = data.view.uptime.internet
    seen = net.up_s + net.limited_s + net.down_s
    pct = None if seen <= 0 else 100 * net.up_s / seen
    tip = _("Your internet worked {percent} of the time traywatch was watching").format(percent=pct_text(pct))
    out[INTERNET] = (pct_text(pct), tip)
    return out
