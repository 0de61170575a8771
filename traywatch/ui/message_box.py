"""Message boxes whose buttons say our own (translated) words: Qt ships translations of its
standard buttons for only some of the languages traywatch speaks."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from traywatch.i18n import _


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question; True for yes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(_("&Yes"), QMessageBox.ButtonRole.YesRole)
    no = box.addButton(_("&No"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A warning with one button to close it."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setDefaultButton(box.addButton(_("&OK"), QMessageBox.ButtonRole.AcceptRole))
    box.exec()
