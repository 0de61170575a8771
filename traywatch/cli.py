"""Entry point: `traywatch` starts the tray app; sub-commands run headless on the core alone."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import NoReturn

from traywatch import STARTED, __version__
from traywatch.commands import account, check, forward, history, report, watch
from traywatch.commands.argparse_words import speaking_ours
from traywatch.commands.common import interval_seconds
from traywatch.commands.language import add_language_option, choose_language, language_asked
from traywatch.core.errors import TraywatchError
from traywatch.core.paths import app_paths
from traywatch.core.redact import without_tokens
from traywatch.i18n import N_, _
from traywatch.log import setup_logging
from traywatch.terminal import (
    OutputClosed,
    OutputFailed,
    complain,
    error_text,
    guarded_stdout,
    prepare_streams,
)

log = logging.getLogger(__name__)

NO_DISPLAY = N_(
    "no graphical display found (DISPLAY / WAYLAND_DISPLAY are not set), "
    "so the tray icon cannot be shown.\n"
    "On a machine without a desktop use the headless commands instead:\n"
    "  traywatch check     check once: is it your internet, or is it Meta?\n"
    "  traywatch watch     keep watching and print a line per check"
)


class Parser(argparse.ArgumentParser):
    """argparse, except that a usage error never repeats an access token typed in the wrong
    place ("unrecognized arguments: EAAG..."). Sub-command parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        super().error(without_tokens(message))

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """As argparse's, except that options nobody knows are refused by the (sub-)command
        they were given to, with its usage (`check --bogus` shows check's, not the top level's)."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            _innermost(self, parsed).error(
                _("unrecognized arguments: {arguments}").format(arguments=" ".join(extras))
            )
        return parsed


def _innermost(parser: argparse.ArgumentParser, parsed: argparse.Namespace) -> argparse.ArgumentParser:
    """The deepest command parser the parsed arguments chose (`account status` → its parser)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            value = getattr(parsed, action.dest, None)
            if isinstance(value, str) and value in action.choices:
                return _innermost(action.choices[value], parsed)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="traywatch",
        description=_("Is it my internet, or is it Meta? Without a command, starts the tray app."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"traywatch {__version__}",
        help=_("show the version and exit"),
    )
    parser.add_argument("--verbose", action="store_true", help=_("log debug details to the console"))
    parser.add_argument("--config", metavar="PATH", help=_("use this config file"))
    parser.add_argument(
        "--interval",
        type=interval_seconds,
        metavar="SECONDS",
        help=_("seconds between checks (this run only)"),
    )
    parser.add_argument("--show", choices=("history", "settings"), help=_("open this window at start"))
    parser.add_argument(
        "--quit", action="store_true", help=_("ask the running tray app to quit, and wait until it has")
    )
    parser.add_argument(
        "--self-check", action="store_true", help=_("print folders, keyring, Qt platform and tray; exit")
    )
    add_language_option(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (check, watch, history, report, account, forward):
        module.add_parser(subparsers)
    for sub in _command_parsers(parser):  # `traywatch check --lang es` works too
        add_language_option(sub, keep_earlier=True)
    return parser


def _command_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every (sub-)command parser under `parser`, nested ones too (`account status`)."""
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found += [sub, *_command_parsers(sub)]
    return found


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "vnc")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_tray(args: argparse.Namespace) -> int:
    if not has_display() and not args.quit:  # --quit only talks to the running app
        complain(_(NO_DISPLAY))
        return 2
    try:
        from traywatch.ui.app import main as ui_main
    except ImportError as exc:
        complain(
            _(
                "the tray app needs PySide6, which is not installed ({reason}).\n"
                "Install it with: pip install PySide6-Essentials — or use `traywatch check`."
            ).format(reason=exc)
        )
        return 2
    return int(ui_main(args))


def _run(args: argparse.Namespace) -> int:
    if args.self_check:
        from traywatch.selfcheck import run as self_check

        return int(self_check(args))
    return int(args.run(args))


def main(argv: Sequence[str] | None = None) -> int:
    # argparse's own words ("usage:", "error:") come from our catalogue, for this run only.
    with speaking_ours():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    # The process's own command line (argv None) counts from the process's start, so start-up is
    # inside `check`'s deadline; a caller in a longer-lived process counts from this call.
    started = STARTED if argv is None else time.monotonic()
    prepare_streams()
    words = sys.argv[1:] if argv is None else list(argv)
    # The language of the help and of usage errors: --lang when given (read before the parser
    # is built, so that its help texts are in it), else the system's until the config is read.
    choose_language(language_asked(words))
    parser = build_parser()
    args = parser.parse_args(words)
    args.started = started
    try:
        paths = app_paths()
    except TraywatchError as exc:
        complain(error_text(exc))
        return 2
    choose_language(args.lang, getattr(args, "config", None), paths)
    headless = args.command is not None
    setup_logging(None if headless else paths.log_file, verbose=args.verbose)
    try:
        if not (headless or args.self_check):
            return run_tray(args)
        with guarded_stdout():  # the commands' answers: a closed pipe or full disk is caught
            return _run(args)
    except TraywatchError as exc:  # the value checks quote what was typed: never a token
        complain(without_tokens(error_text(exc)))
        return 2
    except OutputClosed:  # the reader went away (`| head -1`): nothing to say, as `yes | head` does
        return 0
    except OutputFailed as exc:
        complain(error_text(exc))
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
