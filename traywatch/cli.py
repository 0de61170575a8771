"""Entry point: `traywatch` starts the tray app; sub-commands run headless on the core alone."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from traywatch import __version__
from traywatch.commands import account, check, forward, history, report, watch
from traywatch.commands.common import interval_seconds
from traywatch.core.errors import TraywatchError
from traywatch.core.paths import app_paths
from traywatch.log import setup_logging

log = logging.getLogger(__name__)

NO_DISPLAY = (
    "traywatch: no graphical display found (DISPLAY / WAYLAND_DISPLAY are not set), "
    "so the tray icon cannot be shown.\n"
    "On a machine without a desktop use the headless commands instead:\n"
    "  traywatch check     check once: is it your internet, or is it Meta?\n"
    "  traywatch watch     keep watching and print a line per check\n"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="traywatch",
        description="Is it my internet, or is it Meta? Without a command, starts the tray app.",
    )
    parser.add_argument("--version", action="version", version=f"traywatch {__version__}")
    parser.add_argument("--verbose", action="store_true", help="log debug details to the console")
    parser.add_argument("--config", metavar="PATH", help="use this config file")
    parser.add_argument(
        "--interval",
        type=interval_seconds,
        metavar="SECONDS",
        help="seconds between checks (this run only)",
    )
    parser.add_argument("--show", choices=("history", "settings"), help="open this window at start")
    parser.add_argument(
        "--self-check", action="store_true", help="print folders, keyring, Qt platform and tray; exit"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (check, watch, history, report, account, forward):
        module.add_parser(subparsers)
    return parser


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "vnc")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_tray(args: argparse.Namespace) -> int:
    if not has_display() and not args.self_check:
        sys.stderr.write(NO_DISPLAY)
        return 2
    try:
        from traywatch.ui.app import main as ui_main
    except ImportError as exc:
        sys.stderr.write(
            f"traywatch: the tray app needs PySide6, which is not installed ({exc}).\n"
            "Install it with: pip install PySide6-Essentials — or use `traywatch check`.\n"
        )
        return 2
    return int(ui_main(args))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    paths = app_paths()
    headless = args.command is not None
    setup_logging(None if headless else paths.log_file, verbose=args.verbose)
    try:
        if args.self_check:
            from traywatch.selfcheck import run as self_check

            return int(self_check(args))
        if headless:
            return int(args.run(args))
        return run_tray(args)
    except TraywatchError as exc:
        sys.stderr.write(f"traywatch: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
