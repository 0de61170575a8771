"""Settings page "Notifications": on/off, which kinds, recoveries, quiet hours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.notify.settings import KIND_LABELS, KINDS, parse_quiet_hours
from traywatch.core.settings.form import Problem, SettingsValues
from traywatch.i18n import _, pgettext
from traywatch.ui.settings.fields import ProblemLabel, named, note

DEFAULT_QUIET = (QTime(22, 0), QTime(7, 0))


def _time_edit(name: str, accessible: str, value: QTime) -> QTimeEdit:
    edit = QTimeEdit(value)
    named(edit, name, accessible)
    edit.setDisplayFormat("HH:mm")
    return edit


def _label(name: str, text: str, buddy: QWidget) -> QLabel:
    """A label whose mnemonic moves the focus to its time field."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setBuddy(buddy)
    return label


class NotificationsPage(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox(_("&Show notifications"))
        named(self.enabled, "notifications", _("Show notifications"))
        self.kind_boxes: dict[str, QCheckBox] = {}
        kinds = QGroupBox(_("Tell me when"))
        kinds_layout = QVBoxLayout(kinds)
        for kind in KINDS:
            check = QCheckBox(_(KIND_LABELS[kind]))
            named(check, f"kind:{kind}", _("Notify when: {kind}").format(kind=_(KIND_LABELS[kind])))
            kinds_layout.addWidget(check)
            self.kind_boxes[kind] = check
        self.recovery = QCheckBox(_("…and when it &works again (with how long it lasted)"))
        named(self.recovery, "recovery", _("Also notify when things work again"))
        kinds_layout.addWidget(self.recovery)
        self.kinds_box = kinds

        self.quiet = QCheckBox(_("&Quiet hours (hold notifications)"))
        named(self.quiet, "quiet", _("Quiet hours"))
        self.quiet_from = _time_edit("quiet_from", _("Quiet hours start"), DEFAULT_QUIET[0])
        self.quiet_to = _time_edit("quiet_to", _("Quiet hours end"), DEFAULT_QUIET[1])
        # TRANSLATORS: a label before the time the quiet hours start: "From [22:00] Until [07:00]".
        self.from_label = _label("quiet_from_label", pgettext("quiet hours start", "Fro&m"), self.quiet_from)
        # TRANSLATORS: a label before the time the quiet hours end: "From [22:00] Until [07:00]".
        self.to_label = _label("quiet_to_label", pgettext("quiet hours end", "&Until"), self.quiet_to)
        row = QHBoxLayout()
        style = self.quiet.style()  # the row starts under the checkbox's text, not its box
        row.addSpacing(
            style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
            + style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing)
        )
        for widget in (self.from_label, self.quiet_from, self.to_label, self.quiet_to):
            row.addWidget(widget)
        row.addStretch(1)
        self.problem = ProblemLabel("quiet_hours")
        quiet_box = QGroupBox(_("Quiet hours"))
        quiet_layout = QVBoxLayout(quiet_box)
        quiet_layout.addWidget(self.quiet)
        quiet_layout.addLayout(row)
        quiet_layout.addWidget(self.problem)
        quiet_layout.addWidget(
            note(
                _(
                    "The tray icon keeps showing the state. When quiet hours end you get one "
                    "notification about what is still wrong, not every change you missed."
                )
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(kinds)
        layout.addWidget(quiet_box)
        layout.addWidget(note(_("Notifications about Meta are never shown while your own internet is down.")))
        layout.addStretch(1)
        for check in (self.enabled, self.recovery, self.quiet, *self.kind_boxes.values()):
            check.toggled.connect(self.changed)
        for edit in (self.quiet_from, self.quiet_to):
            edit.timeChanged.connect(self.changed)
        self.enabled.toggled.connect(self._enable)
        self.quiet.toggled.connect(self._enable)

    def _enable(self) -> None:
        on = self.enabled.isChecked()
        self.kinds_box.setEnabled(on)
        self.quiet.setEnabled(on)
        for widget in (self.from_label, self.quiet_from, self.to_label, self.quiet_to):
            widget.setEnabled(on and self.quiet.isChecked())

    def load(self, values: SettingsValues) -> None:
        self.enabled.setChecked(values.notifications)
        for kind, check in self.kind_boxes.items():
            check.setChecked(kind in values.kinds)
        self.recovery.setChecked(values.recovery)
        quiet = parse_quiet_hours(values.quiet_hours) if values.quiet_hours else None
        self.quiet.setChecked(quiet is not None)
        if quiet is not None:
            self.quiet_from.setTime(QTime(quiet.start.hour, quiet.start.minute))
            self.quiet_to.setTime(QTime(quiet.end.hour, quiet.end.minute))
        self._enable()

    def read(self, values: SettingsValues) -> SettingsValues:
        quiet = ""
        if self.quiet.isChecked():
            quiet = f"{self.quiet_from.time().toString('HH:mm')}-{self.quiet_to.time().toString('HH:mm')}"
        return replace(
            values,
            notifications=self.enabled.isChecked(),
            recovery=self.recovery.isChecked(),
            kinds=frozenset(k for k, check in self.kind_boxes.items() if check.isChecked()),
            quiet_hours=quiet,
        )

    def show_problems(self, problems: Sequence[Problem]) -> None:
        self.problem.show_problems(problems)
