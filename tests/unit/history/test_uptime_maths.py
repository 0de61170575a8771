"""The pure maths of honest uptime: spans, hour cuts, fitting to a window, bins, overlaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from traywatch.core.history import uptime as maths
from traywatch.core.history.records import Incident, IncidentKind

T = datetime(2024, 12, 11, 9, 0, tzinfo=UTC)


def test_overlap_is_clipped_and_never_negative() -> None:
    assert maths.overlap(100, 60, 0, 1000) == 60
    assert maths.overlap(100, 60, 130, 1000) == 30
    assert maths.overlap(100, 60, 0, 110) == 10
    assert maths.overlap(100, 60, 200, 300) == 0
    assert maths.overlap(100, -60, 0, 1000) == 0  # a negative span (clock backwards) counts nothing


def test_split_hours_cuts_at_utc_hour_boundaries() -> None:
    assert maths.split_hours(3600 * 5 - 20, 60) == [(3600 * 4, 20), (3600 * 5, 40)]
    assert maths.split_hours(3600 * 5, 0) == []
    assert maths.split_hours(3600 * 5, -5) == []


@pytest.mark.parametrize(
    ("lo", "hi", "head", "hours", "tail"),
    [
        (1800, 9000, (1800, 3600), (3600, 7200), (7200, 9000)),  # whole hour in the middle
        (1800, 3000, (1800, 3000), None, (3000, 3000)),  # inside one hour
        (1800, 5400, (1800, 3600), None, (3600, 5400)),  # across one boundary, no whole hour
        (3600, 7200, (3600, 3600), (3600, 7200), (7200, 7200)),  # exactly one hour
    ],
)
def test_hour_pieces(
    lo: float, hi: float, head: tuple[float, float], hours: tuple[int, int] | None, tail: tuple[float, float]
) -> None:
    assert maths.hour_pieces(lo, hi) == (head, hours, tail)


def test_service_bucket_puts_our_own_outage_apart_whatever_the_service_showed() -> None:
    assert maths.service_bucket("up", "down") == maths.DOWN
    assert maths.service_bucket("up", "degraded") == maths.DEGRADED
    assert maths.service_bucket("up", "unknown") == maths.UNKNOWN
    assert maths.service_bucket("down", "down") == maths.OWN
    assert maths.service_bucket("limited", "up") == maths.OWN
    assert maths.internet_bucket("limited") == maths.DEGRADED


def test_uptime_counts_only_observed_time_and_reports_the_rest_beside_it() -> None:
    totals = {"instagram": [3000.0, 0.0, 600.0, 0.0, 1200.0], "internet": [3600.0, 0.0, 1200.0, 0.0, 0.0]}
    result = maths.make_window_uptime(0, 7200, totals, ["instagram", "facebook"], {"instagram": "Instagram"})
    ig = result.service("instagram")
    assert ig is not None
    assert ig.observed_s == 3600
    assert ig.uptime_pct == pytest.approx(100 * 3000 / 3600)
    assert ig.internet_down_s == 1200
    assert ig.not_watching_s == 7200 - 3000 - 600 - 1200
    fb = result.service("facebook")
    assert fb is not None and fb.uptime_pct is None and fb.not_watching_s == 7200  # nothing observed
    assert result.internet.down_s == 1200 and result.internet.not_watching_s == 2400


def test_overlapping_sessions_after_a_clock_jump_never_exceed_the_window() -> None:
    result = maths.make_window_uptime(0, 3600, {"x": [5000.0, 0, 2200.0, 0, 0]}, ["x"], {})
    u = result.services[0]
    assert u.up_s + u.down_s == pytest.approx(3600)
    assert u.not_watching_s == 0
    assert all(v >= 0 for v in (u.up_s, u.down_s, u.degraded_s, u.unknown_s, u.internet_down_s))


def test_hour_bins_and_local_day_bins_cover_the_window() -> None:
    edges = maths.bin_edges(3600 * 10 + 5, 3600 * 13 - 5, "hour")
    assert edges == [3600.0 * h for h in range(10, 14)]
    lo = T.timestamp()
    days = maths.bin_edges(lo, lo + 3 * 86400, "day")
    assert days[0] <= lo < days[1] and days[-1] >= lo + 3 * 86400
    for edge in days:
        local = datetime.fromtimestamp(edge)
        assert (local.hour, local.minute) == (0, 0)  # local midnights


def test_bands_take_per_bin_sums_per_element_and_do_not_count_the_future_as_unwatched() -> None:
    edges = [0.0, 3600.0, 7200.0]
    rows = [(0, "x", 3000, 0, 600, 0, 0), (1, "x", 1800, 0, 0, 0, 0), (1, "y", 10, 0, 0, 0, 0)]
    bands = maths.make_bands(rows, edges, ["x"], until=5400)
    assert [b.element for b in bands] == ["x", "x"]
    assert (bands[0].up_s, bands[0].down_s, bands[0].not_watching_s) == (3000, 600, 0)
    assert bands[0].worst == "down"
    assert (bands[1].up_s, bands[1].not_watching_s) == (1800, 0)  # the last half hour has not happened
    assert bands[1].worst == "up"


def _inc(kind: IncidentKind, start_min: int, end_min: int | None) -> Incident:
    end = None if end_min is None else T + timedelta(minutes=end_min)
    return Incident("k", kind, (), T + timedelta(minutes=start_min), end, "", "")


def test_own_trouble_is_the_overlap_with_our_own_outages() -> None:
    outage = _inc(IncidentKind.SERVICE, 0, 60)
    own = [
        _inc(IncidentKind.INTERNET, 50, 70),
        _inc(IncidentKind.LIMITED, -10, 5),
        _inc(IncidentKind.META, 0, 60),
    ]
    assert maths.own_trouble_s(outage, own, T + timedelta(hours=5)) == 15 * 60
    ongoing = _inc(IncidentKind.SERVICE, 0, None)
    assert (
        maths.own_trouble_s(ongoing, [_inc(IncidentKind.INTERNET, 10, None)], T + timedelta(minutes=30))
        == 1200
    )
