"""What every command needs: the folders, the config (with a clear error), the engine."""

from __future__ import annotations

import argparse
from pathlib import Path

from traywatch.core.config import Config, load_config
from traywatch.core.paths import AppPaths, app_paths


def config_path(args: argparse.Namespace, paths: AppPaths) -> Path:
    given = getattr(args, "config", None)
    return Path(given) if given else paths.config_file


def load(args: argparse.Namespace) -> tuple[AppPaths, Config]:
    """Resolve folders and read the config; ConfigError propagates to main() (exit 2)."""
    paths = app_paths()
    config = load_config(config_path(args, paths))
    interval = getattr(args, "interval", None)
    if interval is not None:
        config = config.with_interval(interval)
    return paths, config
