"""`traywatch watch`: the monitor headless, a line per round and per alert, until Ctrl-C,
SIGTERM or SIGHUP (all three a normal stop, exit 0)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from traywatch.commands.common import interval_seconds, load
from traywatch.commands.stop_signals import run_until_stopped
from traywatch.core.assembly import assemble
from traywatch.core.monitor import MonitorUpdate
from traywatch.textview import alert_line, round_line


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("watch", help="watch continuously without a tray (headless PCs)")
    p.add_argument("--json", action="store_true", help="print JSON lines (default when piped)")
    # SUPPRESS: when not given here, the top-level `traywatch --interval/--config` values stay.
    p.add_argument(
        "--interval",
        type=interval_seconds,
        metavar="SECONDS",
        default=argparse.SUPPRESS,
        help="seconds between checks",
    )
    p.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="use this config file")
    p.set_defaults(run=run)


def printer(as_json: bool) -> Callable[[MonitorUpdate], None]:
    def emit(update: MonitorUpdate) -> None:
        if as_json:
            print(json.dumps({"type": "round", **update.snapshot.round.to_json()}, ensure_ascii=False))
            for alert in update.alerts:
                print(json.dumps(alert.to_json(), ensure_ascii=False))
        else:
            print(round_line(update.snapshot.round))
            for alert in update.alerts:
                print(alert_line(alert))
        sys.stdout.flush()

    return emit


def run(args: argparse.Namespace) -> int:
    paths, config = load(args)
    as_json = args.json or not sys.stdout.isatty()
    # The history is recorded here too, so a headless always-on shop PC keeps a record; every
    # alert is printed, and the notification policy runs headless for the forwarding hooks.
    machine = assemble(config, paths.history_db, listeners=[printer(as_json)], headless=True)
    machine.start()
    try:
        # Ctrl-C, SIGTERM (systemd) and SIGHUP all stop it normally: the recorder then
        # ends its session, so the history shows no crash.
        run_until_stopped(machine.watcher)
    finally:
        machine.close()
    return 0
