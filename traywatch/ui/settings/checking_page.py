"""Settings page "Checking": how often, how long a check may take, which services to watch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGridLayout, QGroupBox, QVBoxLayout, QWidget

from traywatch.core.settings.form import (
    MAX_INTERVAL_S,
    MAX_TIMEOUT_S,
    MIN_INTERVAL_S,
    MIN_TIMEOUT_S,
    Problem,
    SettingsValues,
)
from traywatch.i18n import _
from traywatch.ui.settings.fields import ProblemLabel, buddy, field_row, named, note, spin


class CheckingPage(QWidget):
    changed = Signal()

    def __init__(
        self,
        services: Sequence[tuple[str, str]],
        fixed: Sequence[str] = (),
        interval_override: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`services`: (id, name) of every service that can be watched; `fixed`: ids that are
        always watched (custom services, defined in the file)."""
        super().__init__(parent)
        self.interval = spin("interval", _("Check every (seconds)"), 1, MAX_INTERVAL_S * 2, _(" s"))
        self.interval.setToolTip(_("Seconds between two checks; at least {low}").format(low=MIN_INTERVAL_S))
        # wider than the limits (settings_table), so that a value beyond them is explained, not clipped
        self.timeout = spin(
            "timeout", _("Longest a check may take (seconds)"), 1, MAX_TIMEOUT_S * 10, _(" s")
        )
        self.timeout.setToolTip(
            _("A check that takes longer counts as no answer; {low} to {high} seconds").format(
                low=MIN_TIMEOUT_S, high=MAX_TIMEOUT_S
            )
        )
        self.problems = {f: ProblemLabel(f) for f in ("interval", "timeout", "services")}
        form = QFormLayout()
        form.addRow(
            buddy(_("Check &every:"), self.interval),
            field_row(self.interval, _("at least 10 s; 60 s is plenty"), self.problems["interval"]),
        )
        form.addRow(
            buddy(_("Give up on a check a&fter:"), self.timeout),
            field_row(self.timeout, _("1 to 60 s"), self.problems["timeout"]),
        )
        if interval_override is not None:
            form.addRow(
                "",
                note(
                    _(
                        "This run checks every {seconds} s (--interval on the command line); "
                        "the value here is saved and used from the next start."
                    ).format(seconds=f"{interval_override:g}")
                ),
            )
        self.service_boxes: dict[str, QCheckBox] = {}
        box = QGroupBox(_("Watch these services"))
        grid = QGridLayout(box)
        for i, (sid, name) in enumerate(services):
            check = QCheckBox(name)
            named(check, f"service:{sid}", _("Watch {name}").format(name=name))
            if sid in fixed:
                check.setChecked(True)
                check.setEnabled(False)
                check.setToolTip(_("A custom service from your settings file: remove it there"))
            check.toggled.connect(self.changed)
            self.service_boxes[sid] = check
            grid.addWidget(check, i // 2, i % 2)
        grid.addWidget(self.problems["services"], (len(services) + 1) // 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box)
        layout.addWidget(
            note(
                _(
                    "traywatch checks a few public addresses of each service and of independent "
                    "providers (Google, Cloudflare, Microsoft…) to tell your internet from Meta. "
                    "Services that are down are re-checked less often, so Meta is never flooded."
                )
            )
        )
        layout.addStretch(1)
        self.interval.valueChanged.connect(self.changed)
        self.timeout.valueChanged.connect(self.changed)
        self._fixed = set(fixed)

    def load(self, values: SettingsValues) -> None:
        self.interval.setValue(values.interval_s)
        self.timeout.setValue(values.timeout_s)
        for sid, check in self.service_boxes.items():
            if sid not in self._fixed:
                check.setChecked(sid not in values.disabled)

    def read(self, values: SettingsValues) -> SettingsValues:
        out = values
        for sid, check in self.service_boxes.items():
            if sid not in self._fixed:
                out = out.with_service(sid, check.isChecked())
        return replace(out, interval_s=self.interval.value(), timeout_s=self.timeout.value())

    def show_problems(self, problems: Sequence[Problem]) -> None:
        for label in self.problems.values():
            label.show_problems(problems)

    def service_ids(self) -> list[str]:
        return list(self.service_boxes)
