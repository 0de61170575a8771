"""What every command needs: the folders, the config (with a clear error), the engine."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from traywatch.core.config import MAX_INTERVAL_S, Config, load_config
from traywatch.core.paths import AppPaths, app_paths


def config_path(args: argparse.Namespace, paths: AppPaths) -> Path:
    given = getattr(args, "config", None)
    return Path(given) if given else paths.config_file


def interval_seconds(text: str) -> float:
    """argparse type of `--interval` (the tray's and `watch`'s): finite, above 0, at most a day."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_INTERVAL_S):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds above 0 and at most {MAX_INTERVAL_S:g}"
        )
    return seconds


def load(args: argparse.Namespace) -> tuple[AppPaths, Config]:
    """Resolve folders and read the config; ConfigError propagates to main() (exit 2).
    A --config the user named must exist; the default location may be missing (defaults)."""
    paths = app_paths()
    config = load_config(config_path(args, paths), required=bool(getattr(args, "config", None)))
    interval = getattr(args, "interval", None)
    if interval is not None:
        config = config.with_interval(interval)
    return paths, config
