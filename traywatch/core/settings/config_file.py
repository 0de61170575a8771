"""Writing the config file (the settings dialog's changes): only the changed keys are touched.

The file is edited with tomlkit, so the owner's comments, layout and unknown keys stay as they
were. The result is validated with `parse_config` *before* anything is written; the write is
atomic (a temporary file in the same folder, then `os.replace`) and the previous file is kept
as `config.toml.bak`. A file that is not valid TOML is never overwritten: `ConfigFileBroken`
says so, and only `start_fresh()` (the owner's explicit choice) moves it aside.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.toml_document import TOMLDocument

from traywatch.core.errors import ConfigError
from traywatch.core.settings.config import Config, parse_config
from traywatch.core.settings.small_file import CANNOT_BE_READ, os_error_text, read_small_text
from traywatch.core.settings.toml_text import NOT_VALID_TOML, TOO_DEEP, WOULD_NOT_BE_VALID_TOML, parse_toml
from traywatch.i18n import Template

log = logging.getLogger(__name__)

HEADER = (
    "# traywatch settings (TOML). The settings dialog changes only the keys you change there;\n"
    "# your comments and other keys are kept. Delete a line to get the default back.\n"
)


class _Remove:
    def __repr__(self) -> str:
        return "REMOVE"


REMOVE: Any = _Remove()  # as a value in Changes: delete the key (the default applies again)
Changes = Mapping[tuple[str, str], Any]  # (section, key) -> new value, or REMOVE
NOT_A_TABLE_IN_FILE = Template("config.not_a_table_in_file", "is not a table in the file; fix it there first")
# `{error}` is the operating system's own words (`os_error_text`).
CANNOT_BE_WRITTEN = Template("config.cannot_be_written", "cannot be written: {error}")


class ConfigFileBroken(ConfigError):
    """The file exists but cannot be edited safely (not valid TOML, unreadable); `reason` is a
    Message ("is not valid TOML: …") said after the file's name (`message`)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(str(path), reason)
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Saved:
    config: Config  # the validated settings now in the file
    backup: Path | None  # the previous file, kept as .bak (None when there was none)
    changed: bool  # False when the file already said all this (nothing was written)


def read_document(path: Path) -> TOMLDocument:
    """The file as an editable document; a missing file is an empty one with a short header."""
    try:
        text = read_small_text(path)
    except FileNotFoundError:
        return tomlkit.parse(HEADER)
    except OSError as exc:
        raise ConfigFileBroken(path, CANNOT_BE_READ(error=os_error_text(exc))) from exc
    except UnicodeDecodeError as exc:  # Python's words about the bytes, said as they are
        raise ConfigFileBroken(path, CANNOT_BE_READ(error=str(exc))) from exc
    try:
        return tomlkit.parse(text)
    except (TOMLKitError, ValueError) as exc:  # tomlkit's own words, said as they are
        raise ConfigFileBroken(path, NOT_VALID_TOML(error=str(exc))) from exc
    except RecursionError:
        raise ConfigFileBroken(path, TOO_DEEP) from None


def _same(current: Any, value: Any) -> bool:
    unwrapped = current.unwrap() if hasattr(current, "unwrap") else current
    if isinstance(unwrapped, bool) or isinstance(value, bool):
        return unwrapped is value
    return bool(unwrapped == value)


def apply_changes(doc: TOMLDocument, changes: Changes) -> TOMLDocument:
    """A copy of the document with the changes made (untouched keys keep their exact text)."""
    out = tomlkit.parse(doc.as_string())
    for (section, key), value in changes.items():
        table = out.get(section)
        if value is REMOVE:
            if isinstance(table, dict) and key in table:
                del table[key]
            continue
        if table is None:
            table = tomlkit.table()
            out[section] = table
        elif not isinstance(table, dict):
            raise ConfigError(f"[{section}]", NOT_A_TABLE_IN_FILE())
        if key in table and _same(table[key], value):
            continue
        table[key] = value
    return out


def preview(path: Path, changes: Changes) -> tuple[str, Config]:
    """The new file text and the settings it gives; ConfigError when the result is not valid
    (nothing is written). ConfigFileBroken when the current file cannot be edited."""
    text = apply_changes(read_document(path), changes).as_string()
    data = parse_toml(text, str(path), WOULD_NOT_BE_VALID_TOML)  # exactly what load_config reads
    config = parse_config(data, str(path), path.parent)
    return text, replace(config, source=path)


def save(path: Path, changes: Changes) -> Saved:
    """Validate, then write atomically, keeping the previous file as `<name>.bak`."""
    text, config = preview(path, changes)
    try:
        old = read_small_text(path)
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise ConfigError(str(path), CANNOT_BE_READ(error=os_error_text(exc))) from exc
    if old == text:
        return Saved(config, None, changed=False)
    backup = path.with_name(path.name + ".bak") if old is not None else None
    try:
        _write_atomically(path, text, backup)
    except OSError as exc:
        raise ConfigError(str(path), CANNOT_BE_WRITTEN(error=os_error_text(exc))) from exc
    log.info("settings saved to %s (%d key(s) changed)", path, len(changes))
    return Saved(config, backup, changed=True)


def _write_atomically(path: Path, text: str, backup: Path | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if backup is not None:
            shutil.copy2(path, backup)  # copies the permissions too
            shutil.copymode(path, temp)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def start_fresh(path: Path, now: datetime | None = None) -> Path | None:
    """Move a broken file aside (`config.toml.broken-YYYYmmdd-HHMMSS`) so that a fresh one can be
    written; returns where it went (None when there was no file)."""
    if not path.exists():
        return None
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    path.replace(target)
    log.warning("the settings file %s was moved aside to %s to start afresh", path, target)
    return target
