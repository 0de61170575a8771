"""`traywatch report`: the outage report as a printable HTML page (or CSV) for a window."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from traywatch.commands.history import add_window_arguments, gather
from traywatch.core.errors import TraywatchError
from traywatch.core.history.export import report_csv
from traywatch.core.history.report import render_html
from traywatch.core.settings.small_file import os_error_text
from traywatch.i18n import N_, _
from traywatch.terminal import markup_text

OUT_HELP = N_(
    "where to write it ('-' for the screen); default: traywatch-report-DATE.html in the current folder"
)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "report",
        help=_("write an outage report (HTML page or CSV) to show an accountant, insurer or Meta"),
        description=_(
            "Write a self-contained HTML page (opens in any browser, prints well) with uptime "
            "per service and every incident; --csv writes the same as CSV for a spreadsheet."
        ),
    )
    add_window_arguments(p, "30d")
    p.add_argument(
        "--out",
        metavar="FILE",
        help=_(OUT_HELP),
    )
    p.add_argument("--csv", action="store_true", help=_("CSV instead of HTML (also when FILE ends in .csv)"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    as_csv = args.csv or (args.out or "").lower().endswith(".csv")
    view = gather(args, "30d")
    text = report_csv(view) if as_csv else render_html(view)
    if args.out == "-":
        sys.stdout.write(text if as_csv else markup_text(text))
        return 0
    out = (
        Path(args.out)
        if args.out
        else Path(f"traywatch-report-{date.today().isoformat()}.{'csv' if as_csv else 'html'}")
    )
    try:
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise TraywatchError(
            _("cannot write the report to {path}: {reason}").format(path=out, reason=os_error_text(exc))
        ) from exc
    print(_("Report written to {path}").format(path=out.resolve()))
    return 0
