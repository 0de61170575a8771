"""`traywatch check`: one round, printed as JSON (scripts) or a table (terminals)."""

from __future__ import annotations

import argparse
import sys
import time

from traywatch.commands.common import load
from traywatch.core.metastatus.status import NOT_COVERED, OfficialState
from traywatch.core.models import RoundResult
from traywatch.core.signed_in.status import AccountState
from traywatch.core.verdict import wording
from traywatch.core.watch.engine import Engine
from traywatch.terminal import json_text
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


def evidence_lines(rnd: RoundResult) -> list[str]:
    """Meta's own word and the signed-in check, under the table (terminals only)."""
    lines = []
    official = rnd.official
    if official is not None:
        checked = f" (read at {wording.clock(official.checked_at)})" if official.checked_at else ""
        words = official.detail if official.detail.startswith("Meta") else f"Meta Status: {official.detail}"
        lines.append(f"{words}{checked}")
        uncovered = [s.name for s in rnd.services if official.service_state(s.id) is None]
        if uncovered and official.state is not OfficialState.UNAVAILABLE:
            lines.append(f"  {wording.join_names(uncovered, limit=6)}: {NOT_COVERED}")
    account = rnd.account
    if account is not None and account.state is not AccountState.OFF:
        lines.append(f"Your account: {account.state.value} — {account.detail}")
        if account.action:
            lines.append(f"  What to do: {account.action}")
    return lines


def run(args: argparse.Namespace) -> int:
    _, config = load(args)
    # One deadline for the whole command, counted from the process's start: start-up, the round,
    # Meta Status and the signed-in check all fit in `[check] timeout`.
    deadline = getattr(args, "started", time.monotonic()) + config.check.timeout_s
    with Engine(config) as engine:
        rnd = engine.check_once(deadline)
    if args.json or not sys.stdout.isatty():
        print(json_text(rnd.to_json()))
    else:
        print("\n".join([round_table(rnd), "", *evidence_lines(rnd)]))
    return rnd.verdict.exit_code
