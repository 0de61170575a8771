"""`traywatch history`: uptime per service and the incidents of a window, as a table or data."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime

from traywatch.commands.common import load
from traywatch.core.errors import TraywatchError
from traywatch.core.history import HistoryStore, HistoryView, IncidentRow, load_view, reading
from traywatch.core.history.acknowledge import ack_words
from traywatch.core.history.export import incidents_csv, view_json
from traywatch.core.history.period import resolve
from traywatch.core.paths import AppPaths
from traywatch.i18n import _, current_language, formats, ngettext, render
from traywatch.terminal import json_text

log = logging.getLogger(__name__)


def add_window_arguments(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument(
        "--since",
        metavar="AGE",
        help=_("how far back: 90m, 24h, 7d, 30d... (default {default})").format(default=default),
    )
    p.add_argument("--from", dest="start", metavar="DATE", help=_("first day, YYYY-MM-DD (local time)"))
    p.add_argument("--to", dest="end", metavar="DATE", help=_("last day, YYYY-MM-DD (default: today)"))
    p.add_argument("--service", metavar="ID", help=_("only this service (e.g. instagram)"))
    # SUPPRESS: when not given here, the top-level `traywatch --config` value stays.
    p.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=_("use this config file"))


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "history",
        help=_("show recorded outages and honest uptime"),
        description=_(
            "Uptime per service (counted only while your own internet worked and traywatch "
            "was watching) and every recorded incident."
        ),
    )
    add_window_arguments(p, "7d")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=_("print one JSON object (for scripts)"))
    out.add_argument("--csv", action="store_true", help=_("print the incidents as CSV"))
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
                _("--service {value!r}: unknown service (known: {known})").format(
                    value=args.service, known=", ".join(sorted(known))
                )
            )
        return load_view(store, window, now, args.service, catalogue)


def _pct(value: float | None) -> str:
    if value is None:
        return "—"
    return _("{percent}%").format(percent=formats.decimal(value, 2, current_language()))


def _row(cells: list[str], widths: list[int]) -> str:
    """A table row: the first cell to the left, the numbers to the right."""
    first, *rest = cells
    return "  " + "  ".join(
        [first.ljust(widths[0]), *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))]
    )


def text_table(view: HistoryView) -> str:
    lang = current_language()

    def d(seconds: float) -> str:
        return formats.duration(seconds, lang)

    local = "%Y-%m-%d %H:%M"
    since = view.window.since.astimezone().strftime(local)
    until = view.window.until.astimezone().strftime(local)
    lines = [
        _("History for {period} ({since} to {until})").format(
            period=render(view.window.label), since=since, until=until
        ),
        "",
        _("Uptime, counted only while your internet worked and traywatch was watching:"),
    ]
    header = [_("Service"), _("Uptime"), _("Down"), _("Slow"), _("Your net down"), _("Not watching")]
    rows = [
        [
            u.name,
            _pct(u.uptime_pct),
            d(u.down_s),
            d(u.degraded_s),
            d(u.internet_down_s),
            d(u.not_watching_s + u.unknown_s),
        ]
        for u in view.uptime.services
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    widths[1:] = [max(w, 7) for w in widths[1:]]
    lines += [_row(r, widths) for r in [header, *rows]]
    net = view.uptime.internet
    if net.up_s + net.limited_s + net.down_s <= 0:
        lines.append(
            _(
                "  (nothing recorded in this period: traywatch records while the tray app "
                "or `traywatch watch` runs)"
            )
        )
    lines += [
        _("  Your internet: working {up}, limited {limited}, down {down}, not watching {away}").format(
            up=d(net.up_s), limited=d(net.limited_s), down=d(net.down_s), away=d(net.not_watching_s)
        ),
        "",
    ]
    if view.incidents:
        count = len(view.incidents)
        lines.append(
            ngettext("Incidents ({count}):", "Incidents ({count}):", count).format(
                count=formats.integer(count, lang)
            )
        )
    else:
        lines.append(_("No incidents in this period."))
    for row in view.incidents:
        lines += _incident_lines(row, local)
    return "\n".join(lines)


def _incident_lines(row: IncidentRow, local: str) -> list[str]:
    inc = row.incident
    start = inc.started_at.astimezone().strftime(local)
    end = inc.ended_at.astimezone().strftime(local) if inc.ended_at else _("now")
    if inc.ended_at and end[:10] == start[:10]:
        end = end[11:]
    took = formats.duration(row.duration_s, current_language())
    what = render(row.what)
    if row.part_of:
        return [
            _("      ↳ {what}: {start} → {end} ({duration})").format(
                what=what, start=start, end=end, duration=took
            )
        ]
    lines = [f"  {start} → {end}  {took:>10}  {what}"]
    if inc.kind.value == "meta":
        lines.append(_("      services: {names}").format(names=", ".join(row.service_names)))
    lines.append(_("      cause: {cause}").format(cause=render(inc.cause)))
    lines.append(_("      your internet working: {words}").format(words=render(row.internet_words)))
    acknowledged = ack_words(inc)
    if acknowledged:
        lines.append(_("      Meta: {words}").format(words=render(acknowledged)))
    if row.note:
        lines.append(_("      note: {note}").format(note=render(row.note)))
    return lines


def run(args: argparse.Namespace) -> int:
    view = gather(args, "7d")
    if args.json:
        print(json_text(view_json(view)))
    elif args.csv:
        sys.stdout.write(incidents_csv(view))
    else:
        print(text_table(view))
    return 0
