"""The languages traywatch speaks, and which one the system asks for."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

# Code (as in the catalogue folders) -> the language's own name, as shown in Settings.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "pt_BR": "Português (Brasil)",
    "fr": "Français",
    "de": "Deutsch",
    "id": "Bahasa Indonesia",
    "hi": "हिन्दी",
}
DEFAULT = "en"


def match(tag: str | None) -> str | None:
    """The supported language a locale tag asks for: 'es_MX.UTF-8' -> 'es', 'pt-PT' -> 'pt_BR'
    (the one Portuguese offered), 'in_ID' -> 'id'; None for 'C', 'POSIX' or an unknown one."""
    if not tag:
        return None
    tag = tag.split(".")[0].split("@")[0].replace("-", "_").strip()
    if tag in LANGUAGES:
        return tag
    base = tag.split("_")[0].lower()
    base = {"in": "id", "pt": "pt_BR"}.get(base, base)  # 'in' is Java's old code for Indonesian
    return base if base in LANGUAGES else None


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the system asks for, as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES,
    LANG; on Windows the user's display language), or English."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        for tag in value.split(":"):  # LANGUAGE is a list of preferences
            found = match(tag)
            if found:
                return found
        if var != "LANGUAGE":
            return DEFAULT  # the first variable set decides, as for gettext (C, POSIX: English)
    if sys.platform == "win32":
        return match(_windows_ui_language()) or DEFAULT
    return DEFAULT


def _windows_ui_language() -> str | None:  # pragma: no cover - Windows only (smoke-tested under Wine)
    import ctypes

    buf = ctypes.create_unicode_buffer(85)
    if ctypes.windll.kernel32.GetUserDefaultLocaleName(buf, len(buf)):  # type: ignore[attr-defined]
        return buf.value
    return None


def chosen_language(setting: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: an explicit choice (`--lang`, `[ui] language`) when traywatch
    speaks it, else the system's ("auto", None, or a tag such as 'es_MX')."""
    if setting and setting != "auto":
        found = match(setting)
        if found:
            return found
    return system_language(environ)
