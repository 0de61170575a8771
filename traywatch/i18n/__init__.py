"""The owner's language: message codes, gettext catalogues, and locale formats (no Qt)."""

from traywatch.i18n.catalogs import N_, _, current_language, ngettext, pgettext, set_language
from traywatch.i18n.languages import LANGUAGES, chosen_language, system_language
from traywatch.i18n.message import Decimal, Duration, Message, Moment, Names, Template, join, names
from traywatch.i18n.render import render

__all__ = [
    "LANGUAGES",
    "N_",
    "Decimal",
    "Duration",
    "Message",
    "Moment",
    "Names",
    "Template",
    "_",
    "chosen_language",
    "current_language",
    "join",
    "names",
    "ngettext",
    "pgettext",
    "render",
    "set_language",
    "system_language",
]
