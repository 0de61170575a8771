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


def system_language(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> str:
    """The language the system asks for, or English. On Windows: the user's display languages,
    in their order of preference (Settings › Time & language); the POSIX variables are not
    Windows' way and are not read there. Elsewhere as gettext reads it: LANGUAGE, LC_ALL,
    LC_MESSAGES, LANG."""
    if platform == "win32":
        for tag in _windows_ui_languages():
            found = match(tag)
            if found:
                return found
        return DEFAULT
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
    return DEFAULT


MUI_LANGUAGE_NAME = 0x8  # GetUserPreferredUILanguages: names such as "es-ES", not LANGIDs


def _windows_ui_languages() -> list[str]:  # pragma: no cover - Windows only (smoke-tested under Wine)
    """The user's display languages, most preferred first, then the regional format's language
    (asked too, in case the first call fails)."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    tags: list[str] = []
    count, size = ctypes.c_ulong(0), ctypes.c_ulong(0)
    preferred = kernel32.GetUserPreferredUILanguages
    if preferred(MUI_LANGUAGE_NAME, ctypes.byref(count), None, ctypes.byref(size)):
        buf = ctypes.create_unicode_buffer(size.value)
        if preferred(MUI_LANGUAGE_NAME, ctypes.byref(count), buf, ctypes.byref(size)):
            tags = [t for t in ctypes.wstring_at(buf, size.value).split("\0") if t]  # a double-NUL-ended list
    name = ctypes.create_unicode_buffer(85)
    if kernel32.GetUserDefaultLocaleName(name, len(name)):
        tags.append(name.value)
    return tags


def chosen_language(setting: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: an explicit choice (`--lang`, `[ui] language`) when traywatch
    speaks it, else the system's ("auto", None, or a tag such as 'es_MX')."""
    if setting and setting != "auto":
        found = match(setting)
        if found:
            return found
    return system_language(environ)
