"""A prepared history file with realistic weeks: rounds fed through the real Monitor and Recorder.

Relative to `end` (local days): an Instagram outage with an error page (5 days before, 14:10,
95 min), a Meta-wide DNS outage that Meta Status acknowledged 25 min in (3 days before, 17:40,
2 h 20 min), WhatsApp slow for 50 min (2 days before), your own internet down for 40 min
(1 day before, 08:05), and older ones for the 30-day view; the computer was off one night and
traywatch was closed for a few hours once. Used by the UI tests, the window benchmark and the
README screenshots.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.unit.history.synthetic import IDS, Driver, make_round  # noqa: E402
from traywatch.core.history import Recorder  # noqa: E402
from traywatch.core.metastatus.poller import summarise  # noqa: E402
from traywatch.core.metastatus.status import OfficialState, OfficialStatus, OrgStatus  # noqa: E402
from traywatch.core.models import InternetState, Layer  # noqa: E402

TEST_END = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)  # "now" of the tests' prepared history
OK_SUMMARY = "Everything works: your internet and all 7 Meta services answer normally."
INSTAGRAM = (
    "Instagram is down (it shows \u201csomething went wrong\u201d) while your internet and the other "
    "Meta services work."
)
META = "Meta is down: 7 of 7 services fail (their names no longer resolve) while your internet works."
OWN = "Your internet is down: neither Meta nor Google, Cloudflare or Microsoft can be reached. Not Meta."
NO_ANSWER = "none of the 6 connectivity checks answered (Google, Cloudflare, Microsoft, Apple...)"
SLOW = "WhatsApp answers slowly (4 s); everything else works normally."
FACEBOOK = "Facebook is down (no connection can be made) while your internet works."


@dataclass(frozen=True)
class Episode:
    start: datetime
    minutes: float
    kind: str  # down / slow / internet / gap
    services: tuple[str, ...] = ()
    summary: str = ""
    layer: Layer = Layer.HTTP
    detail: str = ""
    meta_ack_after_min: float | None = None  # Meta Status shows a major disruption from then on

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


def _at(end: datetime, days_before: int, hh: int, mm: int) -> datetime:
    day = (end.astimezone() - timedelta(days=days_before)).date()
    return datetime.combine(day, time(hh, mm)).astimezone().astimezone(UTC)


def episodes(end: datetime) -> list[Episode]:
    return [
        Episode(_at(end, 19, 9, 20), 15, "internet", summary=OWN),
        Episode(_at(end, 12, 10, 5), 35, "down", ("facebook",), FACEBOOK, Layer.TCP, "connection timed out"),
        Episode(_at(end, 9, 23, 30), 8 * 60, "gap"),  # the computer was off for the night
        Episode(
            _at(end, 5, 14, 10),
            95,
            "down",
            ("instagram",),
            INSTAGRAM,
            Layer.CONTENT,
            "HTTP 500 \u201cSorry, something went wrong\u201d",
        ),
        Episode(_at(end, 4, 1, 0), 4 * 60, "gap"),  # traywatch was closed
        Episode(
            _at(end, 3, 17, 40),
            140,
            "down",
            IDS,
            META,
            Layer.DNS,
            "name lookup: SERVFAIL",
            meta_ack_after_min=25,
        ),
        Episode(_at(end, 2, 11, 0), 50, "slow", ("whatsapp",), SLOW),
        Episode(_at(end, 1, 8, 5), 40, "internet", summary=OWN),
    ]


def _official(at: datetime, since: datetime | None) -> OfficialStatus:
    if since is None or at < since:
        org = OrgStatus("graph-api", "Graph API", OfficialState.OK, "No known issues")
    else:
        org = OrgStatus(
            "graph-api", "Graph API", OfficialState.MAJOR, "Major disruptions", since, posted_at=since
        )
    return summarise((org,), at)


def build(
    path: Path,
    end: datetime,
    days: int = 21,
    interval: float = 60.0,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write `days` of history ending at `end` into a new file at `path`."""
    start = end - timedelta(days=days)
    driver = Driver(start=start, interval=interval)
    recorder = Recorder(path, interval_s=interval, retention_days=days + 30, clock=driver.clock)
    recorder.start()
    driver.listeners.append(recorder)
    plan = [e for e in episodes(end) if e.end > start]
    rounds = 0
    try:
        while driver.now < end:
            now = driver.now
            active = next((e for e in plan if e.start <= now < e.end), None)
            if active is not None and active.kind == "gap":
                driver.advance((active.end - now).total_seconds())
                continue
            kwargs: dict[str, object] = {"summary": OK_SUMMARY}
            ack = None
            if active is not None:
                kwargs["summary"] = active.summary
                if active.kind == "down":
                    kwargs.update(down=active.services, layer=active.layer, detail=active.detail)
                elif active.kind == "slow":
                    kwargs["slow"] = active.services
                elif active.kind == "internet":
                    kwargs["internet"] = "down"
                if active.meta_ack_after_min is not None:
                    ack = active.start + timedelta(minutes=active.meta_ack_after_min)
            meta = next((e for e in plan if e.meta_ack_after_min is not None), None)
            if meta is not None and meta.end <= now < meta.end + timedelta(minutes=10):
                ack = meta.start + timedelta(minutes=meta.meta_ack_after_min or 0)  # Meta is slow to clear
            rnd = replace(make_round(now, **kwargs), official=_official(now, ack))  # type: ignore[arg-type]
            if rnd.internet.state is not InternetState.UP:
                rnd = replace(rnd, internet=replace(rnd.internet, detail=NO_ANSWER))
            update = driver.monitor.observe(rnd)
            recorder(update)
            driver.advance(interval)
            rounds += 1
            if progress and rounds % 5000 == 0:
                progress(f"{rounds} rounds")
    finally:
        recorder.stop()
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description="write a prepared history file")
    parser.add_argument("path", type=Path)
    parser.add_argument("--days", type=int, default=21)
    parser.add_argument("--interval", type=float, default=60.0)
    args = parser.parse_args()
    if args.path.exists():
        sys.exit(f"{args.path} exists")
    end = datetime.now(UTC).replace(second=0, microsecond=0)
    build(args.path, end, args.days, args.interval, progress=print)
    print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
