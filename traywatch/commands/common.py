"""What every command needs from its arguments: the folders and the config (with a clear error).
The reading itself is the core's (core/watch/assembly.py), shared with the tray app."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from traywatch.core.paths import AppPaths, app_paths
from traywatch.core.settings.config import MAX_INTERVAL_S, Config, load_config
from traywatch.core.watch.assembly import config_file, load_settings
from traywatch.i18n import _


def config_path(args: argparse.Namespace, paths: AppPaths) -> Path:
    return config_file(getattr(args, "config", None), paths)


def interval_seconds(text: str) -> float:
    """argparse type of `--interval` (the tray's and `watch`'s): finite, above 0, at most a day."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_INTERVAL_S):
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a number of seconds above 0 and at most {most}").format(
                value=text, most=f"{MAX_INTERVAL_S:g}"
            )
        )
    return seconds


def load(args: argparse.Namespace, *, network_needed: bool = True) -> tuple[AppPaths, Config]:
    """Resolve folders and read the config; ConfigError propagates to main() (exit 2).
    A --config the user named must exist; the default location may be missing (defaults).
    Commands that never go online (history, report) pass `network_needed=False`: a mistake in
    `[network]` (a CA file since removed) is then a warning, not a refusal."""
    if not network_needed:
        paths = app_paths()
        given = getattr(args, "config", None)
        return paths, load_config(config_file(given, paths), required=bool(given), network_needed=False)
    return load_settings(getattr(args, "config", None), getattr(args, "interval", None))
