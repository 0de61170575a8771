"""`traywatch watch`: the monitor headless, a line per round and per alert, until Ctrl-C,
SIGTERM or SIGHUP (all three a normal stop, exit 0), or until its output fails (a reader that
went away ends it quietly too)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from traywatch.commands.common import interval_seconds, load
from traywatch.commands.stop_signals import run_until_stopped
from traywatch.core.watch.assembly import assemble
from traywatch.core.watch.monitor import MonitorUpdate
from traywatch.i18n import _
from traywatch.terminal import OutputClosed, OutputFailed, json_text
from traywatch.textview import alert_line, round_line


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("watch", help=_("watch continuously without a tray (headless PCs)"))
    p.add_argument("--json", action="store_true", help=_("print JSON lines (default when piped)"))
    # SUPPRESS: when not given here, the top-level `traywatch --interval/--config` values stay.
    p.add_argument(
        "--interval",
        type=interval_seconds,
        metavar="SECONDS",
        default=argparse.SUPPRESS,
        help=_("seconds between checks"),
    )
    p.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=_("use this config file"))
    p.set_defaults(run=run)


class Printer:
    """The listener that prints a line per round and per alert. When standard output fails (the
    reader went away, the disk is full) it stops the watch instead of failing every round; run()
    raises the failure once the watch has ended."""

    def __init__(self, as_json: bool, on_failure: Callable[[], None]) -> None:
        self.as_json = as_json
        self.on_failure = on_failure
        self.failure: OutputClosed | OutputFailed | None = None

    def __call__(self, update: MonitorUpdate) -> None:
        if self.failure is not None:
            return
        try:
            self._print(update)
        except (OutputClosed, OutputFailed) as exc:
            self.failure = exc
            self.on_failure()

    def _print(self, update: MonitorUpdate) -> None:
        if self.as_json:
            print(json_text({"type": "round", **update.snapshot.round.to_json()}))
            for alert in update.alerts:
                print(json_text(alert.to_json()))
        else:
            print(round_line(update.snapshot.round))
            for alert in update.alerts:
                print(alert_line(alert))
        sys.stdout.flush()


def run(args: argparse.Namespace) -> int:
    paths, config = load(args)
    as_json = args.json or not sys.stdout.isatty()
    # The history is recorded here too, so a headless always-on shop PC keeps a record, and
    # confirmed alerts are forwarded (when the config has targets) as from the tray.
    printer = Printer(as_json, on_failure=lambda: None)
    machine = assemble(config, paths.history_db, listeners=[printer])
    printer.on_failure = machine.watcher.stop
    try:
        # Ctrl-C, SIGTERM and SIGHUP stop it normally, also while the history opens, and so does
        # a reader that goes away: the recorder then ends its session, so the history shows no
        # crash.
        run_until_stopped(machine.watcher, on_start=machine.start)
    finally:
        machine.close()
    if printer.failure is not None:
        raise printer.failure
    return 0
