"""Parsing the TOML of a settings file or catalogue into plain data, every failure a ConfigError
naming the file: broken syntax, and nesting so deep (`a = [[[[…` thousands of levels) that the
parser runs out of stack, which would otherwise end traywatch with a RecursionError traceback."""

from __future__ import annotations

import tomllib
from typing import Any

from traywatch.core.errors import ConfigError

TOO_DEEP = "is nested too deeply to be read (lists or tables inside one another, thousands of levels deep)"


def parse_toml(text: str, source: str, broken: str = "is not valid TOML") -> dict[str, Any]:
    """The document as dicts and lists. `source` names the file in the ConfigError; `broken` is
    the words for invalid syntax ("would not be valid TOML" for a file about to be written)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, f"{broken}: {exc}") from exc
    except RecursionError:
        raise ConfigError(source, TOO_DEEP) from None
