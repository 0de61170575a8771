"""Settings page "Forwarding": where alerts go away from the desk (Apprise URLs: ntfy, email,
Telegram…), never a Meta service. Adding a URL stores its secret in the keyring and the masked URL
in the settings file at once; *Send a test* sends to every target. Both run off the GUI thread
(the keyring may ask to be unlocked; a mail server may be slow) and report back by signal.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.errors import TraywatchError
from traywatch.core.forward.forwarder import send_test
from traywatch.core.forward.secrets import ForwardSecrets, split_secret
from traywatch.core.forward.settings import entry_of
from traywatch.core.forward.targets import TargetRefused
from traywatch.core.net.network_errors import network_words
from traywatch.core.settings import config_file
from traywatch.core.settings.config import Config, load_config
from traywatch.core.settings.form import Problem, SettingsValues
from traywatch.i18n import N_, _, render
from traywatch.terminal import error_text
from traywatch.ui.settings.fields import named, note

log = logging.getLogger(__name__)

HELP = N_(
    "When traywatch confirms an outage it can also tell your phone or your team, through a channel "
    "that does not depend on Meta: an Apprise URL such as ntfys://ntfy.sh/your-topic or "
    "mailtos://user:password@mail.example.com?to=you@example.com. Passwords and tokens go to this "
    "computer's keyring; the settings file keeps them masked. WhatsApp, Messenger, Instagram and "
    "Facebook are refused: they fail in exactly the outage they should report. The same kinds as "
    "on the Notifications page are forwarded; alerts that cannot be sent wait and go later."
)


class ForwardPage(QWidget):
    changed = Signal()
    saved_config = Signal(object)  # the Config now in the file, after an add or remove
    job_done = Signal(str, object)  # (message, Config | None), from a pool thread

    def __init__(self, config_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config_path = config_path
        self.config: Config | None = None
        self.targets = QListWidget()
        named(self.targets, "forward_targets", _("Forwarding targets"))
        self.url = QLineEdit()
        named(self.url, "forward_url", _("Apprise URL to add"), _("Secrets in it go to the keyring"))
        self.url.setEchoMode(QLineEdit.EchoMode.Password)
        self.url.setPlaceholderText("ntfys://ntfy.sh/your-topic")
        self.show_url = QCheckBox(_("S&how"))
        named(self.show_url, "show_forward_url", _("Show the URL while typing"))
        self.show_url.toggled.connect(self._echo)
        self.add = QPushButton(_("&Add"))
        named(self.add, "forward_add", _("Add this forwarding target"))
        self.remove = QPushButton(_("&Remove"))
        named(self.remove, "forward_remove", _("Remove the selected target"))
        self.test = QPushButton(_("Send a &test"))
        named(self.test, "forward_test", _("Send a test message to every target"))
        self.result = QLabel("")
        named(self.result, "forward_result", _("Forwarding result"))
        self.result.setWordWrap(True)
        for button in (self.add, self.remove, self.test):
            button.setAutoDefault(False)
        self.add.clicked.connect(self.add_url)
        self.url.returnPressed.connect(self.add_url)
        self.remove.clicked.connect(self.remove_selected)
        self.test.clicked.connect(self.send_test)
        self.job_done.connect(self._done)
        entry = QHBoxLayout()
        entry.addWidget(self.url, 1)
        entry.addWidget(self.show_url)
        entry.addWidget(self.add)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        buttons.addWidget(self.test)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Alerts are forwarded to:")))
        layout.addWidget(self.targets, 1)
        layout.addLayout(entry)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addWidget(note(_(HELP)))

    def _echo(self, shown: bool) -> None:
        self.url.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    # -- the page, as the dialog drives it --------------------------------------------------------
    def load(self, values: SettingsValues) -> None:
        try:
            self._show(load_config(self.config_path))
        except TraywatchError as exc:
            self.result.setText(error_text(exc))

    def read(self, values: SettingsValues) -> SettingsValues:
        return values  # targets are saved when added or removed, not with OK

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Targets are checked when added (the reason shows below the list)."""

    def _show(self, config: Config) -> None:
        self.config = config
        self.targets.clear()
        for target in config.forward.targets:
            self.targets.addItem(target.shown)
        has = bool(config.forward.targets)
        self.remove.setEnabled(has)
        self.test.setEnabled(has)

    # -- jobs off the GUI thread -----------------------------------------------------------------
    def _run(self, busy: str, job: Callable[[], tuple[str, Config | None]]) -> None:
        self.result.setText(busy)
        for widget in (self.add, self.remove, self.test):
            widget.setEnabled(False)

        def work() -> None:
            try:
                outcome = job()
            except TargetRefused as exc:
                outcome = (_("Not done: {problem}").format(problem=render(exc.message)), None)
            except TraywatchError as exc:
                outcome = (_("Not done: {problem}").format(problem=error_text(exc)), None)
            except Exception as exc:  # the page must say something, whatever happened
                log.exception("forwarding job failed")
                said = network_words(exc)  # a network library's English: our sentence (logged above)
                problem = render(said) if said else f"{type(exc).__name__}: {exc}"
                outcome = (_("Not done: {problem}").format(problem=problem), None)
            with contextlib.suppress(RuntimeError):  # the dialog went away meanwhile
                self.job_done.emit(*outcome)

        QThreadPool.globalInstance().start(work)

    def _done(self, message: str, config: Config | None) -> None:
        self.result.setText(message)
        self.add.setEnabled(True)
        if config is not None:
            self._show(config)
            self.saved_config.emit(config)
        elif self.config is not None:
            self._show(self.config)

    def _entries(self) -> list[object]:
        return [entry_of(t) for t in self.config.forward.targets] if self.config else []

    def add_url(self) -> None:
        text = self.url.text().strip()
        if not text:
            return
        self.url.clear()
        path, entries = self.config_path, self._entries()

        def job() -> tuple[str, Config | None]:
            target, full = split_secret(text)
            if full is not None and target.secret_ref is not None:
                ForwardSecrets().put(target.secret_ref, full)
            saved = config_file.save(path, {("forward", "urls"): [*entries, entry_of(target)]})
            if full:
                added = _("Added {target}. Its secret is in the keyring. Try it with Send a test.")
            else:
                added = _("Added {target}. Try it with Send a test.")
            return added.format(target=target.shown), saved.config

        self._run(_("Adding…"), job)

    def remove_selected(self) -> None:
        row = self.targets.currentRow()
        if self.config is None or not 0 <= row < len(self.config.forward.targets):
            self.result.setText(_("Select a target to remove."))
            return
        target = self.config.forward.targets[row]
        entries = self._entries()
        del entries[row]
        path = self.config_path

        def job() -> tuple[str, Config | None]:
            saved = config_file.save(path, {("forward", "urls"): entries})
            if target.secret_ref:
                ForwardSecrets().delete(target.secret_ref)
            return _("Removed {target}.").format(target=target.shown), saved.config

        self._run(_("Removing…"), job)

    def send_test(self) -> None:
        if self.config is None:
            return
        targets = self.config.forward.targets

        def job() -> tuple[str, Config | None]:
            lines = [
                f"✓ {r.target.shown}" if r.error is None else f"✗ {r.target.shown}: {render(r.error)}"
                for r in send_test(targets)
            ]
            return "\n".join(lines), None

        self._run(_("Sending a test message…"), job)
