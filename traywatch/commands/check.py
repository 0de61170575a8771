"""`traywatch check`: one round, printed as JSON (scripts) or a table (terminals)."""

from __future__ import annotations

import argparse
import json
import sys

from traywatch.commands.common import load
from traywatch.core.engine import Engine
from traywatch.textview import round_table


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "check",
        help="check once and print the verdict",
        description="Check once. Exit codes: 0 ok, 1 Meta has problems, "
        "3 your own internet is down or limited, 2 usage or config error.",
    )
    p.add_argument("--json", action="store_true", help="print the JSON object (default when piped)")
    # SUPPRESS: when not given here, `traywatch --config PATH check` keeps the top-level value.
    p.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="use this config file")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    _, config = load(args)
    with Engine(config) as engine:
        rnd = engine.run_round()
    if args.json or not sys.stdout.isatty():
        print(json.dumps(rnd.to_json(), ensure_ascii=False))
    else:
        print(round_table(rnd))
    return rnd.verdict.exit_code
