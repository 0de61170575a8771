"""Settings page "Meta account": the optional Graph API token and WhatsApp phone-number id, kept
only in the operating system's keyring (traywatch.core.signed_in.credentials), never in the settings file.

The token field never shows the stored secret (only a masked hint); typing a new one and saving
replaces it. The keyring is asked off the GUI thread (it may be slow, or ask to be unlocked).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.settings.form import Problem, SettingsValues
from traywatch.core.signed_in.credentials import (
    GRAPH_TOKEN,
    WHATSAPP_PHONE_ID,
    CredentialError,
    CredentialStore,
    KeyringStatus,
)
from traywatch.i18n import N_, _, render
from traywatch.ui.settings.fields import ProblemLabel, buddy, field_row, named, note
from traywatch.ui.tasks import run_task

log = logging.getLogger(__name__)

NOT_AVAILABLE = N_("Signed-in checks are not available in this version of traywatch.")
HELP = N_(
    "Optional. With your own Graph API access token traywatch also makes one cheap signed-in call "
    "per check, which sees outages where pages load but logins fail (as in March 2024). The token "
    "stays in this computer's keyring; it is never written to the settings file or the history. "
    "On a computer without a desktop: `traywatch account set-token`."
)


@dataclass(frozen=True)
class AccountInfo:
    """What the keyring said (read off the GUI thread); never the secret itself."""

    keyring: KeyringStatus
    token: str | None  # masked
    phone_id: str | None
    problem: str | None = None


def read_info(store: CredentialStore) -> AccountInfo:
    keyring = store.status()
    stored = store.stored()
    try:
        token = store.masked(GRAPH_TOKEN) if GRAPH_TOKEN in stored else None
        phone = store.get(WHATSAPP_PHONE_ID) if WHATSAPP_PHONE_ID in stored else None
    except CredentialError as exc:
        return AccountInfo(keyring, None, None, exc.message)
    return AccountInfo(keyring, token, phone)


def status_words(info: AccountInfo) -> str:
    if not info.keyring.available:
        return _(
            "No secure keyring on this computer ({keyring}). A token cannot be stored here, so "
            "signed-in checks stay off."
        ).format(keyring=render(info.keyring.description))
    if info.problem:
        return _("The stored token cannot be read: {problem}").format(problem=render(info.problem))
    if info.token and info.phone_id:
        return _("A token is stored in {keyring}: {token}. WhatsApp phone-number id: {phone}.").format(
            keyring=render(info.keyring.description), token=info.token, phone=info.phone_id
        )
    if info.token:
        return _("A token is stored in {keyring}: {token}.").format(
            keyring=render(info.keyring.description), token=info.token
        )
    return _("No token stored: signed-in checks are off. It would be kept in {keyring}.").format(
        keyring=render(info.keyring.description)
    )


class AccountPage(QWidget):
    changed = Signal()

    def __init__(self, credentials: CredentialStore | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.credentials = credentials
        self.info: AccountInfo | None = None
        self.status = QLabel(_("Asking the keyring…"))
        named(self.status, "account_status", _("Meta account status"))
        self.status.setWordWrap(True)
        self.use = QCheckBox(_("&Use my token for signed-in checks"))
        named(self.use, "account_enabled", _("Use my token for signed-in checks"))
        self.token = QLineEdit()
        named(
            self.token, "token", _("Graph API access token"), _("Paste a token to store it; it is not shown")
        )
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(_("Paste a Graph API access token"))
        self.show_token = QCheckBox(_("S&how"))
        named(self.show_token, "show_token", _("Show the token while typing"))
        self.show_token.toggled.connect(self._echo)
        self.phone = QLineEdit()
        named(
            self.phone,
            "phone_id",
            _("WhatsApp phone-number id"),
            _("Optional: your WhatsApp Business number's id"),
        )
        self.phone.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,25}"), self.phone))
        self.phone.setPlaceholderText(_("optional, e.g. 106540352242922"))
        self.remove = QPushButton(_("&Remove from this computer"))
        named(self.remove, "remove_token", _("Remove the token from this computer"))
        self.remove.setAutoDefault(False)
        self.remove.clicked.connect(self.remove_credentials)
        self.problem = ProblemLabel("account")
        token_row = QWidget()
        token_line = QHBoxLayout(token_row)
        token_line.setContentsMargins(0, 0, 0, 0)
        token_line.addWidget(self.token, 1)
        token_line.addWidget(self.show_token)
        form = QFormLayout()
        form.addRow(self.status)
        form.addRow(self.use)
        form.addRow(buddy(_("Access &token:"), self.token), token_row)
        form.addRow(buddy(_("&WhatsApp phone-number id:"), self.phone), self.phone)
        form.addRow("", field_row(self.remove))
        form.addRow(self.problem)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note(_(HELP)))
        layout.addStretch(1)
        self.use.toggled.connect(self.changed)
        self.token.textChanged.connect(self.changed)
        self.phone.textChanged.connect(self.changed)
        if credentials is None:
            self.status.setText(_(NOT_AVAILABLE))
            for widget in (self.use, self.token, self.show_token, self.phone, self.remove):
                widget.setEnabled(False)

    def _echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.token.setEchoMode(mode)

    # -- the keyring, off the GUI thread ------------------------------------------------------
    def refresh(self) -> None:
        store = self.credentials
        if store is None:
            return
        self.status.setText(_("Asking the keyring…"))
        # The page must say something, whatever the keyring does: a failure is shown as "no keyring".
        run_task(lambda: read_info(store), self, self._show_info, self._show_keyring_failure)

    def _show_keyring_failure(self, message: str) -> None:
        self._show_info(AccountInfo(KeyringStatus(False, None, message), None, None))

    def _show_info(self, info: AccountInfo) -> None:
        self.info = info
        self.status.setText(status_words(info))
        usable = info.keyring.available
        self.token.setEnabled(usable)
        self.phone.setEnabled(usable)
        self.remove.setEnabled(usable and (info.token is not None or info.phone_id is not None))
        self.token.setPlaceholderText(
            _("Stored: {token} (paste a new token to replace it)").format(token=info.token)
            if info.token
            else _("Paste a Graph API access token")
        )
        self.phone.blockSignals(True)
        self.phone.setText(info.phone_id or "")
        self.phone.blockSignals(False)

    # -- the page ------------------------------------------------------------------------------
    def load(self, values: SettingsValues) -> None:
        self.use.setChecked(values.account_enabled)
        self.token.clear()
        self.problem.show_problems([])
        self.refresh()

    def read(self, values: SettingsValues) -> SettingsValues:
        return replace(values, account_enabled=self.use.isChecked())

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """The account's own problems are shown when saving (the keyring says why)."""

    def pending(self) -> bool:
        stored_phone = self.info.phone_id if self.info else None
        return bool(self.token.text().strip()) or (self.phone.text().strip() or None) != stored_phone

    def apply(self) -> str | None:
        """Store what was typed; the reason when the keyring refused (nothing else is written)."""
        store = self.credentials
        if store is None or not self.pending():
            return None
        try:
            if self.token.text().strip():
                store.set(GRAPH_TOKEN, self.token.text())
            phone = self.phone.text().strip()
            stored_phone = self.info.phone_id if self.info else None
            if phone and phone != stored_phone:
                store.set(WHATSAPP_PHONE_ID, phone)
            elif not phone and stored_phone:
                store.delete(WHATSAPP_PHONE_ID)
        except CredentialError as exc:
            self.problem.show_problems([Problem("account", exc.message)])
            return exc.message
        self.token.clear()
        self.problem.show_problems([])
        self.refresh()
        return None

    def remove_credentials(self) -> None:
        if self.credentials is None:
            return
        try:
            self.credentials.clear()
        except CredentialError as exc:
            self.problem.show_problems([Problem("account", exc.message)])
            return
        self.token.clear()
        self.refresh()
