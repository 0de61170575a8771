"""The period chooser: the last 24 hours, 7 days, 30 days, or chosen calendar days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from traywatch.core.history.period import Window, local_midnight
from traywatch.i18n import N_, _, pgettext

PRESETS = (
    (N_("Last 24 hours"), timedelta(hours=24), N_("the last 24 hours")),
    (N_("Last 7 days"), timedelta(days=7), N_("the last 7 days")),
    (N_("Last 30 days"), timedelta(days=30), N_("the last 30 days")),
)
CUSTOM = N_("Chosen days…")
DEFAULT_PRESET = 1


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class RangeBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setObjectName("range")
        self.combo.setAccessibleName(_("Period"))
        self.combo.addItems([_(p[0]) for p in PRESETS] + [_(CUSTOM)])
        self.combo.setCurrentIndex(DEFAULT_PRESET)
        label = QLabel(_("&Period:"))
        label.setBuddy(self.combo)
        today = date.today()
        self.first = QDateEdit(_qdate(today - timedelta(days=6)))
        self.first.setObjectName("first_day")
        self.first.setAccessibleName(_("First day"))
        self.last = QDateEdit(_qdate(today))
        self.last.setObjectName("last_day")
        self.last.setAccessibleName(_("Last day"))
        # TRANSLATORS: between the first and the last day of a chosen period: [day] to [day].
        self.dash = QLabel(pgettext("period from one day to another", "to"))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMaximumDate(_qdate(today))
            edit.dateChanged.connect(self._dates_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.first)
        layout.addWidget(self.dash)
        layout.addWidget(self.last)
        self.combo.currentIndexChanged.connect(self._preset_changed)
        self._show_dates(False)

    def _show_dates(self, shown: bool) -> None:
        for widget in (self.first, self.dash, self.last):
            widget.setVisible(shown)

    def _preset_changed(self, index: int) -> None:
        self._show_dates(index == len(PRESETS))
        self.changed.emit()

    def _dates_changed(self) -> None:
        if self.last.date() < self.first.date():
            self.last.setDate(self.first.date())
        if self.combo.currentIndex() == len(PRESETS):
            self.changed.emit()

    def title(self) -> str:
        """The period as a heading: 'Last 7 days', '2026-03-01 to 2026-03-07'."""
        if not self.is_custom():
            return self.combo.currentText()
        return _("{first} to {last}").format(
            first=_pydate(self.first.date()).isoformat(), last=_pydate(self.last.date()).isoformat()
        )

    def choose(self, other: RangeBar) -> None:
        """The same period as another bar (a window built again in a new language), quietly."""
        for widget in (self.combo, self.first, self.last):
            widget.blockSignals(True)
        self.first.setDate(other.first.date())
        self.last.setDate(other.last.date())
        self.combo.setCurrentIndex(other.combo.currentIndex())
        for widget in (self.combo, self.first, self.last):
            widget.blockSignals(False)
        self._show_dates(self.is_custom())

    def is_custom(self) -> bool:
        return self.combo.currentIndex() == len(PRESETS)

    def reaches(self, now: datetime) -> bool:
        """Whether the chosen period runs up to `now` (so new rounds belong in it): always for the
        presets; for chosen days, when the last of them has not ended yet."""
        if not self.is_custom():
            return True
        return local_midnight(_pydate(self.last.date()) + timedelta(days=1)) > now

    def period(self, now: datetime) -> Window:
        """The period chosen, ending now for the presets; whole local days when chosen."""
        index = self.combo.currentIndex()
        if index < len(PRESETS):
            _title, span, label = PRESETS[index]
            return Window(now - span, now, _(label))
        first, last = _pydate(self.first.date()), _pydate(self.last.date())
        since = local_midnight(first)
        until = min(local_midnight(last + timedelta(days=1)), now)
        if until <= since:
            until = since + timedelta(hours=1)
        label = _("{first} to {last}").format(first=first.isoformat(), last=last.isoformat())
        return Window(since, until, label)
