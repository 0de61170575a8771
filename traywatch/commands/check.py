"""`traywatch check`: one round, printed as JSON (scripts) or a table (terminals)."""

from __future__ import annotations

import argparse
import sys
import time

from traywatch.commands.common import load
from traywatch.core.metastatus.status import NOT_COVERED, OfficialState
from traywatch.core.models import RoundResult
from traywatch.core.signed_in.status import AccountState
from traywatch.core.watch.engine import Engine
from traywatch.i18n import N_, _, current_language, formats, render
from traywatch.terminal import json_text
from traywatch.textview import names_text, round_table

# The signed-in check's state, as shown after "Your account:" (the JSON keeps the code).
ACCOUNT_WORDS = {
    AccountState.OFF: N_("off"),
    AccountState.OK: N_("ok"),
    AccountState.TOKEN_INVALID: N_("token not accepted"),
    AccountState.LIMITED: N_("limited"),
    AccountState.API_DOWN: N_("Meta's API is failing"),
    AccountState.UNKNOWN: N_("unknown"),
    AccountState.UNAVAILABLE: N_("keyring unavailable"),
}


def account_word(state: AccountState) -> str:
    return _(ACCOUNT_WORDS[state])


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "check",
        help=_("check once and print the verdict"),
        description=_(
            "Check once. Exit codes: 0 ok, 1 Meta has problems, "
            "3 your own internet is down or limited, 2 usage or config error."
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print the JSON object (default when piped)"))
    # SUPPRESS: when not given here, `traywatch --config PATH check` keeps the top-level value.
    p.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=_("use this config file"))
    p.set_defaults(run=run)


def evidence_lines(rnd: RoundResult) -> list[str]:
    """Meta's own word and the signed-in check, under the table (terminals only)."""
    lines = []
    official = rnd.official
    if official is not None:
        detail = render(official.detail)
        # A detail that names Meta Status itself is said as it is; the others get the name first.
        if not official.detail.startswith("Meta"):
            detail = _("Meta Status: {detail}").format(detail=detail)
        if official.checked_at:
            when = formats.clock(official.checked_at, current_language())
            detail = _("{detail} (read at {time})").format(detail=detail, time=when)
        lines.append(detail)
        uncovered = [s.name for s in rnd.services if official.service_state(s.id) is None]
        if uncovered and official.state is not OfficialState.UNAVAILABLE:
            listed = names_text(uncovered, limit=6)
            lines.append(_("  {services}: {state}").format(services=listed, state=render(NOT_COVERED())))
    account = rnd.account
    if account is not None and account.state is not AccountState.OFF:
        lines.append(
            _("Your account: {state} — {detail}").format(
                state=account_word(account.state), detail=render(account.detail)
            )
        )
        if account.action:
            lines.append(_("  What to do: {action}").format(action=render(account.action)))
    return lines


def run(args: argparse.Namespace) -> int:
    config = load(args)[1]
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
