"""Parsing the TOML of a settings file or catalogue into plain data, every failure a ConfigError
naming the file: broken syntax, and nesting so deep (`a = [[[[…` thousands of levels) that the
parser runs out of stack, which would otherwise end traywatch with a RecursionError traceback."""

from __future__ import annotations

import tomllib
from typing import Any

from traywatch.core.errors import ConfigError
from traywatch.i18n import Template

# `{error}` is the TOML parser's own words (tomllib, tomlkit): not ours to translate.
NOT_VALID_TOML = Template("config.not_valid_toml", "is not valid TOML: {error}")
WOULD_NOT_BE_VALID_TOML = Template("config.would_not_be_valid_toml", "would not be valid TOML: {error}")
TOO_DEEP = Template(
    "config.too_deep",
    "is nested too deeply to be read (lists or tables inside one another, thousands of levels deep)",
)()


def parse_toml(text: str, source: str, broken: Template = NOT_VALID_TOML) -> dict[str, Any]:
    """The document as dicts and lists. `source` names the file in the ConfigError; `broken` says
    invalid syntax (`WOULD_NOT_BE_VALID_TOML` for a file about to be written)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, broken(error=str(exc))) from exc
    except RecursionError:
        raise ConfigError(source, TOO_DEEP) from None
