"""`traywatch history`: uptime per service and the incidents of a window, as a table or data."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime

from traywatch.commands.common import load
from traywatch.core.errors import TraywatchError
from traywatch.core.history import HistoryStore, HistoryView, load_view, reading
from traywatch.core.history.acknowledge import ack_words
from traywatch.core.history.export import incidents_csv, view_json
from traywatch.core.history.period import resolve
from traywatch.core.paths import AppPaths
from traywatch.core.verdict import wording
from traywatch.terminal import json_text

log = logging.getLogger(__name__)


def add_window_arguments(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument("--since", metavar="AGE", help=f"how far back: 90m, 24h, 7d, 30d... (default {default})")
    p.add_argument("--from", dest="start", metavar="DATE", help="first day, YYYY-MM-DD (local time)")
    p.add_argument("--to", dest="end", metavar="DATE", help="last day, YYYY-MM-DD (default: today)")
    p.add_argument("--service", metavar="ID", help="only this service (e.g. instagram)")
    # SUPPRESS: when not given here, the top-level `traywatch --config` value stays.
    p.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="use this config file")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "history",
        help="show recorded outages and honest uptime",
        description="Uptime per service (counted only while your own internet worked and traywatch "
        "was watching) and every recorded incident.",
    )
    add_window_arguments(p, "7d")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object (for scripts)")
    out.add_argument("--csv", action="store_true", help="print the incidents as CSV")
    p.set_defaults(run=run)


def open_for_reading(paths: AppPaths) -> HistoryStore:
    """Open the history read-only: never a write to it (a 0444 file or a full disk read fine)."""
    return reading.open_for_reading(paths.history_db)


def gather(args: argparse.Namespace, default: str) -> HistoryView:
    """The window's view, after checking the options (mistakes raise TraywatchError: exit 2)."""
    paths, config = load(args, network_needed=False)  # reading the record needs no network
    now = datetime.now(UTC)
    window = resolve(args.since, args.start, args.end, now, default)
    catalogue = {s.id: s.name for s in config.catalogue.services}
    with open_for_reading(paths) as store:
        known = {**catalogue, **store.service_names()}
        if args.service is not None and args.service not in known:
            raise TraywatchError(
                f"--service {args.service!r}: unknown service (known: {', '.join(sorted(known))})"
            )
        return load_view(store, window, now, args.service, catalogue)


def _pct(value: float | None) -> str:
    return "     —" if value is None else f"{value:6.2f}%"


def text_table(view: HistoryView) -> str:
    d = wording.duration
    local = "%Y-%m-%d %H:%M"
    since = view.window.since.astimezone().strftime(local)
    until = view.window.until.astimezone().strftime(local)
    lines = [f"History for {view.window.label} ({since} to {until})", ""]
    lines.append("Uptime, counted only while your internet worked and traywatch was watching:")
    width = max([len(u.name) for u in view.uptime.services] + [7])
    lines.append(
        f"  {'Service':<{width}}  {'Uptime':>7}  {'Down':>10}  {'Slow':>10}  {'Your net down':>13}  "
        f"{'Not watching':>12}"
    )
    for u in view.uptime.services:
        lines.append(
            f"  {u.name:<{width}}  {_pct(u.uptime_pct)}  {d(u.down_s):>10}  {d(u.degraded_s):>10}  "
            f"{d(u.internet_down_s):>13}  {d(u.not_watching_s + u.unknown_s):>12}"
        )
    net = view.uptime.internet
    if net.up_s + net.limited_s + net.down_s <= 0:
        lines.append(
            "  (nothing recorded in this period: traywatch records while the tray app "
            "or `traywatch watch` runs)"
        )
    lines += [
        f"  Your internet: working {d(net.up_s)}, limited {d(net.limited_s)}, down {d(net.down_s)}, "
        f"not watching {d(net.not_watching_s)}",
        "",
        f"Incidents ({len(view.incidents)}):" if view.incidents else "No incidents in this period.",
    ]
    for row in view.incidents:
        inc = row.incident
        start = inc.started_at.astimezone().strftime(local)
        end = inc.ended_at.astimezone().strftime(local) if inc.ended_at else "now"
        if end[:10] == start[:10]:
            end = end[11:]
        if row.part_of:
            lines.append(f"      ↳ {row.what}: {start} → {end} ({d(row.duration_s)})")
            continue
        lines.append(f"  {start} → {end}  {d(row.duration_s):>10}  {row.what}")
        if inc.kind.value == "meta":
            lines.append(f"      services: {', '.join(row.service_names)}")
        lines.append(f"      cause: {inc.cause}")
        lines.append(f"      your internet working: {row.internet_words}")
        if ack_words(inc):
            lines.append(f"      Meta: {ack_words(inc)}")
        if row.note:
            lines.append(f"      note: {row.note}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    view = gather(args, "7d")
    if args.json:
        print(json_text(view_json(view)))
    elif args.csv:
        sys.stdout.write(incidents_csv(view))
    else:
        print(text_table(view))
    return 0
