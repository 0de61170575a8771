"""The language the command line speaks: `--lang CODE`, else `[ui] language` in the config file,
else the system's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG; on Windows the user's locale)."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path

from traywatch.core.errors import TraywatchError
from traywatch.core.paths import AppPaths
from traywatch.core.settings.small_file import read_small_text
from traywatch.core.settings.toml_text import parse_toml
from traywatch.core.watch.assembly import config_file
from traywatch.i18n import LANGUAGES, _, chosen_language, set_language
from traywatch.i18n.languages import match

log = logging.getLogger(__name__)

OPTION = "--lang"
AUTO = "auto"


def language_code(text: str) -> str:
    """argparse type of `--lang`: a language traywatch speaks ('es', 'pt_BR', 'pt-BR', 'es_MX'
    said as Spanish) or 'auto'; anything else is a usage error naming the choices."""
    if text.strip().lower() == AUTO:
        return AUTO
    found = match(text)
    if found is None:
        choices = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a language traywatch speaks; choose one of: {choices}, or auto").format(
                value=text, choices=choices
            )
        )
    return found


def add_language_option(parser: argparse.ArgumentParser, *, keep_earlier: bool = False) -> None:
    """`--lang`; on a sub-command (`keep_earlier`) it does not undo one given before it."""
    parser.add_argument(
        OPTION,
        dest="lang",
        type=language_code,
        metavar="CODE",
        default=argparse.SUPPRESS if keep_earlier else None,
        help=_("the language to speak: {codes}, or auto (the system's; the default)").format(
            codes=", ".join(LANGUAGES)
        ),
    )


def language_asked(words: Sequence[str]) -> str | None:
    """The `--lang` value on a command line before it is parsed (the last one wins, as for the
    parser), or None when there is none or it is not a language (the parser then says so)."""
    asked: str | None = None
    for i, word in enumerate(words):
        if word == "--":
            break
        value = None
        if word == OPTION and i + 1 < len(words):
            value = words[i + 1]
        elif word.startswith(OPTION + "="):
            value = word.partition("=")[2]
        if value is not None:
            try:
                asked = language_code(value)
            except argparse.ArgumentTypeError:
                asked = None
    return asked


def configured_language(path: Path) -> str | None:
    """`[ui] language` of a config file, or None. Read quietly: a missing or broken file is the
    command's to report (in the system's language), not this reading's."""
    try:
        data = parse_toml(read_small_text(path), str(path))
    except (TraywatchError, OSError, UnicodeDecodeError, ValueError) as exc:
        log.debug("no language read from %s: %s", path, exc)
        return None
    ui = data.get("ui")
    value = ui.get("language") if isinstance(ui, dict) else None
    return value if isinstance(value, str) else None


def choose_language(asked: str | None, given_config: str | None = None, paths: AppPaths | None = None) -> str:
    """Speak the language asked for with `--lang`; else the config file's (when the folders are
    known), else the system's. Returns the language now in use."""
    setting = asked
    if setting is None and paths is not None:
        setting = configured_language(config_file(given_config, paths))
    return set_language(chosen_language(setting))
